#!/usr/bin/env bash
# Lab 08, done as the sheet says: the host's available memory with 0 zones, then after booting
# 1, 5 and 10 small zones (perf1..perf10, each with its /sbin/init: systemd from the host's /usr),
# each measure recorded with `zonelab answer 08`; then one zone's memory (zonestat), one
# supervisor's resident set and the inode of the libc the zones map. Nothing outside the zones to
# clean up. Needs ZONES_ROOT and the zones commands on PATH (docs/getting-started.md).
set -euo pipefail
[ "${1:-}" = cleanup ] && exit 0
avail() { free -m | awk '$1 == "Mem:" { print $7 }'; }
# the zones' services settle within seconds of the boot; measure once the last one is up
settle() { for _ in $(seq 20); do zlogin "perf$1" systemctl is-system-running 2>/dev/null | grep -Eq 'running|degraded' && break; sleep 0.5; done; sleep 1; }
zonelab answer 08 avail-0 "$(avail)"
n=0
for step in 1 5 10; do
  while [ "$n" -lt "$step" ]; do
    n=$((n + 1))
    zonecfg -z "perf$n" "create; set zonepath=$ZONES_ROOT/zones/perf$n; commit"
    zoneadm -z "perf$n" install >/dev/null
    zoneadm -z "perf$n" boot
  done
  settle "$n"
  zonelab answer 08 "avail-$step" "$(avail)"
done
zonestat -z perf10 -r physical-memory 1 1
zonelab answer 08 zone-mem "$(zonestat -z perf10 -r physical-memory 1 1 | awk '$1 == "perf10" { print $2 }')"
zonelab answer 08 supervisor-rss "$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$(cat "$ZONES_ROOT/var/run/zones/perf10/zoneadmd.pid")/status")"
zonelab answer 08 libc-inode "$(awk '/libc\.so\.6$/ { print $5; exit }' "/proc/$(cat "$ZONES_ROOT/var/run/zones/perf10/init.pid")/maps")"
