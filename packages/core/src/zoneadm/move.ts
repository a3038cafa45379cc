/**
 * `zoneadm move NEWPATH` (zoneadm.c move_func): an installed, halted zone's zonepath moves to a
 * new, validated, empty (or absent) path: a rename on the same file system, else a copy then
 * removal of the old one. The config (and the index) get the new zonepath through the store.
 *
 * A crash at any point is recoverable, through a journal (move-journal.ts) and this order:
 *   1. validate; the journal {from, to, mode} is written (atomically) before anything changes
 *   2. rename: the empty target is removed, then rename(from, to), one atomic step
 *      copy: cp -a from/. to/
 *   3. the store gets zonepath=to: the commit point
 *   4. copy: the old zonepath is removed
 *   5. the journal is removed
 * The next zoneadm command on the zone (any that takes its operation lock, oplock.ts; `verify`
 * too) reads a journal left behind and rolls forward when the store names the new path or the
 * rename is done, back otherwise (a partial copy is removed). So the zone is always whole at the
 * path its configuration names, old or new.
 */
import { lstatSync, readdirSync, renameSync, rmdirSync, statSync } from 'node:fs';
import { normalize, sep } from 'node:path';
import { faultPoint } from '../fault-points.js';
import { ZoneadmError, strerror } from './errors.js';
import { copyTree, removeContents, removeCreated, removeTree } from './fsutil.js';
import { removeMoveJournal, writeMoveJournal } from './move-journal.js';
import { acquireOpLocks } from './oplock.js';
import { precheck, sanityCheck, type OpContext } from './sanity.js';
import { refuseMounts } from './uninstall.js';
import { loadConfig, requireVerified, validateZonepath } from './verify.js';

function within(a: string, b: string): boolean {
  return a === b || a.startsWith(b.endsWith(sep) ? b : b + sep);
}

export async function moveZone(ctx: OpContext, newPath: string): Promise<void> {
  const zone = precheck(ctx, 'move').name;
  const release = acquireOpLocks(ctx.store.root, [zone], ctx.io);
  const created: string[] = [];
  let journal = false;
  try {
    const entry = sanityCheck(ctx, 'move');
    const cfg = loadConfig(ctx, zone);
    const oldPath = cfg.globals.zonepath;
    // Verify would make a missing zonepath: an empty directory that is not the zone.
    try {
      lstatSync(oldPath);
    } catch (e) {
      throw new ZoneadmError(`could not stat zone path: ${strerror(e)}`, 'exec');
    }
    requireVerified(ctx, 'move', entry, cfg);
    if (newPath.startsWith('/')) {
      const n = normalize(newPath);
      if (n !== oldPath && (within(n, oldPath) || within(oldPath, n))) {
        throw new ZoneadmError(`${zone} zonepath (${n}) and ${zone} zonepath (${oldPath}) overlap.`, 'bare');
      }
    }
    let toExisted = true;
    try {
      lstatSync(newPath);
    } catch {
      toExisted = false;
    }
    if (!validateZonepath(ctx, zone, newPath, 'move', entry.state, created)) throw new ZoneadmError('', 'reported');

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
    try {
      writeMoveJournal(ctx.store.root, zone, { from: oldPath, to: newPath, mode: fast ? 'rename' : 'copy', toExisted });
    } catch (e) {
      throw new ZoneadmError(`could not record the move: ${strerror(e)}`, 'exec');
    }
    journal = true;
    faultPoint('move:journal');
    if (fast) {
      try {
        rmdirSync(newPath);
      } catch (e) {
        throw new ZoneadmError(`could not rmdir new zone path: ${strerror(e)}`, 'exec');
      }
      faultPoint('move:emptied-target');
      try {
        renameSync(oldPath, newPath);
      } catch (e) {
        throw new ZoneadmError(`could not move zone: ${strerror(e)}`, 'exec');
      }
      faultPoint('move:after-rename');
    } else {
      ctx.io.out(`Moving across file systems; copying zonepath ${oldPath}...`);
      try {
        await copyTree(oldPath, newPath);
      } catch (e) {
        ctx.io.out('\n');
        ctx.io.out(`Cleaning up zonepath ${newPath}...`);
        try { removeContents(newPath); } catch { /* reported below */ }
        ctx.io.out('\n');
        throw new ZoneadmError(`could not move zone: ${e instanceof Error ? e.message : String(e)}`, 'exec');
      }
      ctx.io.out('\n');
      faultPoint('move:after-copy');
    }

    try {
      ctx.store.save({ ...cfg, globals: { ...cfg.globals, zonepath: newPath } });
    } catch (e) {
      // Revert: the zone must stay usable at its old path.
      if (fast) {
        try { renameSync(newPath, oldPath); } catch (r) {
          ctx.io.err(`zoneadm: could not restore zonepath: ${strerror(r)}\n`);
          journal = false; // the next command finishes it from the journal
        }
      } else {
        ctx.io.out(`Cleaning up zonepath ${newPath}...`);
        try { removeContents(newPath); } catch { /* best effort */ }
        ctx.io.out('\n');
      }
      throw new ZoneadmError(`zonecfg save failed: ${e instanceof Error ? e.message : String(e)}`, 'exec');
    }
    faultPoint('move:saved');
    created.length = 0; // they hold the zone now

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
    removeMoveJournal(ctx.store.root, zone);
    journal = false;
  } catch (err) {
    // Failed (not crashed): nothing moved, or it was put back; what validation made goes.
    if (journal) removeMoveJournal(ctx.store.root, zone);
    removeCreated(created);
    throw err;
  } finally {
    release();
  }
}
