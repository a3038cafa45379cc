/**
 * The network side of a zone's boot and halt (platform/network.ts does the work): the plan from
 * the configuration, a record of what the boot made on the host's side, and undoing it. Loaded
 * only for zones with `net` resources.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Resource, ZoneConfig } from '../model/types.js';
import { acquireLock } from '../store/lock.js';
import { runDir } from '../store/paths.js';
import { runtimeError } from './errors.js';

/** The zone's network plan and the steps that apply it; undefined when the zone has no `net` resources. */
export async function prepareZoneNetwork(name: string, cfg: ZoneConfig, root: string) {
  if (!cfg.resources.some((r) => r.type === 'net')) return undefined;
  const network = await import('../platform/network.js');
  await releaseZoneNetwork(name, root); // what a crashed earlier boot left behind
  let plan: import('../platform/network.js').ZoneNetworkPlan;
  try {
    plan = network.planZoneNetwork(cfg, `${root}\0${name}`);
  } catch (e) {
    throw runtimeError.network(name, (e as Error).message);
  }
  // Recorded before anything is made, so that halt (or the next boot) undoes it even after a crash.
  const record: NetworkRecord = {
    shared: plan.shared,
    hostIfs: plan.exclusive.map((n) => n.hostIf),
    bridges: [...new Set(plan.exclusive.map((n) => n.bridge))],
  };
  writeFileSync(netRecordPath(name, root), `${JSON.stringify(record)}\n`, { mode: 0o600 });
  const inZoneWords = (e: unknown) => Promise.reject(runtimeError.network(name, (e as Error).message));
  const setUpExclusive = async (pid: number) => {
    // Under the bridges' lock: the last zone leaving a bridge we made must not remove it under a boot joining it.
    const unlock = acquireLock(bridgesLockPath(root), { timeoutMs: 30_000 });
    try {
      await network.setUpExclusive(plan.exclusive, pid, (bridge, ifindex) => {
        writeFileSync(bridgeRecordPath(bridge, root), `${ifindex}\n`, { mode: 0o644 });
      });
    } finally {
      unlock();
    }
  };
  return {
    plan,
    /** What the supervisor runs when the zone halts by itself (the rest waits for the next zoneadm command). */
    onHalt: network.sharedAddressRemovals(plan.shared),
    addShared: (zoneid: number) => network.addSharedAddresses(plan.shared, zoneid).catch(inZoneWords),
    setUpExclusive: (pid: number) => setUpExclusive(pid).catch(inZoneWords),
  };
}

interface NetworkRecord {
  shared: import('../platform/network.js').SharedAddress[];
  hostIfs: string[];
  /** The bridges its exclusive-IP interfaces join (those a boot made are removed once unused). */
  bridges?: string[];
}

/**
 * A bridge an exclusive-IP boot created (`physical` named none): `.bridge.<name>` holds its
 * interface index, so that a bridge the admin made (no record), or made again under the same name
 * (another index), is never removed (docs/architecture.md#networking-platformnetworkts).
 */
function bridgeRecordPath(bridge: string, root: string): string {
  return join(runDir(undefined, root), `.bridge.${bridge}`);
}

function bridgesLockPath(root: string): string {
  return join(runDir(undefined, root), '.bridges.lock');
}

/** What a boot configured on the host's side of the network: beside the run directory, which the supervisor removes. */
function netRecordPath(name: string, root: string): string {
  return join(runDir(undefined, root), `.${name}.net`);
}

/**
 * Undoes the host side of a boot's network: the shared-IP addresses it added and the host ends of
 * its veth pairs (they would go with the zone's network namespace, but the kernel frees a dead
 * namespace lazily, seconds later: a reboot would find the names still taken).
 */
export async function releaseZoneNetwork(name: string, root: string): Promise<void> {
  const path = netRecordPath(name, root);
  let recorded: NetworkRecord;
  try {
    recorded = JSON.parse(readFileSync(path, 'utf8')) ?? {};
  } catch (e) {
    // Unreadable (damaged): nothing it says can be undone.
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') rmSync(path, { force: true });
    return;
  }
  const { removeSharedAddresses, removeInterfaces, removeBridgeIfUnused, isInterfaceName } = await import('../platform/network.js');
  await removeSharedAddresses(Array.isArray(recorded.shared) ? recorded.shared : []);
  await removeInterfaces(Array.isArray(recorded.hostIfs) ? recorded.hostIfs : []);
  const bridges = Array.isArray(recorded.bridges) ? recorded.bridges.filter(isInterfaceName) : [];
  if (bridges.length > 0) {
    const unlock = acquireLock(bridgesLockPath(root), { timeoutMs: 30_000 });
    try {
      for (const b of bridges) {
        const made = bridgeRecordPath(b, root);
        let ifindex: number;
        try {
          ifindex = Number(readFileSync(made, 'utf8').trim());
        } catch {
          continue; // not one a boot made
        }
        if ((await removeBridgeIfUnused(b, ifindex)) !== 'in use') rmSync(made, { force: true });
      }
    } finally {
      unlock();
    }
  }
  rmSync(path, { force: true });
}

