/**
 * One reading of the process table with each process's zone (docs/process-tools.md): the zone
 * is the one whose cgroup holds the process (platform/cgroups/common.ts zoneCgroupOfPath, an
 * anchored path a zone's root cannot leave), the global zone for a process in none; zone ids
 * come from the runtime's reservations (zoneadm/kernel.ts, what `zoneadm list` shows).
 */
import { resolve } from 'node:path';
import { zoneCgroupOfPath } from '../platform/cgroups/common.js';
import { readHostFacts, readProcessTable, type HostFacts, type ProcessEntry } from '../platform/proc-table.js';
import { zoneCgroupParent } from '../runtime/cgroup-parent.js';
import { zonesRoot } from '../store/paths.js';
import { readKernelZones } from '../zoneadm/kernel.js';

export const GLOBAL_ZONE = 'global';

/** A zone in the kernel, the global zone (id 0) included. */
export interface RunningZone {
  id: number;
  name: string;
}

/** A process with its zone. */
export interface Proc extends ProcessEntry {
  /** Its zone's name; undefined for a process in a zone of another ZONES_ROOT (never selected by -z). */
  zone: string | undefined;
  /** Its zone's id; undefined when that zone has none (not in the kernel any more, or another root's). */
  zoneid: number | undefined;
}

export interface Snapshot {
  procs: Proc[];
  /** The global zone first, then the zones in the kernel by id. */
  zones: RunningZone[];
  host: HostFacts;
  /** When it was read, in seconds since the epoch. */
  now: number;
}

/**
 * Puts each process in its zone: `cgroupParent` is this ZONES_ROOT's parent of zone cgroups
 * (`zones`, `zones.<hash>`), `zones` the zones in the kernel.
 */
export function placeInZones(entries: readonly ProcessEntry[], cgroupParent: string, zones: readonly RunningZone[]): Proc[] {
  const ids = new Map(zones.map((z) => [z.name, z.id]));
  return entries.map((e) => {
    const z = zoneCgroupOfPath(e.cgroup);
    if (!z) return { ...e, zone: GLOBAL_ZONE, zoneid: 0 };
    if (z.parent !== cgroupParent) return { ...e, zone: undefined, zoneid: undefined };
    return { ...e, zone: z.name, zoneid: ids.get(z.name) };
  });
}

/** The zones in the kernel under `root`, the global zone first. */
export function runningZones(root: string): RunningZone[] {
  const zones: RunningZone[] = [{ id: 0, name: GLOBAL_ZONE }];
  for (const z of readKernelZones(root)) if (z.id !== undefined) zones.push({ id: z.id, name: z.name });
  return zones;
}

export function takeSnapshot(root: string = zonesRoot()): Snapshot {
  const r = resolve(root);
  const zones = runningZones(r);
  const host = readHostFacts();
  const procs = placeInZones(readProcessTable(), zoneCgroupParent(r), zones);
  return { procs, zones, host, now: Date.now() / 1000 };
}

/** How `word` (a zone name, or the id of a zone in the kernel) names a zone, as Solaris zone_get_id reads it. */
export function zoneByWord(word: string, zones: readonly RunningZone[]): RunningZone | undefined {
  const byName = zones.find((z) => z.name === word);
  if (byName) return byName;
  if (!/^\d+$/.test(word)) return undefined;
  return zones.find((z) => z.id === Number(word));
}

/**
 * The zone names a zone list selects, or the first word that names no zone in the kernel.
 * `words` are already split at the list separators.
 */
export function resolveZoneList(words: readonly string[], zones: readonly RunningZone[]): { names: Set<string> } | { unknown: string } {
  const names = new Set<string>();
  for (const w of words) {
    const z = zoneByWord(w, zones);
    if (!z) return { unknown: w };
    names.add(z.name);
  }
  return { names };
}

/** A list option's value split as the Solaris tools split it (commas and blanks). */
export function splitList(value: string): string[] {
  return value.split(/[,\s]+/).filter(Boolean);
}
