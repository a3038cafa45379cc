/**
 * `zoneadm uninstall [-F]` (zoneadm.c uninstall_func) and `zoneadm mark incomplete` (mark_func).
 * Uninstall removes the zonepath's standard entries with a removal that never follows a symlink
 * out of the zonepath and never enters another file system; anything mounted below the zonepath
 * makes it refuse before touching a file.
 */
import { realpathSync } from 'node:fs';
import type { ZoneState } from '../model/states.js';
import { faultPoint } from '../fault-points.js';
import { ZoneadmError } from './errors.js';
import { mountsUnder } from '../platform/mounts.js';
import { cleanupZonepath, removalError } from './fsutil.js';
import { acquireOpLocks } from './oplock.js';
import { precheck, sanityCheck, type OpContext } from './sanity.js';
import { loadConfig } from './verify.js';
import { ZoneStoreError } from '../store/errors.js';

export const UNINSTALL_NOT_TTY = 'Input not from terminal and -F not specified: uninstall not done.';

/** The question uninstall asks on a terminal (ask_yesno appends ` (y/[n])? `). */
export function uninstallQuestion(zone: string): string {
  return `Are you sure you want to uninstall zone ${zone} (y/[n])? `;
}

export interface UninstallRequest {
  /** -F: no question. */
  force: boolean;
  /**
   * Asks the question when stdin is a terminal; undefined when it is not (then, without -F,
   * uninstall refuses). Resolves true for yes.
   */
  confirm?: (question: string) => Promise<boolean>;
}

/** Refuse if anything is mounted below the zonepath (zonecfg_find_mounts). */
export function refuseMounts(zonepath: string): void {
  const mounts = mountsUnder(zonepath);
  if (mounts.length > 0) {
    throw new ZoneadmError(
      `These file systems are mounted on subdirectories of ${zonepath}.`,
      'zone', 1, mounts.map((m) => `  ${m}`),
    );
  }
}

/** The zonepath as the removal may use it: absolute, not `/`, no symlink in it. */
export function checkedZonepath(zonepath: string): string {
  if (zonepath === '' || zonepath === '/' || !zonepath.startsWith('/')) {
    throw new ZoneadmError(`invalid zonepath '${zonepath}'`, 'bare');
  }
  try {
    if (realpathSync.native(zonepath) !== zonepath) throw new ZoneadmError(`${zonepath}: Resolved path mismatch`, 'exec');
  } catch (err) {
    if (err instanceof ZoneadmError) throw err;
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return zonepath;
}

/**
 * The zonepath to empty. A configuration file that no longer reads is no reason to strand the
 * zone: the index line has the zonepath too (illumos zone_get_zonepath reads only the index), so
 * uninstall still works and `zonecfg delete -F` can follow.
 */
function uninstallZonepath(ctx: OpContext, zone: string): string {
  try {
    return loadConfig(ctx, zone).globals.zonepath;
  } catch (err) {
    const entry = err instanceof ZoneStoreError && err.code === 'Z_INVALID_DOCUMENT' ? ctx.store.get(zone) : undefined;
    if (!entry) throw err;
    return entry.zonepath;
  }
}

/** Returns 'declined' when the user answered no (exit 0, nothing done). */
export async function uninstallZone(ctx: OpContext, req: UninstallRequest): Promise<'uninstalled' | 'declined'> {
  const zone = precheck(ctx, 'uninstall').name;
  if (!req.force) {
    if (!req.confirm) throw new ZoneadmError(UNINSTALL_NOT_TTY);
    if (!(await req.confirm(uninstallQuestion(zone)))) return 'declined';
  }
  const release = acquireOpLocks(ctx.store.root, [zone], ctx.io);
  try {
    sanityCheck(ctx, 'uninstall');
    // What a zone that halted behind zoneadm's back left on the host (addresses, zone id, cgroups).
    const { releaseZoneRecords } = await import('../runtime/lifecycle.js');
    await releaseZoneRecords(zone, { root: ctx.store.root });
    const zonepath = checkedZonepath(uninstallZonepath(ctx, zone));
    refuseMounts(zonepath);
    ctx.store.setState(zone, 'incomplete');
    faultPoint('uninstall:incomplete');
    let warning: string | undefined;
    try {
      warning = cleanupZonepath(zonepath, false);
    } catch (err) {
      throw removalError(err, zonepath);
    }
    faultPoint('uninstall:removed');
    if (warning) ctx.io.err(`${warning}\n`);
    ctx.store.setState(zone, 'configured');
    return 'uninstalled';
  } finally {
    release();
  }
}

/**
 * `mark incomplete` (and the private `mark -F configured|installed`): from configured or
 * installed (not running) to `state`.
 */
export function markZone(ctx: OpContext, state: ZoneState): void {
  const zone = precheck(ctx, 'mark').name;
  const release = acquireOpLocks(ctx.store.root, [zone], ctx.io);
  try {
    sanityCheck(ctx, 'mark');
    ctx.store.setState(zone, state);
  } finally {
    release();
  }
}
