/**
 * Lab 13 (docs/labs/13-bridges.md): zones on virtual LANs (bridges), and a router zone between
 * two LANs. The check reads the bridges the exclusive-IP zones name (up, no address, no port but
 * the zones' veths), which zone's veth is on which bridge, finds the zone with a port on two
 * bridges (the router) and reads its net.ipv4.ip_forward inside it, then, from inside the end
 * zones, their routes and one ping on the LAN and one across the router: reachability now.
 */
import { existsSync } from 'node:fs';
import type { Lab } from '../lab.js';
import { item, type CheckItem } from '../lab.js';
import { bridgeIsolatedItem, pingFrom, routeFrom, zoneAddresses, zoneLans, zonesOn, type ZoneLans } from './zone-lans.js';

const NEW_BRIDGE = 'ip link add name lan1 type bridge; ip link set dev lan1 addrgenmode none; ip link set dev lan1 up';

/** The address of `zone` on `bridge` (its veth's zone end there), as the zone shows it. */
async function addressOn(lans: ZoneLans, zone: string, bridge: string, addrs: (z: string) => Promise<Map<string, string>>): Promise<string | undefined> {
  const port = lans.ports.find((p) => p.zone === zone && p.bridge === bridge);
  return port ? (await addrs(zone)).get(port.zoneIf) : undefined;
}

