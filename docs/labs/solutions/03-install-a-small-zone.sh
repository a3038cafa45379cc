#!/usr/bin/env bash
# Lab 03, done as the sheet says: the workshop's small zone viernes13, its zonepath made by hand
# (mode 700), installed and booted. Nothing outside the zone: `cleanup` has nothing to end.
set -euo pipefail
[ "${1:-}" = cleanup ] && exit 0
zp=$ZONES_ROOT/zones/viernes13
zonecfg -z viernes13 "create; set zonepath=$zp; commit"
zonecfg -z viernes13 info inherit-pkg-dir
mkdir -p "$zp"
chmod 700 "$zp"
zoneadm -z viernes13 install
zoneadm -z viernes13 boot
zlogin viernes13 'touch /usr/x' || true
