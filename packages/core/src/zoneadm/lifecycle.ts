/**
 * `zoneadm ready | boot | halt | reboot | shutdown` (zoneadm.c ready_func/boot_func/halt_func/
 * reboot_func/shutdown_func with zoneadmd's state handling; docs/reference.md#42-subcommands-and-states and docs/reference.md#44-zone-states), over
 * the runtime (../runtime/). Each one: sanity_check (privilege, target, state rules with the kernel
 * state from the runtime), the zone's operation lock, verify before anything enters the kernel
 * (boot, ready, reboot, shutdown -r), then the runtime call. Runtime errors become ZoneadmErrors
 * with Solaris wording; `zone is already booted|halted|ready` print but exit 0.
 */
import { basename, resolve } from 'node:path';
import { processAlive, processCmdline, processExecutable, processName } from '../platform/proc.js';
import type { BootResult } from '../runtime/lifecycle.js';
import type { RuntimeOptions } from '../runtime/state.js';
import { ZoneRuntimeError } from '../runtime/errors.js';
import { faultPoint } from '../fault-points.js';
import { ZoneadmError } from './errors.js';
import { loadKernelStateLookup } from './kernel.js';
import { withOpLock } from './oplock.js';
import { LOCK_MSG, precheck, sanityCheck, zoneEntry, type OpContext } from './sanity.js';
import { loadConfig, requireVerified } from './verify.js';

export interface BootRequest {
  /** Arguments after `--` (or the legacy `-s`); undefined = the zone's configured bootargs. */
  bootargs?: string[];
}

export interface ShutdownRequest extends BootRequest {
  /** -r: boot again once down. */
  reboot?: boolean;
  /** How long the zone's init may take before the zone is halted (default 30 s). */
  timeoutMs?: number;
  /**
   * Progress while waiting: a line with the processes still running every `intervalMs`
   * (default 5 s); `repeat` false prints it only once (not a terminal).
   */
  progress?: { intervalMs?: number; repeat?: boolean };
}

export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 30_000;

const runtime = () => import('../runtime/lifecycle.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A ZoneadmError that prints like one but leaves the exit status 0. */
const informational = (msg: string) => new ZoneadmError(msg, 'zone', 0);

/** Runtime errors in zoneadm's words and forms. */
function mapRuntimeError(e: unknown): unknown {
  if (!(e instanceof ZoneRuntimeError)) return e;
  switch (e.code) {
    case 'Z_ALREADY_BOOTED':
    case 'Z_ALREADY_HALTED':
    case 'Z_ALREADY_READY':
      return informational(e.message);
    case 'Z_NO_ZONE':
      return new ZoneadmError(`${e.zone}: No such zone configured`, 'exec');
    case 'Z_BUSY':
      return new ZoneadmError(LOCK_MSG);
    default:
      return new ZoneadmError(e.message);
  }
}

async function rt<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw mapRuntimeError(e);
  }
}

/** The context with the runtime's kernel-state lookup (callers may have supplied one). */
async function withKernel(ctx: OpContext): Promise<OpContext> {
  return ctx.kernelState ? ctx : { ...ctx, kernelState: await loadKernelStateLookup(ctx.store.root) };
}

function runtimeOpts(ctx: OpContext): RuntimeOptions {
  return { root: resolve(ctx.store.root) };
}

/** verify_details for `cmd` under the lock (prints the problems; throws 'reported'). */
function verifyFor(ctx: OpContext, cmd: 'boot' | 'ready', zone: string): void {
  requireVerified(ctx, cmd, zoneEntry(ctx.store, zone), loadConfig(ctx, zone));
}

/** Run `fn` with the target's operation lock after the full sanity check of `cmd`. */
async function locked<T>(
  given: OpContext,
  cmd: 'boot' | 'ready' | 'halt' | 'reboot' | 'shutdown',
  fn: (ctx: OpContext, zone: string) => Promise<T>,
): Promise<T> {
  const ctx = await withKernel(given);
  const zone = precheck(ctx, cmd).name;
  return withOpLock(ctx.store.root, [zone], async () => {
    sanityCheck(ctx, cmd); // again, under the lock
    return fn(ctx, zone);
  }, ctx.io);
}

/** `zoneadm boot [-- bootargs]`: installed or ready -> running; resolves once init runs. */
export function zoneadmBoot(ctx: OpContext, req: BootRequest = {}): Promise<BootResult> {
  return locked(ctx, 'boot', async (c, zone) => {
    const k = c.kernelState!(zone);
    if (k === 'running') throw informational('zone is already booted');
    if (k !== undefined && k !== 'ready') throw new ZoneadmError(`boot operation is invalid for zones in state '${k}'`);
    verifyFor(c, 'boot', zone);
    const { bootZone } = await runtime();
    return rt(() => bootZone(zone, { ...runtimeOpts(c), bootargs: req.bootargs }));
  });
}

/** `zoneadm ready`: installed -> ready; a zone in the kernel is halted and readied again. */
export function zoneadmReady(ctx: OpContext): Promise<BootResult> {
  return locked(ctx, 'ready', async (c, zone) => {
    const k = c.kernelState!(zone);
    if (k === 'ready') throw informational('zone is already ready');
    verifyFor(c, 'ready', zone);
    const { haltZone, readyZone } = await runtime();
    if (k !== undefined) await rt(() => haltZone(zone, runtimeOpts(c)));
    return rt(() => readyZone(zone, runtimeOpts(c)));
  });
}

