#!/usr/bin/env bash
# Lab 14, done as the sheet says: a Debian zone (brand debian, debootstrap of the host's suite from
# the host's mirror; the bootstrap cache makes it a second), booted and looked at; then an RPM zone
# (brand rpm, rinse), whose install cannot finish on a host without an RPM mirror: the error is
# read, the zone recovered with uninstall -F, and the mirror rinse would use is found in
# /etc/rinse/rinse.conf and recorded. Nothing outside the zones to clean up.
# Needs ZONES_ROOT and the zones commands on PATH (docs/getting-started.md).
set -euo pipefail
[ "${1:-}" = cleanup ] && exit 0
suite=$(. /etc/os-release && echo "$VERSION_CODENAME")
zonecfg -z debzone "create -b; set brand=debian; set zonepath=$ZONES_ROOT/zones/debzone; commit"
zoneadm -z debzone install -r "$suite"
zoneadm -z debzone boot
zlogin debzone 'grep -E "^(ID|VERSION_CODENAME)=" /etc/os-release; cat /etc/apt/sources.list'

zonecfg -z rpmzone "create -b; set brand=rpm; set zonepath=$ZONES_ROOT/zones/rpmzone; commit"
zoneadm -z rpmzone verify
if zoneadm -z rpmzone install -r rocky-9; then
  echo "rocky-9 installed: this host reaches an RPM mirror"
else
  zoneadm -z rpmzone list -p
  zoneadm -z rpmzone uninstall -F
fi
mirror=$(awk '/^\[rocky-9\]/ { s = 1; next } /^\[/ { s = 0 } s && $1 == "mirror.amd64" { print $3 }' /etc/rinse/rinse.conf)
zonelab answer 14 rinse-mirror "$mirror"
