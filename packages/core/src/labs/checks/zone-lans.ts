/**
 * What the network labs (13 bridges, 16 nginx between zones) look at: the bridges the running
 * exclusive-IP zones are on, which zone's veth is which port, a zone's IPv4 addresses and routes
 * as the zone itself sees them, and a ping from inside a zone.
 */
import { listBridges, type BridgeView } from '../../platform/net-view.js';
import { zoneHostLinks } from '../../runtime/zone-network.js';
import type { LabHost } from '../host.js';
import { type CheckItem, item } from '../lab.js';
import { runningZoneNames } from './common.js';

/** One veth pair of a running zone: its host end is a port of `bridge`, its zone end is `zoneIf`. */
export interface ZonePort {
  zone: string;
  hostIf: string;
  zoneIf: string;
  bridge: string;
}

export interface ZoneLans {
  /** The bridges named by the exclusive-IP zones' `net` resources, in the host's network namespace (those that exist). */
  bridges: BridgeView[];
  /** Bridges a zone names that do not exist (or are not bridges). */
  missing: string[];
  ports: ZonePort[];
  /** The running exclusive-IP zones. */
  zones: string[];
}

/** The zone end of a host end `zn<8 hex><N>` (platform/network.ts names them): `eth<N>`. */
const zoneEnd = (hostIf: string) => `eth${hostIf.slice(10)}`;

export async function zoneLans(host: LabHost): Promise<ZoneLans> {
  const exclusive = host.zoneNames().filter((z) => host.config(z)?.globals['ip-type'] === 'exclusive');
  const named = [...new Set(exclusive.flatMap((z) => host.resources(z, 'net').map((r) => String(r.props.physical ?? ''))))].filter(Boolean).sort();
  const all = await listBridges();
  const bridges = all.filter((b) => named.includes(b.name));
  const running = new Set(runningZoneNames(host));
  const zones = exclusive.filter((z) => running.has(z));
  const owner = new Map<string, string>();
  for (const z of zones) for (const h of zoneHostLinks(z, host.root)) owner.set(h, z);
  const ports: ZonePort[] = [];
  for (const b of bridges) {
    for (const p of b.ports) {
      const z = owner.get(p.name);
      if (z) ports.push({ zone: z, hostIf: p.name, zoneIf: zoneEnd(p.name), bridge: b.name });
    }
  }
  return { bridges, missing: named.filter((n) => !bridges.some((b) => b.name === n)), ports, zones };
}

/** The zones with a port on `bridge`, in name order. */
export function zonesOn(lans: ZoneLans, bridge: string): string[] {
  return [...new Set(lans.ports.filter((p) => p.bridge === bridge).map((p) => p.zone))].sort();
}

/**
 * `bridge B has no address and no physical port`: the host takes no part in the virtual LAN (not
 * even with an IPv6 link-local address), and no machine's interface joins it.
 */
export function bridgeIsolatedItem(lans: ZoneLans, b: BridgeView): CheckItem {
  const what = `bridge ${b.name} is up, with no address and no port but the zones' veths`;
  const known = new Set(lans.ports.map((p) => p.hostIf));
  if (!b.up) return item(what, false, `it is down: ip link set dev ${b.name} up`);
  if (b.addresses.length > 0) {
    return item(what, false, `it has ${b.addresses.join(', ')}: ip link set dev ${b.name} addrgenmode none; ip addr flush dev ${b.name}`);
  }
  const physical = b.ports.filter((p) => p.physical);
  if (physical.length > 0) return item(what, false, `${physical.map((p) => p.name).join(', ')} is a physical interface: ip link set dev ${physical[0]!.name} nomaster`);
  const other = b.ports.filter((p) => !known.has(p.name));
  if (other.length > 0) return item(what, false, `${other.map((p) => p.name).join(', ')} is not a running zone's interface: ip link set dev ${other[0]!.name} nomaster`);
  const ports = lans.ports.filter((p) => p.bridge === b.name);
  return item(what, true, ports.length ? ports.map((p) => `${p.hostIf} (${p.zone} ${p.zoneIf})`).join(', ') : 'no ports yet');
}

/** The zone's IPv4 addresses by interface (`eth0` -> `198.51.100.1`), as `ip -4 addr` shows them inside the zone. */
export async function zoneAddresses(host: LabHost, zone: string): Promise<Map<string, string>> {
  const r = await host.inZone(zone, 'ip -o -4 addr show');
  const out = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const m = /^\d+:\s+(\S+)\s+inet\s+(\d{1,3}(?:\.\d{1,3}){3})\//.exec(line);
    if (m && !out.has(m[1]!)) out.set(m[1]!, m[2]!);
  }
  return out;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** One ping from inside `zone` to `address` (an IPv4 address a zone has): reached or not. */
export async function pingFrom(host: LabHost, zone: string, address: string): Promise<boolean> {
  if (!IPV4.test(address)) return false;
  const r = await host.inZone(zone, `ping -c 1 -W 2 ${address} >/dev/null 2>&1`);
  return r.exitCode === 0;
}

/** How `zone` reaches `address`: the next hop (`via`, undefined when on the link) and the interface, from `ip route get` inside it. */
export async function routeFrom(host: LabHost, zone: string, address: string): Promise<{ via?: string; dev?: string } | undefined> {
  if (!IPV4.test(address)) return undefined;
  const r = await host.inZone(zone, `ip route get ${address}`);
  if (r.exitCode !== 0) return undefined;
  const via = /\bvia (\S+)/.exec(r.stdout)?.[1];
  const dev = /\bdev (\S+)/.exec(r.stdout)?.[1];
  return { ...(via ? { via } : {}), ...(dev ? { dev } : {}) };
}
