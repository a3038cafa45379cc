/**
 * dedicated-cpu as Solaris' temporary pools (docs/resource-controls.md#dedicated-cpu): a zone
 * asking for N or N-M CPUs gets a cpuset of host CPUs no other running zone has, at least one CPU
 * always stays out of every dedicated set (Solaris' default pool), and every other zone of this
 * ZONES_ROOT runs on what is left. Each dedicated zone's share is a file of its run directory,
 * read and written under one lock for the ZONES_ROOT, so two boots never hand out the same CPU.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDir } from '../store/paths.js';
import { withLock } from '../store/lock.js';
import { formatCpuList, hostCpus, zoneCgroupNames, type DedicatedCpuRequest } from '../platform/cgroups/index.js';
import { RUN_FILES } from './run-files.js';
import { ZoneRuntimeError } from './errors.js';
import { zoneCgroupFor, zoneCgroupOptions, type RuntimeOptions } from './state.js';

export interface PoolEntry extends DedicatedCpuRequest {
  name: string;
  cpus: number[];
  /** When the zone first got its CPUs (ms): the earlier boot wins among equal importance. */
  since?: number;
}

export type PoolPlan =
  | { ok: true; dedicated: Map<string, number[]>; shared: number[] }
  | { ok: false; why: string };

/**
 * Where every dedicated zone's CPUs go, from scratch. Each zone is guaranteed its minimum (a
 * new zone whose minimum does not fit is refused, never a running one); CPUs beyond the minimums
 * go by importance (higher first; equal: the earlier boot), up to each zone's maximum, so a more
 * important N-M zone may take CPUs a less important one holds above its minimum. A zone keeps the
 * CPUs it has where it can; new ones are taken from the highest number down (CPU 0 stays with the
 * host as long as possible).
 */
export function planPools(host: readonly number[], zones: readonly PoolEntry[]): PoolPlan {
  const budget = host.length - 1;
  const wanted = zones.reduce((n, z) => n + z.min, 0);
  if (wanted > budget) {
    const last = zones[zones.length - 1];
    const others = zones.slice(0, -1).filter((z) => z.min > 0);
    const held = others.map((z) => `${z.min} dedicated to zone ${z.name}`).join(', ');
    return {
      ok: false,
      why:
        `dedicated-cpu ncpus ${last ? last.min : 0} does not fit: the host has ${host.length} CPUs` +
        (held ? `, ${held}` : '') +
        ', and 1 stays in the default pool',
    };
  }
  const order = zones.map((z, i) => ({ z, i })).sort((a, b) => b.z.importance - a.z.importance || a.i - b.i).map((x) => x.z);
  const count = new Map(zones.map((z) => [z.name, z.min]));
  let extra = budget - wanted;
  for (const z of order) {
    const more = Math.min(z.max - z.min, extra);
    count.set(z.name, z.min + more);
    extra -= more;
  }
  const taken = new Set<number>();
  const dedicated = new Map<string, number[]>();
  for (const z of order) {
    // what it keeps, like what is handed out, from the highest number down
    const keep = z.cpus.filter((c) => host.includes(c) && !taken.has(c)).sort((a, b) => b - a).slice(0, count.get(z.name));
    keep.forEach((c) => taken.add(c));
    dedicated.set(z.name, keep);
  }
  const free = () => [...host].reverse().filter((c) => !taken.has(c));
  for (const z of order) {
    const have = dedicated.get(z.name)!;
    for (const c of free().slice(0, count.get(z.name)! - have.length)) {
      have.push(c);
      taken.add(c);
    }
    have.sort((a, b) => a - b);
  }
  return { ok: true, dedicated, shared: host.filter((c) => !taken.has(c)) };
}

/**
 * The allocation is the `dedicated-cpus` file of each dedicated zone's run directory: a zone that
 * halts by itself takes its entry with it (its supervisor removes the run directory), so what is
 * read is always what the running zones hold. One lock for the ZONES_ROOT serialises the changes.
 */
const LOCK = '.cpu-pools.lock';

function lockPath(root: string): string {
  return join(runDir(undefined, root), LOCK);
}

function readEntry(name: string, root: string): PoolEntry | undefined {
  try {
    const e = JSON.parse(readFileSync(join(runDir(name, root), RUN_FILES.dedicatedCpus), 'utf8')) as Partial<PoolEntry>;
    const ok = Number.isInteger(e.min) && Number.isInteger(e.max) && Number.isInteger(e.importance) && Array.isArray(e.cpus);
    return ok ? { name, min: e.min!, max: e.max!, importance: e.importance!, cpus: e.cpus!.filter(Number.isInteger), since: Number(e.since) || 0 } : undefined;
  } catch {
    return undefined;
  }
}

