#!/usr/bin/env bash
# Lab 05, done as the sheet says: a running exclusive-IP zone gets a network (on a bridge of its
# own, without an address or a port: no traffic leaves it), a tmpfs and max-lwps, each live with
# zonecfg -r, then each is looked at in the zone. `cleanup` removes the bridge. Needs ZONES_ROOT
# and the zones commands on PATH (docs/getting-started.md).
set -euo pipefail
br="${LAB_TAG:-lab}05"
if [ "${1:-}" = cleanup ]; then
  ip link del "$br" 2>/dev/null || true
  exit 0
fi
ip link add "$br" type bridge
ip link set "$br" up
zonecfg -z web "create; set zonepath=$ZONES_ROOT/zones/web; set ip-type=exclusive; commit"
zoneadm -z web install
zoneadm -z web boot
zonecfg -z web info net
# the three changes, each applied to the running zone (and saved for its next boot)
zonecfg -z web -r "add net; set physical=$br; set allowed-address=192.168.50.10/24; end"
zonecfg -z web -r "add fs; set dir=/scratch; set special=swap; set type=tmpfs; add options \"size=8m\"; end"
zonecfg -z web -r "set max-lwps=500"
zonecfg -z web info
# and each seen from inside the zone
zlogin web 'ip -br addr show eth0; df -h /scratch'
cat /sys/fs/cgroup/pids/zones*/web/pids.max /sys/fs/cgroup/zones*/web/pids.max 2>/dev/null || true
