#!/usr/bin/env bash
# Installs what bench/cli.js compares against: LXC's `lxc-ls` (Debian package `lxc`).
# Idempotent: does nothing when `lxc-ls` is already on PATH. `apt-get update` runs only when the
# package is missing AND the apt lists are absent or older than BENCH_APT_MAX_AGE_H hours (24).
# Installs with --no-install-recommends and configures nothing: no LXC networking (lxc-net),
# no containers. The bench only runs `lxc-ls --fancy -P <empty dir>`.
set -euo pipefail

if command -v lxc-ls >/dev/null 2>&1; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "bench-deps: lxc-ls missing and not root (run as root, or: apt-get install --no-install-recommends lxc)" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "bench-deps: lxc-ls missing and no apt-get on this host" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
lists=/var/lib/apt/lists
max_age_min=$(( ${BENCH_APT_MAX_AGE_H:-24} * 60 ))
# Fresh lists = at least one Packages index modified within the last max_age_min minutes.
fresh=$(find "$lists" -maxdepth 1 -name '*_Packages*' -mmin "-$max_age_min" -print -quit 2>/dev/null || true)
if [ -z "$fresh" ]; then
  echo "bench-deps: apt lists absent or older than ${BENCH_APT_MAX_AGE_H:-24} h: apt-get update" >&2
  apt-get update -qq
fi

echo "bench-deps: installing lxc" >&2
apt-get install -y -qq --no-install-recommends lxc >/dev/null
command -v lxc-ls >/dev/null 2>&1 || { echo "bench-deps: lxc installed but lxc-ls not on PATH" >&2; exit 1; }
