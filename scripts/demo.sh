#!/usr/bin/env bash
# The main job, end to end on this host: configure a sparse zone the Solaris way, install it from
# the host, boot it, log into it, halt it. Zones live under ZONES_ROOT (default: a fresh directory
# in /tmp, removed at the end, zone halted first even if a step fails).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
zonecfg="$here/bin/zonecfg"
zoneadm="$here/bin/zoneadm"
zlogin="$here/bin/zlogin"

if [ -z "${ZONES_ROOT:-}" ]; then
  ZONES_ROOT=$(mktemp -d /tmp/zones-demo.XXXXXX)
  cleanup() {
    "$zoneadm" -z viernes13 halt >/dev/null 2>&1 || true
    rm -rf "$ZONES_ROOT"
  }
  trap cleanup EXIT
fi
export ZONES_ROOT
zp="$ZONES_ROOT/zones/viernes13"
mkdir -p "$ZONES_ROOT/zones"

say() { printf '\n\033[1m# %s\033[0m\n' "$*"; }

say "zonecfg -z viernes13   (the commands as typed at its prompt)"
printf '%s\n' 'create' "set zonepath=$zp" 'set autoboot=false' \
  'add capped-memory' 'set physical=512m' 'end' \
  'set max-lwps=500' 'set limitpriv="default,sys_time"' 'commit' 'exit' | tee /dev/stderr | "$zonecfg" -z viernes13

say "zonecfg -z viernes13 info"
"$zonecfg" -z viernes13 info

say "zoneadm -z viernes13 install"
"$zoneadm" -z viernes13 install

say "zoneadm -z viernes13 boot -- -i zsched   (the minimal init; the host's systemd also boots: plain 'boot')"
"$zoneadm" -z viernes13 boot -- -i zsched

say "zoneadm list -v"
"$zoneadm" list -v

say "zlogin viernes13 'hostname; id; ps -e; grep CapBnd /proc/self/status; cat /proc/self/uid_map'"
"$zlogin" viernes13 'hostname; id; ps -e; grep CapBnd /proc/self/status; cat /proc/self/uid_map'

say "zonecfg -z viernes13 info | grep map   (zone root is this block of host ids: ps on the host shows them)"
"$zonecfg" -z viernes13 info | grep -- '-map:'
ps -o user:12,pid,comm -p "$(cat "$ZONES_ROOT/var/run/zones/viernes13/init.pid")"

say "zoneadm -z viernes13 halt"
"$zoneadm" -z viernes13 halt
"$zoneadm" list -cv
