/**
 * The network side of a zone's boot and halt (platform/network.ts does the work): the plan from
 * the configuration, a record of what the boot made on the host's side, and undoing it. Loaded
 * only for zones with `net` resources.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ZoneConfig } from '../model/types.js';
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
  const record: NetworkRecord = { shared: plan.shared, hostIfs: plan.exclusive.map((n) => n.hostIf) };
  writeFileSync(netRecordPath(name, root), `${JSON.stringify(record)}\n`);
  const inZoneWords = (e: unknown) => Promise.reject(runtimeError.network(name, (e as Error).message));
  return {
    plan,
    addShared: (zoneid: number) => network.addSharedAddresses(plan.shared, zoneid).catch(inZoneWords),
    setUpExclusive: (pid: number) => network.setUpExclusive(plan.exclusive, pid).catch(inZoneWords),
  };
}

interface NetworkRecord {
  shared: import('../platform/network.js').SharedAddress[];
  hostIfs: string[];
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
    recorded = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return;
  }
  const { removeSharedAddresses, removeInterfaces } = await import('../platform/network.js');
  await removeSharedAddresses(recorded.shared ?? []);
  await removeInterfaces(recorded.hostIfs ?? []);
  rmSync(path, { force: true });
}
