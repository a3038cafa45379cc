#!/usr/bin/env bash
# Lab 02, done as the sheet says: two sparse zones, a long sleep in each, the host pids recorded,
# red's killed from the global zone with zpkill. Nothing outside the zones: `cleanup` has nothing
# to end. Needs ZONES_ROOT and the zones commands on PATH (docs/getting-started.md).
set -euo pipefail
[ "${1:-}" = cleanup ] && exit 0
for z in red blue; do
  zonecfg -z "$z" "create; set zonepath=$ZONES_ROOT/zones/$z; commit"
  zoneadm -z "$z" install
  zoneadm -z "$z" boot
  zlogin "$z" 'nohup sleep 3600 >/dev/null 2>&1 &'
done
zps -fZ -z red,blue
zonelab answer 02 killed "$(zpgrep -z red -x -f 'sleep 3600')"
zonelab answer 02 kept "$(zpgrep -z blue -x -f 'sleep 3600')"
zpkill -z red -x sleep
zps -fZ -z red,blue
