#!/usr/bin/env bash
# Installs the Debian packages zones needs on this host, and nothing that is already there.
# Safe to run again; `apt-get update` runs only when something is missing.
set -euo pipefail

# command -> Debian package that provides it
declare -A NEED=(
  [tmux]=tmux            # the terminal tests of the zonecfg shell
  [unshare]=util-linux   # namespaces (zone runtime)
  [nsenter]=util-linux
  [ip]=iproute2          # veth and bridges (exclusive-IP zones)
)

missing=()
for cmd in "${!NEED[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${NEED[$cmd]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]} (run as root, or: apt-get install ${missing[*]})" >&2
  exit 1
fi
mapfile -t pkgs < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "install-deps: installing ${pkgs[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
