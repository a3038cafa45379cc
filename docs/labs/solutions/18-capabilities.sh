#!/usr/bin/env bash
# Lab 18, done as the sheet says: zone caps with the default privileges, its capability sets
# against the global zone's, then limitpriv without proc_chroot (CAP_SYS_CHROOT), seen after a
# reboot, and the answers. Makes nothing outside its zone: `cleanup` has nothing to end.
# Needs ZONES_ROOT and the zones commands on PATH (docs/getting-started.md).
set -euo pipefail
[ "${1:-}" = cleanup ] && exit 0
zonecfg -z caps "create; set zonepath=$ZONES_ROOT/zones/caps; commit"
zoneadm -z caps install
zoneadm -z caps boot -- -i zsched
initpid() { cat "$ZONES_ROOT/var/run/zones/caps/init.pid"; }
capbnd() { awk '$1 == "CapBnd:" { print $2 }' "/proc/$1/status"; }
grep Cap /proc/self/status
grep Cap "/proc/$(initpid)/status"
zlogin caps setpriv -d
zlogin caps 'chroot / true && echo chroot works'
# one privilege less: proc_chroot is CAP_SYS_CHROOT
zonecfg -z caps 'set limitpriv="default,-proc_chroot"'
zoneadm -z caps reboot -- -i zsched
grep CapBnd "/proc/$(initpid)/status"
zlogin caps 'chroot / true' || true
# what the zone lacks, as a mask: the global zone's set without the zone's
dropped=$(printf '%016x' $(( 0x$(capbnd self) & ~0x$(capbnd "$(initpid)") )))
names=$(capsh --decode="$dropped" 2>/dev/null | sed 's/.*=//') || names=
[ -n "$names" ] || names=$(for i in $(seq 0 63); do (( (0x$dropped >> i) & 1 )) && echo "cap$i"; done | paste -sd,)
echo "dropped: $names"
zonelab answer 18 dropped "$(tr ',' '\n' <<<"$names" | grep -c .)"
zonelab answer 18 changed CAP_SYS_CHROOT
zonelab answer 18 load-module CAP_SYS_MODULE
zonelab answer 18 reboot-host CAP_SYS_BOOT
zonelab answer 18 raw-io CAP_SYS_RAWIO
zonelab answer 18 set-clock CAP_SYS_TIME
zonelab answer 18 host-network CAP_NET_ADMIN
