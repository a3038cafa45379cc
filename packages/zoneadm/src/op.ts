/**
 * The common body of every state-changing subcommand: resolve the target zone (-z, -u, -R), build
 * the core OpContext, run the core operation, print its error the Solaris way, set the exit code.
 * Core modules are imported lazily by the commands; this file only pulls in the store.
 */
import { ZoneStore } from '@zones/core/store/zone-store';
import { isZoneStoreError } from '@zones/core/store/errors';
import {
  formatZoneadmError,
  ZoneadmError,
  ZoneadmUsageError,
  type ZoneadmIO,
} from '@zones/core/zoneadm/errors';
import type { OpContext } from '@zones/core/zoneadm/sanity';
import { loadKernelStateLookup } from '@zones/core/zoneadm/kernel';
import { deferOutputFaults } from '@zones/core/output';
import type { GlobalFlags } from '@zones/core/argv/zoneadm';
import { checkRoot, checkUuid, EXIT_ERR, subUsage, ZoneadmExit } from './common.js';

export type { GlobalFlags } from '@zones/core/argv/zoneadm';

export const stdIO: ZoneadmIO = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
};

/** The zone -z names, or the one whose uuid -u names. */
export function resolveTarget(flags: GlobalFlags, store: ZoneStore): string | undefined {
  checkUuid(flags.zone, flags.uuid);
  if (flags.uuid) {
    const z = store.findByUuid(flags.uuid);
    if (z) return z.name;
  }
  return flags.zone;
}

/**
 * Run `body` for `subcommand`; throws ZoneadmExit with the exit status (the command's catch turns
 * it into process.exitCode).
 */
export async function runOp(
  subcommand: string,
  flags: GlobalFlags,
  body: (ctx: OpContext) => Promise<number | void> | number | void,
): Promise<void> {
  // A lost output must not stop an install or a halt half-way: the change lands, then zoneadm fails.
  deferOutputFaults();
  let target = flags.zone;
  let code = 0;
  try {
    const root = checkRoot(target, flags.root);
    const store = new ZoneStore(root);
    target = resolveTarget(flags, store);
    // Running-ish zones come from the runtime: a running zone cannot be uninstalled, moved, ...
    const kernelState = await loadKernelStateLookup(store.root);
    const r = await body({ store, zone: target, io: stdIO, kernelState });
    if (typeof r === 'number') code = r;
  } catch (err) {
    if (err instanceof ZoneadmExit) throw err;
    if (err instanceof ZoneadmUsageError) subUsage(subcommand);
    if (err instanceof ZoneadmError) {
      process.stderr.write(formatZoneadmError(err, target));
      code = err.exitCode;
    } else if (isZoneStoreError(err)) {
      process.stderr.write(`zoneadm: ${target !== undefined ? `zone '${target}': ` : ''}${err.message}\n`);
      code = EXIT_ERR;
    } else {
      const msg = err instanceof Error ? err.message : String(err);
      process.stderr.write(`zoneadm: ${target !== undefined ? `zone '${target}': ` : ''}${msg}\n`);
      code = EXIT_ERR;
    }
  }
  if (code !== 0) throw new ZoneadmExit(code);
}

/** Both ends are terminals (questions can be asked). */
export function interactive(): boolean {
  return !!process.stdin.isTTY && !!process.stdout.isTTY;
}
