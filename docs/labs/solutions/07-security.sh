#!/usr/bin/env bash
# Lab 07, done as the sheet says: zone sec with limitpriv adding dtrace_proc and dtrace_user,
# proc_zone refused, then each thing zone root cannot do tried inside the zone and its error
# recorded. `cleanup` removes the dummy link in case the zone's root had been able to make it.
# Needs ZONES_ROOT and the zones commands on PATH (docs/getting-started.md).
set -uo pipefail
link="${LAB_TAG:-lab}0"
if [ "${1:-}" = cleanup ]; then
  ip link del "$link" 2>/dev/null || true
  exit 0
fi
set -e
zonecfg -z sec "create; set zonepath=$ZONES_ROOT/zones/sec; commit"
zoneadm -z sec install
zoneadm -z sec boot -- -i zsched
# ppriv: the global zone's capabilities, then the zone's
grep Cap /proc/self/status
zlogin sec grep Cap /proc/self/status
# dtrace_proc and dtrace_user, as the workshop adds them; the zone gets them at its next boot
zonecfg -z sec 'set limitpriv="default,dtrace_proc,dtrace_user"'
zoneadm -z sec reboot -- -i zsched
# proc_zone: no zone may have it
zonelab answer 07 proc-zone "$(zonecfg -z sec 'set limitpriv="default,proc_zone"' 2>&1 | head -1)"
# last line of what an attempt in the zone printed (each is expected to fail)
try() { zlogin sec "$1" 2>&1 | tail -1; }
zonelab answer 07 network "$(try "ip link add $link type dummy")"
zonelab answer 07 kernel-memory "$(try 'ls /dev/mem /dev/kmem /proc/kcore; mknod /tmp/mem c 1 1')"
zonelab answer 07 reboot "$(try 'reboot -f')"
nr=175; [ "$(uname -m)" = aarch64 ] && nr=105   # init_module's number
zonelab answer 07 modules "$(try "perl -e 'syscall($nr, 0, 0, 0); print \"\$!\\n\"'")"
zonelab answer 07 sysctl "$(try 'echo "$(cat /proc/sys/vm/swappiness)" > /proc/sys/vm/swappiness')"
# the user namespace: the zone's uid 0 is this host uid
pid=$(cat "$ZONES_ROOT/var/run/zones/sec/init.pid")
cat "/proc/$pid/uid_map"
zonelab answer 07 root-uid "$(awk '$1 == 0 { print $2 }' "/proc/$pid/uid_map")"
