#!/usr/bin/env bash
# Lab 16, done as the sheet says: a bridge with no address, two exclusive-IP sparse zones on it,
# nginx (the host's Debian binary, inherited through /usr) started in `web` with the zone's own
# configuration, and its page fetched from `client`. `cleanup` halts the zones (nginx goes with
# its zone) and removes the bridge by its exact name. Needs nginx on the host
# (scripts/install-deps.sh), ZONES_ROOT and the zones commands on PATH (docs/getting-started.md).
set -euo pipefail
lan="${LAB_TAG:-lab}www"
if [ "${1:-}" = cleanup ]; then
  for z in web client; do zoneadm -z "$z" halt >/dev/null 2>&1 || true; done
  if [ -d "/sys/class/net/$lan/bridge" ]; then ip link del dev "$lan"; fi
  exit 0
fi

# 1. nginx in the global zone: the zones inherit its binary, and copy its /etc/nginx at install
command -v nginx >/dev/null || { echo "nginx is not installed: scripts/install-deps.sh" >&2; exit 1; }
# 2. the bridge, up, without any address
ip link add name "$lan" type bridge
ip link set dev "$lan" addrgenmode none
ip link set dev "$lan" up
# 3. the server and the client, exclusive-IP, on that bridge
for z in web:198.51.100.80 client:198.51.100.2; do
  zonecfg -z "${z%%:*}" "create; set zonepath=$ZONES_ROOT/zones/${z%%:*}; set ip-type=exclusive; add net; set physical=$lan; set allowed-address=${z#*:}/24; end; commit"
  zoneadm -z "${z%%:*}" install >/dev/null
  zoneadm -z "${z%%:*}" boot -- -i zsched
done
# 4. inside web: its own site configuration and page, then nginx
zlogin web 'cat > /etc/nginx/sites-available/default' <<'SITE'
server {
	listen 80 default_server;
	root /var/www/html;
	index index.html;
}
SITE
zlogin web 'mkdir -p /var/www/html /var/log/nginx /var/lib/nginx && echo "hello from zone web" > /var/www/html/index.html'
zlogin web 'nginx -t && nginx'
# 5. from client, over the bridge; and nothing listens on port 80 in the global zone
zlogin client curl -sS -m 5 http://198.51.100.80/
ss -ltn 'sport = :80'
