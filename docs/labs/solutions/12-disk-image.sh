#!/usr/bin/env bash
# Lab 12, done as the sheet says: an image file with an ext4 filesystem, a loop device on it,
# given to zone disk as an fs; a file written there from inside; a second zone, plain, to compare.
# `cleanup` halts disk (its mount holds the device), detaches the image's loop devices (found by
# the image's exact path) and removes the image. Needs ZONES_ROOT and the zones commands on PATH.
set -euo pipefail
img="/var/tmp/${LAB_TAG:-lab}12.img"
if [ "${1:-}" = cleanup ]; then
  zoneadm -z disk halt 2>/dev/null || true
  for dev in $(losetup -n -O NAME -j "$img" 2>/dev/null); do losetup -d "$dev" || true; done
  rm -f "$img"
  exit 0
fi
truncate -s 32M "$img"
mkfs.ext4 -q "$img"
dev=$(losetup -f --show "$img")
losetup -l "$dev"
zonecfg -z disk "create; set zonepath=$ZONES_ROOT/zones/disk; add fs; set dir=/data; set special=$dev; set type=ext4; end; commit"
zoneadm -z disk install
zoneadm -z disk boot -- -i zsched
zlogin disk 'df -h /data; echo hello from disk > /data/hello.txt; ls -l /data'
zonecfg -z plain "create; set zonepath=$ZONES_ROOT/zones/plain; commit"
zoneadm -z plain install
zoneadm -z plain boot -- -i zsched
zlogin plain 'ls /data' || true
grep -w /data "/proc/$(cat "$ZONES_ROOT/var/run/zones/disk/init.pid")/mountinfo"
grep -c "${dev}" /proc/self/mountinfo || true
