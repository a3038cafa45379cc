#!/usr/bin/env bash
# Installs the Debian packages zones needs on this host, and nothing that is already there.
# Safe to run again; `apt-get update` runs only when something is missing.
set -euo pipefail

# command -> Debian package that provides it
declare -A NEED=(
  [tmux]=tmux            # the terminal tests of the zonecfg shell
  [zsh]=zsh              # the completion tests: zsh -n and compinit on completion/_zones
  [make]=make            # make install / make uninstall (the root Makefile) and their test
  [unshare]=util-linux   # namespaces (zone runtime)
  [nsenter]=util-linux
  [ip]=iproute2          # veth and bridges (exclusive-IP zones)
  [debootstrap]=debootstrap  # whole-root zones, Debian family (brand debian, native on Debian hosts)
  [rinse]=rinse          # whole-root zones, RPM family (brand rpm)
  [busybox]=busybox-static   # fixtures/build-busybox-root.sh: the tiny root of the install -d tests
  [zstd]=zstd            # bootstrap cache tarballs, tar.zst archives
  [xz]=xz-utils          # tar.xz archives
  [openssl]=openssl      # root password hashes (openssl passwd -6)
  [gcc]=gcc              # packages/core/native: the zone supervisor zoneadmd (npm run build:native)
  [ping]=iputils-ping    # the security tests: ping inside shared- and exclusive-IP zones
  [sudo]=sudo            # the security tests: sudo inside a zone (a setuid binary through idmapped /usr)
  [systemd-analyze]=systemd  # zonesvc's tests: systemd-analyze verify of the zones.service unit it writes
  [man]=man-db           # core/test/manual/man.test.ts: man --warnings -l on each generated page (man/)
  [groff]=groff-base     # the formatter man runs, whose warnings that test reads
  [brctl]=bridge-utils   # lab 13: the seed's brctl show / brctl addbr
  [nginx]=nginx          # lab 16: nginx in a sparse zone (the zone inherits /usr/sbin/nginx)
  [curl]=curl            # lab 16: the client zone fetches the page
  [losetup]=mount        # lab 12: a loop device on a disk image
  [mkfs.ext4]=e2fsprogs  # lab 12: the image's filesystem
  [runc]=runc            # zoneadm export -t oci-bundle: the bundle runs under runc and crun
  [crun]=crun
  [podman]=podman        # zoneadm export -t oci-image / -t kube: podman run, podman kube play
  [skopeo]=skopeo        # zoneadm export -t oci-image: skopeo inspect reads the layout
  [umoci]=umoci          # zoneadm export -t oci-image: umoci unpacks it
)

# debootstrap and rinse live in /usr/sbin, which a non-root PATH may lack
have() {
  command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ] || [ -x "/usr/local/sbin/$1" ]
}

missing=()
for cmd in "${!NEED[@]}"; do
  have "$cmd" || missing+=("${NEED[$cmd]}")
done
# zoneadmd links statically: the C headers and libc.a (gcc only recommends them)
[ -e /usr/include/stdio.h ] && compgen -G '/usr/lib/*/libc.a' >/dev/null || missing+=(libc6-dev)
# the OCI runtime-spec JSON schema that the export tests validate config.json against
[ -e /usr/share/gocode/src/github.com/opencontainers/runtime-spec/schema/config-schema.json ] || missing+=(golang-github-opencontainers-specs-dev)
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
# Debian starts the host's own nginx when it installs it: the labs use only the binary, inside
# zones, and a host nginx would listen on the host's port 80 (lab 16 checks that nothing does).
if printf '%s\n' "${pkgs[@]}" | grep -qx nginx; then
  systemctl disable --now nginx >/dev/null 2>&1 || service nginx stop >/dev/null 2>&1 || true
fi
# podman's package enables its API service, restart and auto-update units: inert on a host
# whose init is not systemd, but every sparse zone that boots the host's systemd (through /usr
# and a copy of /etc) would start them. The tests run podman as a command only.
if printf '%s\n' "${pkgs[@]}" | grep -qx podman; then
  systemctl disable --now podman.service podman.socket podman-restart.service podman-auto-update.timer >/dev/null 2>&1 || true
fi
