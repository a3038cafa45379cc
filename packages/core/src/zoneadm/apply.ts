/**
 * `zoneadm apply [-n] [-q]` (Solaris 11 live zone reconfiguration): the committed configuration's
 * resource controls applied to the running zone (runtime/resource-controls.ts). -n checks and
 * reports what would be applied without changing anything; -q prints no warnings. A zone that is
 * not running: `not running`, as for reboot and shutdown (docs/reference.md#42-subcommands-and-states).
 */
import { resolve } from 'node:path';
import { ZoneRuntimeError } from '../runtime/errors.js';
import { ZoneadmError } from './errors.js';
import { loadKernelStateLookup } from './kernel.js';
import { resourceControlWarnings } from './limits-check.js';
import { withOpLock } from './oplock.js';
import { precheck, sanityCheck, type OpContext } from './sanity.js';
import { loadConfig } from './verify.js';

export interface ApplyRequest {
  dryRun?: boolean;
  quiet?: boolean;
}

export async function zoneadmApply(given: OpContext, req: ApplyRequest = {}): Promise<void> {
  const ctx = given.kernelState ? given : { ...given, kernelState: await loadKernelStateLookup(given.store.root) };
  const zone = precheck(ctx, 'apply').name;
  await withOpLock(ctx.store.root, [zone], async () => {
    sanityCheck(ctx, 'apply');
    const cfg = loadConfig(ctx, zone);
    let warnings: string[];
    if (req.dryRun) warnings = resourceControlWarnings(zone, cfg, ctx.store.root);
    else {
      const { applyResourceControls } = await import('../runtime/resource-controls.js');
      const { recordAppliedControls } = await import('../runtime/live-apply.js');
      const opts = { root: resolve(ctx.store.root) };
      try {
        warnings = await applyResourceControls(zone, cfg, opts);
        // zonecfg -r then starts from the controls the zone has now, not the ones it booted with.
        recordAppliedControls(zone, cfg, opts);
      } catch (e) {
        if (e instanceof ZoneRuntimeError) throw new ZoneadmError(e.message);
        throw e;
      }
    }
    if (!req.quiet) for (const w of warnings) ctx.io.err(`WARNING: ${w}\n`);
  }, ctx.io);
}