/**
 * `zoneadm halt`: kills everything of the zone (no shutdown scripts) -> installed. A zone whose
 * supervisor died is still halted through its cgroup. Not in the kernel: `zone is already halted`.
 */
export function zoneadmHalt(ctx: OpContext): Promise<void> {
  return locked(ctx, 'halt', async (c, zone) => {
    const { haltZone } = await runtime();
    await rt(() => haltZone(zone, runtimeOpts(c)));
  });
}

/** `zoneadm reboot [-- bootargs]`: running -> halt -> boot (new init). */
export function zoneadmReboot(ctx: OpContext, req: BootRequest = {}): Promise<BootResult> {
  return locked(ctx, 'reboot', async (c, zone) => {
    verifyFor(c, 'boot', zone);
    const { bootZone, haltZone } = await runtime();
    await rt(() => haltZone(zone, runtimeOpts(c)));
    faultPoint('reboot:halted');
    return rt(() => bootZone(zone, { ...runtimeOpts(c), bootargs: req.bootargs }));
  });
}

/** glibc's SIGRTMIN is 34 (the kernel's 32 plus the two glibc keeps for threads). */
const SIGRTMIN = 34;

/**
 * The signal that asks an init to power off: SIGRTMIN+3 for systemd, SIGUSR2 for busybox init
 * (its poweroff), SIGPWR for sysvinit-style inits, SIGTERM otherwise (the minimal init `zsched`
 * exits on SIGTERM, SIGPWR and SIGRTMIN+3 alike).
 */
export function shutdownSignal(initPid: number): { signal: number; name: string; init: string } {
  const exe = basename(processExecutable(initPid) ?? '');
  const argv0 = basename(processCmdline(initPid)?.[0] ?? '');
  if (exe === 'systemd' || argv0 === 'systemd') return { signal: SIGRTMIN + 3, name: 'SIGRTMIN+3', init: 'systemd' };
  if (argv0 === 'zsched') return { signal: 15, name: 'SIGTERM', init: 'zsched' };
  if (exe === 'busybox' && argv0 === 'init') return { signal: 12, name: 'SIGUSR2', init: 'busybox init' };
  if (exe === 'init' || argv0 === 'init') return { signal: 30, name: 'SIGPWR', init: 'init' };
  return { signal: 15, name: 'SIGTERM', init: argv0 || exe || '?' };
}

/** `N processes still running: a, b, c` for the progress line. */
export function describeProcesses(pids: readonly number[]): string {
  const names = [...new Set(pids.map((pid) => processName(pid) ?? '?'))].sort();
  const shown = names.slice(0, 6).join(', ') + (names.length > 6 ? ', ...' : '');
  return `${pids.length} process${pids.length === 1 ? '' : 'es'} still running${names.length ? `: ${shown}` : ''}`;
}

/**
 * `zoneadm shutdown [-r [-- bootargs]]`: asks the zone's init to stop, waits (bounded, with
 * progress), then halts what is left; `-r` boots again.
 */
export function zoneadmShutdown(ctx: OpContext, req: ShutdownRequest = {}): Promise<BootResult | undefined> {
  return locked(ctx, 'shutdown', async (c, zone) => {
    if (req.reboot) verifyFor(c, 'boot', zone);
    const { bootZone, haltZone, zoneRuntimeInfo, zoneCgroupFor } = await import('../runtime/index.js');
    const ro = runtimeOpts(c);
    const info = zoneRuntimeInfo(zone, ro);
    if (!info) throw new ZoneadmError('not running');
    const cg = zoneCgroupFor(zone, ro);
    const { signal } = shutdownSignal(info.initPid);
    try {
      // initPid 0: the init is gone already (shutting down); kill(0) would signal our own process group.
      if (info.initPid > 0) process.kill(info.initPid, signal);
    } catch {
      // already gone: the halt below tidies up
    }
    faultPoint('shutdown:signalled');
    const timeout = req.timeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
    // the first report comes early enough to be seen before a short timeout runs out
    const interval = Math.max(100, Math.min(req.progress?.intervalMs ?? 5000, timeout / 3));
    const repeat = req.progress?.repeat ?? false;
    const start = Date.now();
    let nextReport = start + interval;
    let reported = false;
    while (processAlive(info.initPid) && Date.now() - start < timeout) {
      await sleep(20);
      if (Date.now() >= nextReport && (repeat || !reported)) {
        const pids = cg.exists() ? cg.pids() : [];
        const left = Math.max(0, Math.ceil((timeout - (Date.now() - start)) / 1000));
        c.io.out(`Waiting for zone ${zone} to shut down (${left}s left): ${describeProcesses(pids)}\n`);
        reported = true;
        nextReport += interval;
      }
    }
    if (processAlive(info.initPid)) {
      c.io.err(`zoneadm: zone '${zone}': did not shut down within ${Math.round(timeout / 1000)} seconds; halting it.\n`);
    } else if (info.supervisorAlive) {
      // The init is gone: let the supervisor drain the console and tear down on its own first.
      for (let i = 0; i < 200 && processAlive(info.supervisorPid); i++) await sleep(10);
    }
    try {
      await haltZone(zone, ro);
    } catch (e) {
      if (!(e instanceof ZoneRuntimeError && e.code === 'Z_ALREADY_HALTED')) throw mapRuntimeError(e);
    }
    if (!req.reboot) return undefined;
    return rt(() => bootZone(zone, { ...ro, bootargs: req.bootargs }));
  });
}
