#!/usr/bin/env bash
# Lab 09, done as the sheet says: a zone booted, its supervisor, init, cgroup and root's host uid
# found from the global zone and recorded. Nothing outside the zone: `cleanup` has nothing to end.
set -euo pipefail
[ "${1:-}" = cleanup ] && exit 0
zonecfg -z nueve "create; set zonepath=$ZONES_ROOT/zones/nueve; commit"
zoneadm -z nueve install
zoneadm -z nueve boot
zonelab answer 09 zone nueve
run=$ZONES_ROOT/var/run/zones/nueve
sup=$(cat "$run/zoneadmd.pid")
zps -f -p "$sup"
init=$(zps -z nueve -o pid= -o ppid= | awk -v s="$sup" '$2 == s { print $1 }')
zps -f -p "$init"
zonelab answer 09 supervisor "$sup"
zonelab answer 09 init "$init"
cat "/proc/$init/cgroup"
zonelab answer 09 cgroup "$(grep -m1 '^[0-9]*:pids:\|^0::' "/proc/$init/cgroup" | cut -d: -f3 | sed 's|/payload.*||')"
cat "/proc/$init/uid_map"
zonelab answer 09 uid "$(awk '$1 == 0 { print $2 }' "/proc/$init/uid_map")"
