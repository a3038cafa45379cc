/**
 * The journal of `zoneadm move` (move.ts explains the order of the steps): one small file,
 * `$ZONES_ROOT/etc/zones/.<zone>.move`, written atomically before the first change on disk and
 * removed after the last. It lives in the configuration directory, not the run directory, because
 * /var/run is emptied by a reboot, and a power cut is the crash a move most needs to survive. The
 * next zoneadm command that takes the zone's operation lock (oplock.ts) finishes or undoes a move
 * it finds there, before it looks at the zone.
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, rmdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, fsyncDir } from '../store/atomic.js';
import { configDir } from '../store/paths.js';
import type { ZoneStore } from '../store/zone-store.js';
import { removeContents, removeTree } from './fsutil.js';

export interface MoveJournal {
  from: string;
  to: string;
  /** rename: one rename(2) on one file system; copy: cp -a, then the old zonepath is removed. */
  mode: 'rename' | 'copy';
  /** Whether `to` was a directory before the move (validation creates it otherwise). */
  toExisted: boolean;
}

/** `$ZONES_ROOT/etc/zones/.<zone>.move` (a zone name never starts with a dot). */
export function moveJournalPath(root: string, zone: string): string {
  return join(configDir(root), `.${zone}.move`);
}

export function writeMoveJournal(root: string, zone: string, j: MoveJournal): void {
  writeFileAtomic(moveJournalPath(root, zone), `${JSON.stringify(j)}\n`, 0o600);
}

export function removeMoveJournal(root: string, zone: string): void {
  try {
    unlinkSync(moveJournalPath(root, zone));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  fsyncDir(configDir(root));
}

function readMoveJournal(path: string): MoveJournal | 'corrupt' {
  try {
    const j = JSON.parse(readFileSync(path, 'utf8')) as Partial<MoveJournal>;
    const abs = (p: unknown): p is string => typeof p === 'string' && p.startsWith('/') && p !== '/';
    if (abs(j.from) && abs(j.to) && (j.mode === 'rename' || j.mode === 'copy') && typeof j.toExisted === 'boolean') {
      return j as MoveJournal;
    }
  } catch {
    /* below */
  }
  return 'corrupt';
}

const isDir = (p: string): boolean => {
  try {
    return lstatSync(p).isDirectory();
  } catch {
    return false;
  }
};

/**
 * Finishes or undoes an interrupted move of `zone`. Returns the line to show the admin, or
 * undefined when there was nothing to do. Call it holding the zone's operation lock.
 *
 * - The store already names the new path (the commit point of a move): forward. A copy's old
 *   zonepath is removed; a store caught between its two files is written again.
 * - rename, the store still names the old path: the old path gone and the new one there means
 *   the rename happened: forward (the store is updated). Otherwise nothing moved: back.
 * - copy, the store still names the old path: the copy may be partial: back (the copy is
 *   removed, and the new directory too if the move made it).
 * - The store names neither path (edited by hand since): the journal is stale and dropped.
 */
export function recoverMove(store: ZoneStore, zone: string): string | undefined {
  const path = moveJournalPath(store.root, zone);
  if (!existsSync(path)) return undefined;
  const j = readMoveJournal(path);
  if (j === 'corrupt') {
    removeMoveJournal(store.root, zone);
    return `WARNING: ${path} is not a move journal; removed. Check the zone's zonepath.`;
  }
  const entry = store.get(zone);
  const cfg = entry ? store.load(zone) : undefined;
  if (!entry || !cfg) {
    removeMoveJournal(store.root, zone);
    return undefined;
  }
  const paths = [cfg.globals.zonepath, entry.zonepath];
  const committed = paths.includes(j.to);
  if (!committed && !paths.includes(j.from)) {
    removeMoveJournal(store.root, zone);
    return undefined;
  }
  const renamed = j.mode === 'rename' && !existsSync(j.from) && isDir(j.to);
  const forward = committed || renamed;
  if (forward) {
    if (paths.some((p) => p !== j.to)) store.save({ ...cfg, globals: { ...cfg.globals, zonepath: j.to } });
    if (j.mode === 'copy') removeTree(j.from);
  } else if (j.mode === 'copy') {
    if (isDir(j.to)) {
      removeContents(j.to);
      if (!j.toExisted) rmdirSync(j.to);
    }
  } else if (j.toExisted && !existsSync(j.to)) {
    mkdirSync(j.to, { mode: 0o700 }); // emptied for the rename, which never came
  }
  removeMoveJournal(store.root, zone);
  return forward
    ? `zoneadm: zone '${zone}': the interrupted move to ${j.to} was completed.`
    : `zoneadm: zone '${zone}': the interrupted move to ${j.to} was undone; the zonepath is ${j.from}.`;
}
