/**
 * The bodies of ready / boot / halt / reboot / shutdown, without oclif: the oclif commands call
 * them after parsing, and bin/run.js calls them directly for plain command lines (startup fast
 * path: a boot is ~10 ms of zone work, loading oclif would cost ten times that).
 */
import type { OpContext } from '@zones/core/zoneadm/sanity';
import { runOp, type GlobalFlags } from './op.js';
import { EXIT_USAGE, subUsage, ZoneadmExit } from './common.js';

export type LifecycleCommand = 'ready' | 'boot' | 'halt' | 'reboot' | 'shutdown';

export interface LifecycleArgs {
  /** boot -s (legacy) */
  single?: boolean;
  /** shutdown -r */
  reboot?: boolean;
  /** words after the options, before `--` */
  operands?: string[];
  /** words after `--` (undefined: no `--`) */
  tail?: string[];
}

/** Limits the host could not enforce, one `WARNING:` line each on stderr. */
function printWarnings(ctx: OpContext, warnings: readonly string[]): void {
  for (const w of warnings) ctx.io.err(`WARNING: ${w}\n`);
}

/**
 * Boot arguments as zoneadm.c builds them: `-s`, then every remaining word; undefined when none
 * were given (the zone's configured bootargs apply).
 */
export function bootargsOf(a: LifecycleArgs): string[] | undefined {
  const words = [...(a.single ? ['-s'] : []), ...(a.operands ?? []), ...(a.tail ?? [])];
  return words.length > 0 || a.tail !== undefined ? words : undefined;
}

/** Runs one lifecycle subcommand; throws ZoneadmExit with a non-zero status. */
export async function runLifecycle(cmd: LifecycleCommand, flags: GlobalFlags, a: LifecycleArgs): Promise<void> {
  const bootargs = bootargsOf(a);
  if ((cmd === 'halt' || cmd === 'ready') && bootargs !== undefined) subUsage(cmd, EXIT_USAGE);
  // shutdown_func: boot arguments only with -r
  if (cmd === 'shutdown' && !a.reboot && bootargs !== undefined) subUsage(cmd, EXIT_USAGE);
  await runOp(cmd, flags, async (ctx) => {
    const core = await import('@zones/core/zoneadm/lifecycle');
    switch (cmd) {
      case 'boot':
        printWarnings(ctx, (await core.zoneadmBoot(ctx, { bootargs })).warnings);
        break;
      case 'ready':
        printWarnings(ctx, (await core.zoneadmReady(ctx)).warnings);
        break;
      case 'halt':
        await core.zoneadmHalt(ctx);
        break;
      case 'reboot':
        printWarnings(ctx, (await core.zoneadmReboot(ctx, { bootargs })).warnings);
        break;
      case 'shutdown': {
        const secs = Number(process.env.ZONES_SHUTDOWN_TIMEOUT);
        const r = await core.zoneadmShutdown(ctx, {
          reboot: a.reboot,
          bootargs,
          timeoutMs: Number.isFinite(secs) && secs > 0 ? secs * 1000 : undefined,
          progress: { repeat: !!process.stdout.isTTY },
        });
        if (r) printWarnings(ctx, r.warnings);
        break;
      }
    }
  });
}

/** For bin/run.js: run and turn ZoneadmExit into an exit status. */
export async function runLifecycleMain(cmd: LifecycleCommand, flags: GlobalFlags, a: LifecycleArgs): Promise<number> {
  try {
    await runLifecycle(cmd, flags, a);
    return 0;
  } catch (e) {
    if (e instanceof ZoneadmExit) return e.exitCode;
    throw e;
  }
}
