#!/usr/bin/env bash
# Lab 13, done as the sheet says: two bridges (virtual LANs) with no address, three exclusive-IP
# zones on them and a router zone with an interface on each, forwarding between them. `cleanup`
# halts the zones and removes the two bridges by their exact names. Needs ZONES_ROOT and the zones
# commands on PATH (docs/getting-started.md).
set -euo pipefail
lan1="${LAB_TAG:-lab}lan1"
lan2="${LAB_TAG:-lab}lan2"
if [ "${1:-}" = cleanup ]; then
  for z in red blue green gw; do zoneadm -z "$z" halt >/dev/null 2>&1 || true; done
  for b in "$lan1" "$lan2"; do
    if [ -d "/sys/class/net/$b/bridge" ]; then ip link del dev "$b"; fi
  done
  exit 0
fi

# 1. the host's bridges
brctl show
# 2. two bridges, up, without any address (not even an IPv6 link-local one)
for b in "$lan1" "$lan2"; do
  ip link add name "$b" type bridge
  ip link set dev "$b" addrgenmode none
  ip link set dev "$b" up
done
# 3. red and blue on LAN 1, green on LAN 2, each with its router as defrouter
zone() { # name, then one "bridge address [defrouter]" per net
  local z=$1 cfg
  shift
  cfg="create; set zonepath=$ZONES_ROOT/zones/$z; set ip-type=exclusive"
  for n in "$@"; do
    set -- $n
    cfg+="; add net; set physical=$1; set allowed-address=$2${3:+; set defrouter=$3}; end"
  done
  zonecfg -z "$z" "$cfg; commit"
  zoneadm -z "$z" install >/dev/null
  zoneadm -z "$z" boot -- -i zsched
}
zone red "$lan1 198.51.100.1/24 198.51.100.254"
zone blue "$lan1 198.51.100.2/24 198.51.100.254"
zlogin red ping -c 1 -W 2 198.51.100.2
# 4. the router: one interface on each LAN; forwarding on in its own network namespace
zone gw "$lan1 198.51.100.254/24" "$lan2 203.0.113.254/24"
zone green "$lan2 203.0.113.1/24 203.0.113.254"
zlogin gw sysctl -w net.ipv4.ip_forward=1
zlogin red ip route get 203.0.113.1
zlogin red ping -c 1 -W 2 203.0.113.1
# 5. which port of LAN 2 is the router's: its eth1@ifN names the host end's index
brctl show "$lan2"
n=$(zlogin gw ip -o link show dev eth1 | sed -n 's/^[0-9]*: eth1@if\([0-9]*\):.*/\1/p')
port=$(ip -o link show | awk -F': ' -v n="$n" '$1 == n { sub(/@.*/, "", $2); print $2 }')
zonelab answer 13 router-port "$port"
