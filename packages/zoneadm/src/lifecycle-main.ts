/**
 * The bodies of ready / boot / halt / reboot / shutdown, without oclif: the oclif commands call
 * them after parsing, and main.ts calls them directly for plain command lines (startup fast path:
 * a boot is ~10 ms of zone work, loading oclif would cost ten times that).
 */
import type { OpContext } from '@zones/core/zoneadm/sanity';
import { lifecycleBootargs, type GlobalFlags, type LifecycleCommand, type LifecycleWords } from '@zones/core/argv/zoneadm';
import { shutdownTimeoutMs } from '@zones/core/settings';
import { runOp } from './op.js';
import { EXIT_USAGE, subUsage, ZoneadmExit } from './common.js';

/** Limits the host could not enforce, one `WARNING:` line each on stderr. */
function printWarnings(ctx: OpContext, warnings: readonly string[]): void {
  for (const w of warnings) ctx.io.err(`WARNING: ${w}\n`);
}

/** Runs one lifecycle subcommand; throws ZoneadmExit with a non-zero status. */
export async function runLifecycle(cmd: LifecycleCommand, flags: GlobalFlags, a: LifecycleWords): Promise<void> {
  const args = lifecycleBootargs(cmd, a);
  if (!args) subUsage(cmd, EXIT_USAGE);
  const { bootargs } = args;
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
        const r = await core.zoneadmShutdown(ctx, {
          reboot: a.reboot,
          bootargs,
          timeoutMs: shutdownTimeoutMs(),
          progress: { repeat: !!process.stdout.isTTY },
        });
        if (r) printWarnings(ctx, r.warnings);
        break;
      }
    }
  });
}

/** For main.ts: run and turn ZoneadmExit into an exit status. */
export async function runLifecycleMain(cmd: LifecycleCommand, flags: GlobalFlags, a: LifecycleWords): Promise<number> {
  try {
    await runLifecycle(cmd, flags, a);
    return 0;
  } catch (e) {
    if (e instanceof ZoneadmExit) return e.exitCode;
    throw e;
  }
}
