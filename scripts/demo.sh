#!/usr/bin/env bash
# The main job, end to end on this host: configure a sparse zone the Solaris way, show it, list it.
# Zones live under ZONES_ROOT (default: a fresh directory in /tmp, removed at the end).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
zonecfg="$here/bin/zonecfg"
zoneadm="$here/bin/zoneadm"

if [ -z "${ZONES_ROOT:-}" ]; then
  ZONES_ROOT=$(mktemp -d /tmp/zones-demo.XXXXXX)
  trap 'rm -rf "$ZONES_ROOT"' EXIT
fi
export ZONES_ROOT

say() { printf '\n\033[1m# %s\033[0m\n' "$*"; }

say "zonecfg -z viernes13 (commands on standard input, as typed at the prompt)"
printf '%s\n' 'create' 'set zonepath=/zones/viernes13' 'set autoboot=false' \
  'add net' 'set physical=zbr0' 'set address=192.0.2.13/24' 'end' \
  'add capped-memory' 'set physical=512m' 'end' \
  'set limitpriv="default,sys_time"' 'commit' 'exit' | tee /dev/stderr | "$zonecfg" -z viernes13

say "zonecfg -z viernes13 info"
"$zonecfg" -z viernes13 info

say "zonecfg -z viernes13 export"
"$zonecfg" -z viernes13 export

say "zonecfg -z bigzone 'create -b; set zonepath=/zones/bigzone'   (a whole-root zone)"
"$zonecfg" -z bigzone 'create -b; set zonepath=/zones/bigzone'

say "zoneadm list -cv"
"$zoneadm" list -cv