/**
 * ping in a shared-IP zone. The zone uses the host's network namespace, where a raw socket needs
 * CAP_NET_RAW of the host's user namespace, which no zone has; ping then falls back to an ICMP echo
 * socket, allowed to the groups in net.ipv4.ping_group_range. So the range is made to include the
 * zone's block of group ids (what net_icmpaccess means for a shared-IP zone), but only widened
 * over ids that no host group has: a host account never gains anything. Returns a warning when
 * that cannot be done.
 */
export async function allowSharedIpPing(gid: number, count: number, hostGroups: readonly number[]): Promise<string | undefined> {
  const { pingGroupRange, setPingGroupRange } = await import('../platform/network.js');
  const [a, b] = pingGroupRange();
  const lo = gid;
  const hi = gid + count - 1;
  if (a <= lo && hi <= b) return undefined;
  const [nlo, nhi] = a > b ? [lo, hi] : [Math.min(a, lo), Math.max(b, hi)];
  const added = (g: number) => g >= nlo && g <= nhi && !(a <= b && g >= a && g <= b);
  if (hostGroups.some(added)) {
    return `ping needs net.ipv4.ping_group_range to include the zone's groups (${lo}-${hi}); it is '${a} ${b}' and was left as it is`;
  }
  setPingGroupRange(nlo, nhi);
  return undefined;
}

/** The host ends of a booted zone's veth pairs, from its `.net` record (zonestat reads their counters). */
export function zoneHostLinks(name: string, root: string): string[] {
  return readNetRecord(name, root).hostIfs.filter((s): s is string => typeof s === 'string');
}

function readNetRecord(name: string, root: string): NetworkRecord {
  try {
    const r = JSON.parse(readFileSync(netRecordPath(name, root), 'utf8')) ?? {};
    return { shared: Array.isArray(r.shared) ? r.shared : [], hostIfs: Array.isArray(r.hostIfs) ? r.hostIfs : [], bridges: Array.isArray(r.bridges) ? r.bridges : [] };
  } catch {
    return { shared: [], hostIfs: [], bridges: [] };
  }
}

function writeNetRecord(name: string, root: string, record: NetworkRecord): void {
  const path = netRecordPath(name, root);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(record)}\n`, { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}

/** One `net` resource of a running zone, numbered as its interfaces are (runtime/live-plan.ts). */
export interface LiveNic {
  resource: Resource;
  index: number;
}

/**
 * Gives a running zone a `net` resource (`zonecfg -r`): exclusive-IP, a veth pair whose zone end
 * goes into the namespace of `pid`, configured as at boot; shared-IP, its address. Recorded first,
 * so that the halt (or the next zoneadm command) undoes it whatever happens next.
 */
export async function addLiveNet(name: string, cfg: ZoneConfig, nic: LiveNic, pid: number, zoneid: number, root: string): Promise<void> {
  const network = await import('../platform/network.js');
  const fail = (e: unknown) => Promise.reject(runtimeError.network(name, (e as Error).message));
  const record = readNetRecord(name, root);
  if (cfg.globals['ip-type'] === 'exclusive') {
    let n: import('../platform/network.js').ExclusiveNic;
    try {
      n = network.exclusiveNic(nic.resource, `${root}\0${name}`, nic.index);
    } catch (e) {
      return fail(e);
    }
    writeNetRecord(name, root, { ...record, hostIfs: [...record.hostIfs, n.hostIf], bridges: [...new Set([...(record.bridges ?? []), n.bridge])] });
    const unlock = acquireLock(bridgesLockPath(root), { timeoutMs: 30_000 });
    try {
      await network.setUpExclusive([n], pid, (bridge, ifindex) => writeFileSync(bridgeRecordPath(bridge, root), `${ifindex}\n`, { mode: 0o644 }));
    } catch (e) {
      await network.removeInterfaces([n.hostIf]);
      return fail(e);
    } finally {
      unlock();
    }
    return;
  }
  let a: import('../platform/network.js').SharedAddress | undefined;
  try {
    a = network.sharedAddress(nic.resource);
  } catch (e) {
    return fail(e);
  }
  if (!a) return;
  writeNetRecord(name, root, { ...record, shared: [...record.shared, a] });
  await network.addSharedAddresses([a], zoneid).catch(fail);
}

/** Takes a `net` resource away from a running zone: its veth pair (the zone end goes with it), or its address. */
export async function removeLiveNet(name: string, cfg: ZoneConfig, nic: LiveNic, root: string): Promise<void> {
  const network = await import('../platform/network.js');
  const record = readNetRecord(name, root);
  try {
    if (cfg.globals['ip-type'] === 'exclusive') {
      const n = network.exclusiveNic(nic.resource, `${root}\0${name}`, nic.index);
      await network.removeInterfaces([n.hostIf]);
      writeNetRecord(name, root, { ...record, hostIfs: record.hostIfs.filter((h) => h !== n.hostIf) });
      return;
    }
    const a = network.sharedAddress(nic.resource);
    if (!a) return;
    await network.removeSharedAddresses([a]);
    const i = record.shared.findIndex((s) => s.address === a.address && s.physical === a.physical);
    writeNetRecord(name, root, { ...record, shared: record.shared.filter((_, j) => j !== i) });
  } catch (e) {
    throw runtimeError.network(name, (e as Error).message);
  }
}
