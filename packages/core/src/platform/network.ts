/**
 * Zone networking on iproute2 (docs/architecture.md#networking-platformnetworkts):
 * - exclusive-IP: each `net` resource is a veth pair. The host end is enslaved to the bridge named
 *   by `physical` (created, up and without an address, when missing); the zone end is created
 *   straight in the zone's network namespace as `eth<N>` (N = the resource's position), brought up
 *   with its `allowed-address` and a default route via `defrouter`. Halt deletes the host end
 *   (the pair would die with the zone's namespace, but only when the kernel gets to freeing it).
 * - shared-IP: the zone uses the global zone's stack; each `address` is added to `physical` (which
 *   must exist) at boot, labelled `<physical>:<zoneid>` when that fits, and removed at halt.
 * The plan is computed without I/O; applying it runs `ip` through sys/tools (missing: iproute2).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Resource, ZoneConfig } from '../model/types.js';
import { findTool, runTool, ToolFailedError } from '../sys/tools.js';

export interface ExclusiveNic {
  /** The bridge (`physical`). */
  bridge: string;
  /** Host end of the veth pair (unique per ZONES_ROOT, zone and resource; at most 15 characters). */
  hostIf: string;
  /** Zone end, inside the zone: eth0, eth1... */
  zoneIf: string;
  allowedAddress?: string;
  defrouter?: string;
}

export interface SharedAddress {
  physical: string;
  address: string;
}

export interface ZoneNetworkPlan {
  exclusive: ExclusiveNic[];
  shared: SharedAddress[];
}

/** Linux interface names: at most 15 bytes, no `/`, `:` or whitespace. */
const IFNAME = /^[A-Za-z0-9_.-]{1,15}$/;

/** True for a name planZoneNetwork accepts as an interface (never a path: `.` and `..` are refused too). */
export function isInterfaceName(v: unknown): v is string {
  return typeof v === 'string' && IFNAME.test(v) && v !== '.' && v !== '..';
}

export class ZoneNetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZoneNetworkError';
  }
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** What the zone's `net` resources ask for; `key` tells this zone apart from every other one on the host. */
export function planZoneNetwork(cfg: ZoneConfig, key: string): ZoneNetworkPlan {
  const exclusive = cfg.globals['ip-type'] === 'exclusive';
  const nets = cfg.resources.filter((r) => r.type === 'net');
  const plan: ZoneNetworkPlan = { exclusive: [], shared: [] };
  nets.forEach((r, i) => {
    if (exclusive) plan.exclusive.push(exclusiveNic(r, key, i));
    else {
      const a = sharedAddress(r);
      if (a) plan.shared.push(a);
    }
  });
  return plan;
}

function physicalOf(r: Resource): string {
  const physical = str(r.props.physical);
  if (!IFNAME.test(physical)) throw new ZoneNetworkError(`${physical}: invalid physical interface name`);
  return physical;
}

/** The interfaces of an exclusive-IP `net` resource numbered `n` (its position at boot; a live add takes a free number). */
export function exclusiveNic(r: Resource, key: string, n: number): ExclusiveNic {
  const tag = createHash('sha256').update(key).digest('hex').slice(0, 8);
  return {
    bridge: physicalOf(r),
    hostIf: `zn${tag}${n}`, // HOST_END
    zoneIf: `eth${n}`,
    allowedAddress: str(r.props['allowed-address']) || undefined,
    defrouter: str(r.props.defrouter) || undefined,
  };
}

/** The address a shared-IP `net` resource adds to its interface, if it has one. */
export function sharedAddress(r: Resource): SharedAddress | undefined {
  const physical = physicalOf(r);
  return str(r.props.address) ? { physical, address: withPrefix(str(r.props.address)) } : undefined;
}

/** An address without a prefix length is a host address (Solaris would consult /etc/netmasks). */
function withPrefix(a: string): string {
  if (a.includes('/')) return a;
  return a.includes(':') ? `${a}/128` : `${a}/32`;
}

const exists = (ifname: string) => existsSync(`/sys/class/net/${ifname}`);

/** Whether the interface exists in this network namespace. */
export const interfaceExists = (ifname: string): boolean => IFNAME.test(ifname) && exists(ifname);
const isBridge = (ifname: string) => existsSync(`/sys/class/net/${ifname}/bridge`);

/** Runs a tool; a failure says what the tool printed (`RTNETLINK answers: File exists`), a missing tool its package. */
async function tool(name: string, args: string[], input?: string): Promise<void> {
  try {
    await runTool(name, args, { input });
  } catch (e) {
    const said = e instanceof ToolFailedError ? e.result.stderr.trim().split('\n').slice(-3).join('\n') : '';
    throw new ZoneNetworkError(said || (e as Error).message);
  }
}

const ip = (args: string[]) => tool('ip', args);