export const bridges: Lab = {
  id: 13,
  slug: 'bridges',
  title: 'bridges: zones on virtual LANs, a router zone between two',
  seed: 'Técnicas de virtualización (puentes: brctl show, brctl addbr) and the network-namespaces course (veth, virtual switches, routing between them)',
  hostLimits() {
    const brctl = ['/usr/sbin/brctl', '/sbin/brctl'].some((p) => existsSync(p));
    return brctl ? [] : ['brctl is not installed: scripts/install-deps.sh installs it (Debian package bridge-utils); ip link show type bridge and bridge link show the same'];
  },
  async check(host) {
    const items: CheckItem[] = [];
    const lans = await zoneLans(host);
    const names = lans.bridges.map((b) => b.name);
    const bridgesDetail = names.length
      ? `zones are on ${names.join(', ')}${lans.missing.length ? `; ${lans.missing.join(', ')} does not exist yet` : ''}`
      : lans.missing.length
        ? `${lans.missing.join(', ')} does not exist: ${NEW_BRIDGE.replaceAll('lan1', lans.missing[0]!)}`
        : `create a bridge (${NEW_BRIDGE}) and give exclusive-IP zones a net on it`;
    items.push(item('two bridges with exclusive-IP zones on them', names.length >= 2 && lans.ports.length > 0, bridgesDetail));
    for (const b of lans.bridges) items.push(bridgeIsolatedItem(lans, b));

    const bridgesOf = (z: string) => [...new Set(lans.ports.filter((p) => p.zone === z).map((p) => p.bridge))].sort();
    const router = lans.zones.find((z) => bridgesOf(z).length >= 2);
    const ends = (b: string) => zonesOn(lans, b).filter((z) => z !== router);
    const cache = new Map<string, Promise<Map<string, string>>>();
    const addrs = (z: string) => cache.get(z) ?? cache.set(z, zoneAddresses(host, z)).get(z)!;
    const on = (z: string, b: string) => addressOn(lans, z, b, addrs);

    // Several zones on one LAN, reaching each other: the LAN with the most end zones (one of the router's on a tie).
    const score = (b: string) => ends(b).length * 2 + (router && bridgesOf(router).includes(b) ? 1 : 0);
    const lan = [...names].sort((a, b) => score(b) - score(a))[0];
    const lanZones = lan ? ends(lan) : [];
    const who = names.map((b) => `${b}: ${zonesOn(lans, b).join(', ') || 'no zone'}`).join('; ');
    items.push(item('two zones (besides a router) on one LAN', lanZones.length >= 2, lanZones.length >= 2 ? who : `${who || 'no zone on a bridge'}; boot two exclusive-IP zones with a net on the same bridge`));
    if (lan && lanZones.length >= 2) {
      const [a, b] = lanZones as [string, string];
      const to = await on(b, lan);
      const reached = to !== undefined && (await pingFrom(host, a, to));
      items.push(item(`${a} reaches ${b} on ${lan}`, reached, to === undefined ? `${b} has no IPv4 address on ${lan}: set allowed-address on its net` : reached ? `ping ${to} from inside ${a}` : `ping ${to} from inside ${a} got no answer`));
    } else {
      items.push(item('the zones of one LAN reach each other', false, 'needs two zones on one LAN first'));
    }

    // The router between two LANs.
    if (!router) {
      items.push(item('a router zone with an interface on each of two LANs', false, 'give one exclusive-IP zone two nets, one on each bridge (zonecfg: add net; set physical=lan2 ...)'));
      items.push(item('the router forwards IPv4 and the end zones reach each other through it', false, 'needs a router zone first'));
      return items;
    }
    const [x, y] = bridgesOf(router).sort((a, b) => (a === lan ? -1 : b === lan ? 1 : 0)) as [string, string];
    const rx = await on(router, x);
    const ry = await on(router, y);
    const rDetail = `${router}: ${lans.ports.filter((p) => p.zone === router).map((p) => `${p.zoneIf} on ${p.bridge}`).join(', ')}`;
    items.push(item(`router zone ${router} has an address on ${x} and on ${y}`, rx !== undefined && ry !== undefined, rx && ry ? `${rDetail} (${rx}, ${ry})` : `${rDetail}; set allowed-address on both of its nets`));
    const fwd = (await host.inZone(router, 'cat /proc/sys/net/ipv4/ip_forward')).stdout.trim();
    items.push(item(`${router} forwards IPv4 (net.ipv4.ip_forward in its network namespace)`, fwd === '1', fwd === '1' ? 'net.ipv4.ip_forward = 1' : `it is ${fwd || 'unreadable'}: zlogin ${router} sysctl -w net.ipv4.ip_forward=1`));

    const a = ends(x)[0];
    const c = ends(y)[0];
    if (!a || !c || !rx || !ry) {
      items.push(item(`zones on ${x} and on ${y} route through ${router}`, false, `needs an end zone on each of ${x} and ${y}`));
      items.push(item(`a zone on ${x} reaches a zone on ${y} across ${router}`, false, `needs an end zone on each of ${x} and ${y}`));
    } else {
      const ax = await on(a, x);
      const cy = await on(c, y);
      const there = cy ? await routeFrom(host, a, cy) : undefined;
      const back = ax ? await routeFrom(host, c, ax) : undefined;
      const routed = there?.via === rx && back?.via === ry;
      const routeDetail = routed
        ? `${a} -> ${cy} via ${rx}; ${c} -> ${ax} via ${ry}`
        : there?.via !== rx
          ? `${a} sends ${cy ?? `${c}'s address`} ${there?.via ? `via ${there.via}` : 'nowhere through the router'}: zonecfg -z ${a} "select net physical=${x}; set defrouter=${rx}; end" and reboot it, or zlogin ${a} ip route add default via ${rx}`
          : `${c} sends ${ax ?? `${a}'s address`} ${back?.via ? `via ${back.via}` : 'nowhere through the router'}: set its defrouter to ${ry}, or zlogin ${c} ip route add default via ${ry}`;
      items.push(item(`${a} and ${c} route through ${router}`, routed, routeDetail));
      const reached = cy !== undefined && (await pingFrom(host, a, cy));
      items.push(item(`${a} (on ${x}) reaches ${c} (on ${y}) across ${router}`, reached, reached ? `ping ${cy} from inside ${a}` : `ping ${cy ?? c} from inside ${a} got no answer`));
    }

    // What `brctl show` (or `bridge link`) told the student.
    const answer = host.answers(13)['router-port'];
    const routerPorts = lans.ports.filter((p) => p.zone === router).map((p) => p.hostIf);
    const right = answer !== undefined && routerPorts.includes(answer);
    items.push(
      item(
        `the router's port, as brctl show lists it, recorded`,
        right,
        answer === undefined ? `find ${router}'s port in brctl show and record it: zonelab answer 13 router-port NAME` : right ? answer : `${answer} is not a port of ${router}; look again at brctl show`,
      ),
    );
    return items;
  },
};
