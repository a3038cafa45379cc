/**
 * What the zones service does when the host starts and stops (docs/autoboot.md), as Solaris'
 * svc-zones start and stop methods do it (docs/reference.md#45-the-zones-service): at start,
 * boot every installed zone whose autoboot is true, a few at a time, each failure reported and
 * the others still booted; at stop, ask every running zone's init to stop at once and halt
 * whatever is still up when the timeout runs out. Each boot and halt is a zoneadm run of its own
 * ({@link ZoneOps}, `zone-ops.ts`): a zone whose boot hangs or crashes cannot take the others with
 * it, and the locks zoneadm takes (re-entrant within one process) keep their meaning.
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

/** Halts at once at most: a zoneadm run is a node process (~50 MB), and a host may stop with 100 zones up. */
export const HALT_PARALLEL = 8;

/** How often the stop looks whether the zones are down yet. */
const POLL_MS = 200;

/**
 * Asks a running zone's init to stop, as `zoneadm shutdown` does (the signal its init takes for
 * power-off, docs/reference.md#42-subcommands-and-states), without a zoneadm process per zone.
 */
async function requestShutdown(zone: string, root: string): Promise<void> {
  const { zoneRuntimeInfo } = await import('../runtime/state.js');
  const { shutdownSignal } = await import('../zoneadm/lifecycle.js');
  const info = zoneRuntimeInfo(zone, { root });
  // initPid 0: the init is gone already; kill(0) would signal our own process group
  if (!info || info.initPid <= 0) return;
  try {
    process.kill(info.initPid, shutdownSignal(info.initPid).signal);
  } catch {
    // gone meanwhile: the halt below tidies up
  }
}

/** `zoneadm halt`'s answer for a zone that went down by itself: not news at a host's stop. */
const alreadyHalted = (zone: string, r: ZoneOpResult) => r.ok && r.stderr === `zoneadm: zone '${zone}': zone is already halted\n`;

/**
 * `zonesvc stop`, in Solaris' two phases: every running zone's init is asked to stop at once and
 * given `timeoutS` to take its zone down; then every zone that was in the kernel gets
 * `zoneadm halt`, which stops what is still up (a zone whose init ignored the request, a ready
 * zone) and, for the zones that went down, undoes what their boot left on the host (addresses,
 * veths: docs/architecture.md#running-halting-crashes). Returns 1 if a zone is still in the
 * kernel afterwards (`Zone 'z' failed to halt.`, as Solaris says it), else 0.
 */
export async function stopZones(root: string, ops: ZoneOps, io: ServiceIO, timeoutS: number): Promise<number> {
  const r = resolve(root);
  const zones = await kernelZones(r);
  if (zones.length === 0) return 0;
  const running = zones.filter((z) => z.state === 'running').map((z) => z.zone);
  if (running.length > 0) {
    io.out(`Shutting down running zones (for up to ${timeoutS} seconds): ${running.join(' ')}.\n`);
    for (const z of running) await requestShutdown(z, r);
    const deadline = Date.now() + timeoutS * 1000;
    let up = running;
    while (up.length > 0 && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, Math.min(POLL_MS, Math.max(0, deadline - Date.now()))));
      const still = new Set((await kernelZones(r)).map((z) => z.zone));
      up = up.filter((z) => still.has(z));
    }
  }
  const still = new Set((await kernelZones(r)).map((z) => z.zone));
  const stragglers = zones.map((z) => z.zone).filter((z) => still.has(z));
  if (stragglers.length > 0) io.out(`Zones failed to shutdown; trying to halt: ${stragglers.join(' ')}.\n`);
  await bounded(zones, HALT_PARALLEL, async ({ zone }) => {
    const h = await ops.halt(zone).catch(notRun(zone));
    if (!alreadyHalted(zone, h)) relay(io, h);
  });
  const left = await kernelZones(r);
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
