#!/usr/bin/env bash
# Lab 04, done as the sheet says: the workshop's big zone. `bigzone` from the default template with
# its inherit-pkg-dirs removed (whatever `info inherit-pkg-dir` lists on this host: /usr alone on a
# merged-/usr Debian), installed as a whole root (debootstrap; the bootstrap cache makes a second
# install take a second), booted, and a look inside. Nothing outside the zone to clean up.
# Needs ZONES_ROOT and the zones commands on PATH (docs/getting-started.md).
set -euo pipefail
[ "${1:-}" = cleanup ] && exit 0
zp="$ZONES_ROOT/zones/bigzone"
removes=""
for d in $(zonecfg -z bigzone "create; info inherit-pkg-dir" | awk '$1 == "dir:" { print $2 }'); do
  removes="$removes; remove inherit-pkg-dir dir=$d"
done
zonecfg -z bigzone "create; set zonepath=$zp$removes; commit"
zonecfg -z bigzone info inherit-pkg-dir
zoneadm -z bigzone install
zoneadm -z bigzone boot
zlogin bigzone 'awk "\$5 == \"/\"" /proc/self/mountinfo; touch /usr/local/written-by-bigzone && ls -l /usr/local/written-by-bigzone'
