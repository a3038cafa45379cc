/**
 * What the zones service does when the host starts and stops (docs/autoboot.md), as Solaris'
 * svc-zones start and stop methods do it (docs/reference.md#45-the-zones-service): at start,
 * boot every installed zone whose autoboot is true, a few at a time, each failure reported and
 * the others still booted; at stop, shut down every running zone at once and halt whatever is
 * still up when the timeout runs out. Each zone operation is a zoneadm run of its own
 * ({@link ZoneOps}, `zone-ops.ts`): a zone whose boot hangs or crashes cannot take the others with
 * it, and the locks zoneadm takes (one per process) keep their meaning.
 */
import { resolve } from 'node:path';
import { ZoneStore } from '../store/zone-store.js';
import { loadKernelStateLookup, readKernelZones } from '../zoneadm/kernel.js';

export interface ZoneOpResult {
  ok: boolean;
  /** what zoneadm printed on each stream */
  stdout: string;
  stderr: string;
}

/** The zoneadm operations the service runs, one zone each. */
export interface ZoneOps {
  boot(zone: string): Promise<ZoneOpResult>;
  /** `zoneadm shutdown`: the init is asked to stop, and the zone halted after `timeoutS` */
  shutdown(zone: string, timeoutS: number): Promise<ZoneOpResult>;
  halt(zone: string): Promise<ZoneOpResult>;
}

export interface ServiceIO {
  out(text: string): void;
  err(text: string): void;
}

/** Boots at once at most: enough to overlap their waits, few enough not to flood a small host at start. */
export const BOOT_PARALLEL = 4;

export interface StartPlan {
  /** installed, autoboot=true, not in the kernel: to boot, in index order */
  boot: string[];
  /** autoboot=true but already in the kernel (a second start): left alone */
  up: string[];
  /** zones whose configuration could not be read, with the reason */
  unreadable: { zone: string; message: string }[];
}

/** Which zones `zonesvc start` boots under `root`. */
export async function startPlan(root: string): Promise<StartPlan> {
  const store = new ZoneStore(resolve(root));
  const kernel = await loadKernelStateLookup(store.root);
  const read = store.globalsReader();
  const plan: StartPlan = { boot: [], up: [], unreadable: [] };
  for (const e of store.list()) {
    let autoboot: string | undefined;
    try {
      autoboot = read(e.name)?.autoboot;
    } catch (err) {
      plan.unreadable.push({ zone: e.name, message: (err as Error).message });
      continue;
    }
    if (autoboot !== 'true') continue;
    if (kernel(e.name) !== undefined) plan.up.push(e.name);
    else if (e.state === 'installed') plan.boot.push(e.name);
  }
  return plan;
}

/** Runs `fn` on every item, at most `bound` at a time; the results in the items' order. */
async function bounded<T, R>(items: readonly T[], bound: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(bound, items.length) }, worker));
  return results;
}

const line = (t: string) => (t === '' || t.endsWith('\n') ? t : `${t}\n`);

/** A zoneadm run's output, passed on whole to the same stream (its lines name the zone already). */
function relay(io: ServiceIO, r: ZoneOpResult): void {
  if (r.stdout) io.out(line(r.stdout));
  if (r.stderr) io.err(line(r.stderr));
}

/** A zone operation that could not even run (no node, no zoneadm): reported as its failure. */
const notRun = (zone: string) => (e: Error): ZoneOpResult => ({ ok: false, stdout: '', stderr: `zonesvc: zone '${zone}': ${e.message}` });

const zoneList = (zones: readonly string[]) => zones.map((z) => `'${z}'`).join(', ');

/**
 * `zonesvc start`: boots the zones of {@link startPlan}. Returns the exit status: 1 if a zone
 * failed to boot or its configuration could not be read, else 0 (nothing to boot is success).
 */
export async function startZones(root: string, ops: ZoneOps, io: ServiceIO, parallel = BOOT_PARALLEL): Promise<number> {
  const plan = await startPlan(root);
  for (const u of plan.unreadable) io.err(`zonesvc: zone '${u.zone}': ${u.message}\n`);
  if (plan.boot.length > 0) io.out(`Booting zones: ${plan.boot.join(' ')}.\n`);
  const results = await bounded(plan.boot, parallel, async (zone) => {
    const r = await ops.boot(zone).catch(notRun(zone));
    relay(io, r);
    return r;
  });
  const failed = plan.boot.filter((_, i) => !results[i]!.ok);
  if (failed.length > 0) io.err(`zonesvc: ${failed.length} of ${plan.boot.length} zones failed to boot: ${zoneList(failed)}\n`);
  return failed.length > 0 || plan.unreadable.length > 0 ? 1 : 0;
}

/** The zones under `root` that are in the kernel, with their state. */
async function kernelZones(root: string): Promise<{ zone: string; state: string }[]> {
  const store = new ZoneStore(resolve(root));
  const kernel = await loadKernelStateLookup(store.root);
  return store.list().flatMap((e) => {
    const state = kernel(e.name);
    return state === undefined ? [] : [{ zone: e.name, state }];
  });
}

/**
 * `zonesvc stop`: every running zone is shut down at once (`zoneadm shutdown`: its init is asked
 * to stop, and it is halted once `timeoutS` has passed); a zone in the kernel that is not running
 * (ready, shutting down) is halted. Returns 1 if a zone is still in the kernel afterwards
 * (`Zone 'z' failed to halt.`, as Solaris says it), else 0.
 */
export async function stopZones(root: string, ops: ZoneOps, io: ServiceIO, timeoutS: number): Promise<number> {
  const zones = await kernelZones(root);
  if (zones.length === 0) return 0;
  const running = zones.filter((z) => z.state === 'running').map((z) => z.zone);
  const others = zones.filter((z) => z.state !== 'running').map((z) => z.zone);
  if (running.length > 0) io.out(`Shutting down running zones (for up to ${timeoutS} seconds): ${running.join(' ')}.\n`);
  if (others.length > 0) io.out(`Halting zones: ${others.join(' ')}.\n`);
  await Promise.all([
    ...running.map((z) => ops.shutdown(z, timeoutS).catch(notRun(z)).then((r) => relay(io, r))),
    ...others.map((z) => ops.halt(z).catch(notRun(z)).then((r) => relay(io, r))),
  ]);
  const left = await kernelZones(root);
  for (const z of left) io.err(`Zone '${z.zone}' failed to halt.\n`);
  return left.length > 0 ? 1 : 0;
}

/**
 * Every zone with autoboot=true under `root` and its state (in the kernel, else as the index has
 * it), for `zonesvc status`: read as `zoneadm list` reads it, by any user and without writing.
 */
export function autobootStates(root: string): { zone: string; state: string }[] {
  const store = new ZoneStore(resolve(root));
  const inKernel = new Map(readKernelZones(store.root).map((k) => [k.name, k.state]));
  const kernel = (name: string) => inKernel.get(name);
  const read = store.globalsReader();
  return store.list().flatMap((e) => {
    let autoboot: string | undefined;
    try {
      autoboot = read(e.name)?.autoboot;
    } catch {
      return [{ zone: e.name, state: 'unreadable configuration' }];
    }
    return autoboot === 'true' ? [{ zone: e.name, state: kernel(e.name) ?? e.state }] : [];
  });
}