/** The dedicated zones among `alive` (the zones with a cgroup), in the order they got their CPUs. */
function dedicatedZones(root: string, alive: ReadonlySet<string>): PoolEntry[] {
  const out: PoolEntry[] = [];
  for (const name of alive) {
    const e = readEntry(name, root);
    if (e) out.push(e);
  }
  return out.sort((a, b) => (a.since ?? 0) - (b.since ?? 0));
}

function writeEntry(root: string, e: PoolEntry): void {
  const dir = runDir(e.name, root);
  if (!existsSync(dir)) return;
  const path = join(dir, RUN_FILES.dedicatedCpus);
  const { name: _n, ...rest } = e;
  writeFileSync(`${path}.tmp`, `${JSON.stringify(rest)}\n`, { mode: 0o644 });
  renameSync(`${path}.tmp`, path);
}

/** Moves every zone that has a cgroup onto its CPUs: its dedicated set, or the shared rest. */
function placeAll(plan: Extract<PoolPlan, { ok: true }>, opts: RuntimeOptions): void {
  const shared = formatCpuList(plan.shared);
  for (const name of zoneCgroupNames(zoneCgroupOptions(opts))) {
    const cg = zoneCgroupFor(name, opts);
    const want = plan.dedicated.has(name) ? formatCpuList(plan.dedicated.get(name)!) : shared;
    if (cg.cpus() !== want) cg.setCpus(want);
  }
}

/**
 * Under the record's lock: (re)places zone `name` with its request (none: it shares what is
 * left), moves the others, and runs `create(cpus)` for a zone whose cgroup is made now, before
 * anyone else can take its CPUs. Refused (ZoneRuntimeError) when its minimum does not fit; nothing
 * is changed then.
 */
export function placeZoneCpus<T>(
  name: string,
  request: DedicatedCpuRequest | undefined,
  given: RuntimeOptions & { root: string },
  create: (cpus: string) => T,
): T {
  mkdirRunDir(given.root);
  return withLock(lockPath(given.root), () => {
    const alive = new Set(zoneCgroupNames(zoneCgroupOptions(given)));
    alive.add(name);
    const known = dedicatedZones(given.root, alive);
    const entries = known.filter((e) => e.name !== name);
    const current = known.find((e) => e.name === name);
    if (request) entries.push({ name, ...request, cpus: current?.cpus ?? [], since: current?.since ?? Date.now() });
    const host = hostCpus(zoneCgroupOptions(given));
    const plan = planPools(host, entries);
    if (!plan.ok) throw new ZoneRuntimeError('Z_POOL', `Could not create a temporary pool: ${plan.why}.`, name);
    for (const e of entries) e.cpus = plan.dedicated.get(e.name)!;
    // Others shrink first, so that no moment has two zones on one dedicated CPU.
    placeAll(plan, given);
    const result = create(formatCpuList(request ? plan.dedicated.get(name)! : plan.shared));
    for (const e of entries) if (e.name !== name || request) writeEntry(given.root, e);
    if (!request) rmSync(join(runDir(name, given.root), RUN_FILES.dedicatedCpus), { force: true });
    return result;
  });
}

/** A zone's dedicated CPUs go back to the others (halt, a failed boot): what is in the record for it is dropped. */
export function releaseZoneCpus(name: string, given: RuntimeOptions & { root: string }): void {
  const others = new Set(zoneCgroupNames(zoneCgroupOptions(given)));
  others.delete(name);
  // No zone left, or none dedicated: every zone already may use every CPU it had.
  if (others.size === 0 || !existsSync(runDir(undefined, given.root))) return;
  withLock(lockPath(given.root), () => {
    const kept = dedicatedZones(given.root, others);
    const plan = planPools(hostCpus(zoneCgroupOptions(given)), kept);
    if (!plan.ok) return;
    for (const e of kept) {
      e.cpus = plan.dedicated.get(e.name)!;
      writeEntry(given.root, e);
    }
    placeAll(plan, given);
  });
}

/** The CPUs dedicated to `name` (tests, zonestat). */
export function dedicatedCpusOf(name: string, root: string): number[] | undefined {
  return readEntry(name, root)?.cpus;
}

function mkdirRunDir(root: string): void {
  // The record lives beside the run directories, which a first boot may not have made yet.
  mkdirSync(runDir(undefined, root), { recursive: true, mode: 0o755 });
}