/** The interface index of `ifname` (what tells a bridge from another one made later under its name), or undefined. */
function interfaceIndex(ifname: string): number | undefined {
  try {
    const n = Number(readFileSync(`/sys/class/net/${ifname}/ifindex`, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The bridge `name`, created (up, no address) if missing; an existing non-bridge interface is
 * refused. `created` hears of a bridge made here, with its interface index, before anything joins it.
 */
async function ensureBridge(name: string, created?: (bridge: string, ifindex: number) => void): Promise<void> {
  if (exists(name)) {
    if (!isBridge(name)) {
      throw new ZoneNetworkError(`${name} is not a bridge: an exclusive-IP zone's physical names the bridge its interface joins`);
    }
    return;
  }
  try {
    await ip(['link', 'add', 'name', name, 'type', 'bridge']);
    const ifindex = interfaceIndex(name);
    if (ifindex !== undefined) created?.(name, ifindex);
    // No address, not even IPv6 link-local: the host's own stack stays off the zones' LAN. Set
    // before `up` (in the same request the kernel would configure the address first).
    await ip(['link', 'set', 'dev', name, 'addrgenmode', 'none']);
  } catch (e) {
    if (!isBridge(name)) throw e; // made meanwhile by something else: fine, and not ours
  }
  await ip(['link', 'set', 'dev', name, 'up']);
}

/**
 * Deletes a bridge an exclusive-IP boot made (`ifindex`, recorded then) once no interface is
 * enslaved to it. A bridge of that name with another index was made by someone else: left alone.
 */
export async function removeBridgeIfUnused(name: string, ifindex: number): Promise<'removed' | 'in use' | 'gone' | 'not ours'> {
  if (!IFNAME.test(name) || !exists(name)) return 'gone';
  if (!isBridge(name) || interfaceIndex(name) !== ifindex) return 'not ours';
  let ports: string[];
  try {
    ports = readdirSync(`/sys/class/net/${name}/brif`);
  } catch {
    ports = [];
  }
  if (ports.length > 0) return 'in use';
  await ip(['link', 'del', 'dev', name]).catch(() => undefined);
  return exists(name) ? 'in use' : 'removed';
}

/**
 * Gives a zone (its network namespace: that of `pid`) its exclusive-IP interfaces. A host end left
 * by a crashed earlier boot of the same zone is removed first. `created` hears of each bridge made here.
 */
export async function setUpExclusive(
  nics: readonly ExclusiveNic[],
  pid: number,
  created?: (bridge: string, ifindex: number) => void,
): Promise<void> {
  for (const n of nics) {
    await ensureBridge(n.bridge, created);
    if (exists(n.hostIf)) await ip(['link', 'del', 'dev', n.hostIf]);
    await ip(['link', 'add', 'name', n.hostIf, 'type', 'veth', 'peer', 'name', n.zoneIf, 'netns', String(pid)]);
    // The host end carries no address either (no IPv6 link-local from the host onto the LAN).
    await ip(['link', 'set', 'dev', n.hostIf, 'addrgenmode', 'none', 'master', n.bridge, 'up']);
  }
  // Inside the zone, one `ip -batch` for every interface.
  const inside: string[] = [];
  for (const n of nics) {
    if (n.allowedAddress) inside.push(`addr add ${n.allowedAddress} dev ${n.zoneIf}`);
    inside.push(`link set dev ${n.zoneIf} up`);
  }
  for (const n of nics) if (n.defrouter) inside.push(`route add default via ${n.defrouter} dev ${n.zoneIf}`);
  if (inside.length > 0) await tool('nsenter', ['-t', String(pid), '-n', '--', 'ip', '-batch', '-'], `${inside.join('\n')}\n`);
}

/** The label of a shared-IP address: `<physical>:<zoneid>` (Solaris' logical interface), if it fits. */
function label(a: SharedAddress, zoneid: number): string[] {
  const l = `${a.physical}:${zoneid}`;
  return l.length <= 15 ? ['label', l] : [];
}

/** Adds a shared-IP zone's addresses to their interfaces; the ones added so far are undone on failure. */
export async function addSharedAddresses(addrs: readonly SharedAddress[], zoneid: number): Promise<void> {
  const done: SharedAddress[] = [];
  try {
    for (const a of addrs) {
      if (!exists(a.physical)) throw new ZoneNetworkError(`${a.physical}: no such interface`);
      await ip(['addr', 'add', a.address, 'dev', a.physical, ...label(a, zoneid)]);
      done.push(a);
    }
  } catch (e) {
    await removeSharedAddresses(done);
    throw e;
  }
}

/** The host end of a zone's veth pair, as planZoneNetwork names it. */
const HOST_END = /^zn[0-9a-f]{8}\d{1,5}$/;

/**
 * Deletes zones' veth host ends by exact name (each takes its peer along); missing ones are
 * skipped, and so is any other name: a damaged record never deletes one of the host's interfaces.
 */
export async function removeInterfaces(names: readonly unknown[]): Promise<void> {
  for (const n of names) if (typeof n === 'string' && HOST_END.test(n) && exists(n)) await ip(['link', 'del', 'dev', n]).catch(() => undefined);
}

/**
 * The commands (argv, absolute path first) that remove shared-IP addresses, for the supervisor to
 * run when the zone halts by itself (its init exits): no address outlives its zone on the host.
 */
export function sharedAddressRemovals(addrs: readonly SharedAddress[]): string[][] {
  const ipPath = findTool('ip');
  if (!ipPath) return [];
  return addrs.filter((a) => !/\s/.test(a.address + a.physical)).map((a) => [ipPath, 'addr', 'del', a.address, 'dev', a.physical]);
}

/** Removes shared-IP addresses (already gone, or the interface gone: fine). */
export async function removeSharedAddresses(addrs: readonly SharedAddress[]): Promise<void> {
  for (const a of addrs) {
    if (typeof a?.address !== 'string' || typeof a.physical !== 'string' || !IFNAME.test(a.physical) || !exists(a.physical)) continue;
    await ip(['addr', 'del', a.address, 'dev', a.physical]).catch(() => undefined);
  }
}

const PING_GROUP_RANGE = '/proc/sys/net/ipv4/ping_group_range';

/** The groups that may open ICMP echo sockets in this network namespace (`[1, 0]`: none). */
export function pingGroupRange(): [number, number] {
  const [lo, hi] = readFileSync(PING_GROUP_RANGE, 'utf8').trim().split(/\s+/).map(Number);
  return [lo ?? 1, hi ?? 0];
}

export function setPingGroupRange(lo: number, hi: number): void {
  writeFileSync(PING_GROUP_RANGE, `${lo} ${hi}\n`);
}
