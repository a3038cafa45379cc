#!/usr/bin/env bash
# Lab 10, done as the sheet says: a tiny Linux root made by hand from busybox-static, packed into
# an archive, zone linux installed from it with install -d and booted. `cleanup` removes the
# root and the archive (outside ZONES_ROOT, named with LAB_TAG).
set -euo pipefail
img=/var/tmp/${LAB_TAG:-lab}-linux
if [ "${1:-}" = cleanup ]; then
  rm -rf "$img" "$img.tar.gz"
  exit 0
fi
rm -rf "$img"
mkdir -p "$img"/{bin,sbin,usr/bin,usr/sbin,etc,root,tmp,dev,proc,sys,run}
chmod 1777 "$img/tmp"
chmod 700 "$img/root"
cp "$(command -v busybox)" "$img/bin/busybox"
for a in $("$img/bin/busybox" --list-full); do
  [ "$a" = bin/busybox ] || ln -sf /bin/busybox "$img/$a"
done
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$img/etc/passwd"
printf 'root:x:0:\n' > "$img/etc/group"
printf 'root:*:19000:0:99999:7:::\n' > "$img/etc/shadow"
printf 'NAME="Tiny busybox Linux"\nID=tiny\n' > "$img/etc/os-release"
tar --numeric-owner -C "$img" -czf "$img.tar.gz" .
zonecfg -z linux "create -b; set brand=rpm; set zonepath=$ZONES_ROOT/zones/linux; commit"
mkdir -p "$ZONES_ROOT/zones/linux"
chmod 700 "$ZONES_ROOT/zones/linux"
zoneadm -z linux install -d "$img.tar.gz"
zoneadm -z linux boot
zlogin linux 'cat /etc/os-release; ls -l /bin/sh'
