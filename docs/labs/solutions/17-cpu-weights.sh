#!/usr/bin/env bash
# Lab 17, done as the sheet says: two zones with cpu-shares 100 and 300, one busy loop per CPU in
# each, pinned (taskset), so that on every CPU a loop of each zone competes. The loops end with
# the zones (or `zlogin Z pkill -x perl`); nothing is made outside the zones, so `cleanup` has
# nothing to end. Needs ZONES_ROOT and the zones commands on PATH (docs/getting-started.md).
set -euo pipefail
[ "${1:-}" = cleanup ] && exit 0
for zs in bronze:100 gold:300; do
  z=${zs%:*}
  zonecfg -z "$z" "create; set zonepath=$ZONES_ROOT/zones/$z; set cpu-shares=${zs#*:}; commit"
  zoneadm -z "$z" install
  zoneadm -z "$z" boot -- -i zsched
done
for z in bronze gold; do
  zlogin "$z" 'for c in $(seq 0 $(($(nproc) - 1))); do setsid taskset -c $c perl -e "1 while 1" </dev/null >/dev/null 2>&1 & done'
done
