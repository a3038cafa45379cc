/**
 * `zoneadm move NEWPATH` (zoneadm.c move_func): an installed, halted zone's zonepath moves to a
 * new, validated, empty (or absent) path: a rename on the same file system, else a copy then
 * removal of the old one. The config (and the index) get the new zonepath through the store.
 */
import { readdirSync, renameSync, rmdirSync, statSync } from 'node:fs';
import { normalize, sep } from 'node:path';
import { ZoneadmError, strerror } from './errors.js';
import { copyTree, removeTree } from './fsutil.js';
import { acquireOpLocks } from './oplock.js';
import { precheck, sanityCheck, type OpContext } from './sanity.js';
import { refuseMounts } from './uninstall.js';
import { loadConfig, requireVerified, validateZonepath } from './verify.js';

function within(a: string, b: string): boolean {
  return a === b || a.startsWith(b.endsWith(sep) ? b : b + sep);
}

export async function moveZone(ctx: OpContext, newPath: string): Promise<void> {
  const zone = precheck(ctx, 'move').name;
  const release = acquireOpLocks(ctx.store.root, [zone]);
  try {
    const entry = sanityCheck(ctx, 'move');
    const cfg = loadConfig(ctx, zone);
    requireVerified(ctx, 'move', entry, cfg);
    const oldPath = cfg.globals.zonepath;
    if (newPath.startsWith('/')) {
      const n = normalize(newPath);
      if (n !== oldPath && (within(n, oldPath) || within(oldPath, n))) {
        throw new ZoneadmError(`${zone} zonepath (${n}) and ${zone} zonepath (${oldPath}) overlap.`, 'bare');
      }
    }
    if (!validateZonepath(ctx, zone, newPath, 'move', entry.state)) throw new ZoneadmError('', 'reported');

    let oldDev: number;
    let newDev: number;
    try {
      oldDev = statSync(oldPath).dev;
    } catch (e) {
      throw new ZoneadmError(`could not stat zone path: ${strerror(e)}`, 'exec');
    }
    try {
      newDev = statSync(newPath).dev;
    } catch (e) {
      throw new ZoneadmError(`could not stat new zone path: ${strerror(e)}`, 'exec');
    }
    if (readdirSync(newPath).length > 0) {
      throw new ZoneadmError(`could not move zone to ${newPath}: directory not empty`, 'bare');
    }
    refuseMounts(oldPath);

    const fast = oldDev === newDev;
    if (fast) {
      try {
        rmdirSync(newPath);
      } catch (e) {
        throw new ZoneadmError(`could not rmdir new zone path: ${strerror(e)}`, 'exec');
      }
      try {
        renameSync(oldPath, newPath);
      } catch (e) {
        throw new ZoneadmError(`could not move zone: ${strerror(e)}`, 'exec');
      }
    } else {
      ctx.io.out(`Moving across file systems; copying zonepath ${oldPath}...`);
      try {
        await copyTree(oldPath, newPath);
      } catch (e) {
        ctx.io.out('\n');
        ctx.io.out(`Cleaning up zonepath ${newPath}...`);
        try { removeTree(newPath); } catch { /* reported below */ }
        ctx.io.out('\n');
        throw new ZoneadmError(`could not move zone: ${e instanceof Error ? e.message : String(e)}`, 'exec');
      }
      ctx.io.out('\n');
    }

    try {
      ctx.store.save({ ...cfg, globals: { ...cfg.globals, zonepath: newPath } });
    } catch (e) {
      // Revert: the zone must stay usable at its old path.
      if (fast) {
        try { renameSync(newPath, oldPath); } catch (r) {
          ctx.io.err(`zoneadm: could not restore zonepath: ${strerror(r)}\n`);
        }
      } else {
        ctx.io.out(`Cleaning up zonepath ${newPath}...`);
        try { removeTree(newPath); } catch { /* best effort */ }
        ctx.io.out('\n');
      }
      throw new ZoneadmError(`zonecfg save failed: ${e instanceof Error ? e.message : String(e)}`, 'exec');
    }

    if (!fast) {
      ctx.io.out(`Cleaning up zonepath ${oldPath}...`);
      try {
        removeTree(oldPath);
      } catch (e) {
        ctx.io.out('\n');
        throw new ZoneadmError(`could not remove zonepath: ${strerror(e)}`, 'exec');
      }
      ctx.io.out('\n');
    }
  } finally {
    release();
  }
}
