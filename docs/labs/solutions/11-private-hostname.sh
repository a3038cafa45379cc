#!/usr/bin/env bash
# Lab 11, done as the sheet says: the bare mechanism (unshare -u on the host), then zone web
# given a hostname of its own from inside. Makes nothing outside its zone: `cleanup` has nothing
# to end. Needs ZONES_ROOT and the zones commands on PATH (docs/getting-started.md).
set -euo pipefail
[ "${1:-}" = cleanup ] && exit 0
# a shell in a UTS namespace of its own: its hostname goes with it
unshare -u sh -c 'hostname scratch; uname -n'
uname -n
zonecfg -z web "create; set zonepath=$ZONES_ROOT/zones/web; commit"
zoneadm -z web install
zoneadm -z web boot -- -i zsched
zlogin web uname -n
zlogin web hostname webserver
zlogin web uname -n
uname -n
pid=$(cat "$ZONES_ROOT/var/run/zones/web/init.pid")
ls -l "/proc/$pid/ns/uts" /proc/self/ns/uts
zonelab answer 11 uts-ns "$(readlink "/proc/$pid/ns/uts")"
