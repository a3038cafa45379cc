/**
 * Lab 16 (docs/labs/16-nginx-between-zones.md): nginx (the host's Debian binary, inherited by a
 * sparse zone) started inside an exclusive-IP zone with the zone's own configuration, fetched from
 * a second zone on the same bridge. The check finds nginx processes in a zone's cgroup, reads the
 * sockets they listen on in the zone's network namespace, confirms the global zone's namespace
 * has no listener on that port, and fetches the page once from inside the client zone.
 */
import { existsSync } from 'node:fs';
import { processNamespace } from '../../platform/proc.js';
import { GLOBAL_ZONE } from '../../ptools/snapshot.js';
import { socketInodes, tcpListeners } from '../../platform/net-view.js';
import type { Lab } from '../lab.js';
import { item, type CheckItem } from '../lab.js';
import { routeFrom, zoneAddresses, zoneLans } from './zone-lans.js';

const NGINX = '/usr/sbin/nginx';
const CLIENTS = ['/usr/bin/curl', '/usr/bin/wget'];

/** One GET from inside a zone with whichever client the host (and so the sparse zone) has; prints the response headers and body. */
function fetchCommand(url: string): string {
  return `if command -v curl >/dev/null 2>&1; then curl -sS -m 5 -i ${url}; else wget -S -q -T 5 -O - ${url} 2>&1; fi`;
}

export const nginxBetweenZones: Lab = {
  id: 16,
  slug: 'nginx-between-zones',
  title: 'nginx in a zone, reached from another zone on the same bridge',
  seed: 'Técnicas de virtualización (Instalar una jaula chroot para ejecutar el servidor web nginx), with zones on a bridge',
  hostLimits() {
    const out: string[] = [];
    if (!existsSync(NGINX)) out.push('nginx is not installed on this host: scripts/install-deps.sh installs it (Debian package nginx)');
    if (!CLIENTS.some((c) => existsSync(c))) out.push('neither curl nor wget is installed: scripts/install-deps.sh installs curl (Debian package curl)');
    return out;
  },
  async check(host) {
    const items: CheckItem[] = [];
    const procs = host.processes().filter((p) => p.comm === 'nginx');
    const inZones = procs.filter((p) => p.zone !== undefined && p.zone !== GLOBAL_ZONE && host.running(p.zone));
    const server = inZones[0]?.zone;
    if (!server) {
      const onHost = procs.find((p) => p.zone === GLOBAL_ZONE);
      const next = !existsSync(NGINX)
        ? 'install it in the global zone first (scripts/install-deps.sh, Debian package nginx), then the zones: a sparse zone inherits /usr'
        : onHost
          ? `nginx runs in the global zone (pid ${onHost.pid}): stop it there (nginx -s stop) and start it inside the zone: zlogin web nginx`
          : 'start it inside the server zone: zlogin web nginx';
      items.push(item('nginx runs in a zone', false, next));
      items.push(item("nginx listens in the zone's own network namespace", false, 'needs nginx running in a zone first'));
      items.push(item('a second zone on the same bridge fetches the page', false, 'needs nginx running in a zone first'));
      return items;
    }
    const mine = inZones.filter((p) => p.zone === server);
    const master = mine.find((p) => !mine.some((q) => q.pid === p.ppid)) ?? mine[0]!;
    items.push(item('nginx runs in a zone', true, `${server}: pids ${mine.map((p) => p.pid).join(', ')} (in ${server}'s cgroup)`));

    const hostNet = processNamespace(process.pid, 'net');
    const zoneNet = processNamespace(master.pid, 'net');
    const held = new Set<number>();
    for (const p of mine) for (const i of socketInodes(p.pid)) held.add(i);
    const ports = [...new Set(tcpListeners(master.pid).filter((l) => held.has(l.inode)).map((l) => l.port))].sort((a, b) => a - b);
    const own = zoneNet !== undefined && zoneNet !== hostNet;
    items.push(
      item(
        `nginx listens in ${server}'s own network namespace`,
        own && ports.length > 0,
        !own
          ? `${server} uses the global zone's network namespace (${zoneNet ?? 'gone'}): make it exclusive-IP (set ip-type=exclusive, a net on a bridge)`
          : ports.length
            ? `TCP port ${ports.join(', ')} in ${zoneNet}`
            : 'its processes hold no listening socket: look at the zone\'s /var/log/nginx/error.log',
      ),
    );
    const port = ports[0];
    if (!own || port === undefined) {
      items.push(item('a second zone on the same bridge fetches the page', false, `needs nginx listening in ${server}'s own network namespace first`));
      return items;
    }
    const onHost = new Set(tcpListeners(process.pid).map((l) => l.port));
    const clash = ports.filter((p) => onHost.has(p));
    items.push(item(`the global zone's network namespace has no listener on port ${ports.join(', ')}`, clash.length === 0, clash.length ? `the host listens on ${clash.join(', ')} (ss -ltnp shows which program): stop it` : 'ss -ltn in the global zone shows none'));

    const lans = await zoneLans(host);
    const serverPorts = lans.ports.filter((p) => p.zone === server);
    const peer = lans.ports.find((p) => p.zone !== server && serverPorts.some((s) => s.bridge === p.bridge));
    if (!peer) {
      items.push(item(`a second zone on the same bridge as ${server}`, false, serverPorts.length ? `boot an exclusive-IP zone with a net on ${serverPorts[0]!.bridge}` : `${server} has no interface on a bridge`));
      return items;
    }
    const client = peer.zone;
    const bridge = peer.bridge;
    const serverIf = serverPorts.find((s) => s.bridge === bridge)!.zoneIf;
    const addr = (await zoneAddresses(host, server)).get(serverIf);
    items.push(item(`a second zone on the same bridge as ${server}`, addr !== undefined, addr ? `${client} is on ${bridge} with ${server} (${server} has ${addr} there)` : `${server} has no IPv4 address on ${bridge}: set allowed-address on its net`));
    if (!addr) return items;
    const url = `http://${addr}:${port}/`;
    const route = await routeFrom(host, client, addr);
    const direct = route !== undefined && route.via === undefined && route.dev === peer.zoneIf;
    const r = await host.inZone(client, fetchCommand(url));
    const status = /HTTP\/1\.[01] (\d{3})/.exec(r.stdout)?.[1];
    const isNginx = /^\s*Server:\s*nginx\b/im.test(r.stdout);
    const named = r.stdout.includes(server);
    const fetched = direct && status === '200' && isNginx && named;
    const detail = !direct
      ? `${client} does not reach ${addr} straight over ${bridge} (${route ? `via ${route.via ?? '-'} dev ${route.dev ?? '-'}` : 'no route'})`
      : status !== '200' || !isNginx
        ? `${url} from inside ${client}: ${status ? `HTTP ${status}${isNginx ? '' : ', not from nginx'}` : (r.stdout + r.stderr).trim().split('\n')[0] || 'no answer'}`
        : !named
          ? `nginx answered, but not with ${server}'s own page: its page (/var/www/html/index.html in the zone) should name the zone`
          : `GET ${url} from inside ${client}: HTTP 200 from nginx, ${server}'s page`;
    items.push(item(`${client} fetches ${server}'s page from nginx over ${bridge}`, fetched, detail));
    return items;
  },
};
