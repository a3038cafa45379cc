#!/bin/sh
# Builds the native helpers: every packages/core/native/NAME.c into packages/core/native/bin/NAME
# (zoneadmd, the per-zone supervisor; zenter, zlogin's helper), with the headers they share
# (zones.h, devfilter.h) and bin/run-files.h, generated from the runtime's table of run-directory
# files (run-files.mjs; needs packages/core/dist, so `tsc -b` runs first: `npm run build`).
# Static, so that a binary can also be exec'd inside any zone root (zoneadmd runs there as the
# minimal init `zsched`) and stays small in memory. Needs gcc and libc6-dev (scripts/install-deps.sh).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
CC=${CC:-$(command -v cc || command -v gcc || echo cc)}
if ! command -v "$CC" >/dev/null 2>&1; then
  echo "build:native: no C compiler ($CC); install the Debian packages gcc and libc6-dev" >&2
  exit 1
fi
if [ ! -e "$here/../dist/runtime/run-files.js" ]; then
  echo "build:native: packages/core/dist is not built; run 'npm run build' (tsc -b first)" >&2
  exit 1
fi
mkdir -p "$here/bin"
node "$here/run-files.mjs" "$here/bin/run-files.h"
for src in "$here"/*.c; do
  [ -e "$src" ] || continue
  name=$(basename "$src" .c)
  out="$here/bin/$name"
  # Up to date: nothing to do (keeps `npm test` fast).
  fresh=1
  for dep in "$src" "$0" "$here"/*.h "$here/bin/run-files.h"; do
    [ -e "$dep" ] || continue
    [ "$out" -nt "$dep" ] || fresh=0
  done
  if [ -x "$out" ] && [ "$fresh" = 1 ]; then continue; fi
  $CC -O2 -Wall -Wextra -static -s -I "$here/bin" -o "$out.tmp.$$" "$src"
  mv -f "$out.tmp.$$" "$out"
done
