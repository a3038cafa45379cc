/**
 * The per-zone operation lock (zonecfg_grab_lock_file): held for the whole of a state-changing
 * operation, so two zoneadm processes never install/uninstall/clone/... one zone at once. It is a
 * different file from the config-store lock, which is only held for the instant of a write.
 * Not waited for: contention is reported at once. A lock left by a killed process (its pid is dead)
 * is broken by the next taker. Whoever takes a zone's lock first finishes or undoes a `move` a
 * crash interrupted (move-journal.ts), so every operation starts from a whole zone.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { acquireLock, LockTimeoutError } from '../store/lock.js';
import { ZoneStore } from '../store/zone-store.js';
import { ZoneadmError, strerror, type ZoneadmIO } from './errors.js';
import { moveJournalPath, recoverMove } from './move-journal.js';
import { opLockPath } from './paths.js';
import { LOCK_MSG } from './sanity.js';

/**
 * Finish or undo an interrupted move of each of `zones` (their locks held), telling `io` what
 * was done. A recovery that fails leaves the journal for the next command and says why.
 */
export function recoverInterrupted(root: string, zones: readonly string[], io?: ZoneadmIO): void {
  for (const z of zones) {
    if (!existsSync(moveJournalPath(root, z))) continue;
    try {
      const said = recoverMove(new ZoneStore(root), z);
      if (said) io?.err(`${said}\n`);
    } catch (e) {
      io?.err(`zoneadm: zone '${z}': could not finish the interrupted move: ${strerror(e)}\n`);
    }
  }
}

/**
 * Take the operation locks of `zones` (sorted, so two callers never deadlock) or fail with the
 * lock message; then recover what a crash of an earlier operation left (recoverInterrupted).
 */
export function acquireOpLocks(root: string, zones: readonly string[], io?: ZoneadmIO): () => void {
  const paths = [...new Set(zones)].sort().map((z) => opLockPath(z, root));
  const releases: Array<() => void> = [];
  try {
    for (const p of paths) {
      mkdirSync(dirname(p), { recursive: true, mode: 0o755 });
      releases.push(acquireLock(p, { timeoutMs: 0 }));
    }
  } catch (err) {
    for (const r of releases.reverse()) r();
    if (err instanceof LockTimeoutError) throw new ZoneadmError(LOCK_MSG);
    throw err;
  }
  recoverInterrupted(root, zones, io);
  return () => {
    for (const r of releases.reverse()) r();
  };
}

/** Run `fn` (sync or async) holding the operation locks of `zones`. */
export async function withOpLock<T>(
  root: string,
  zones: readonly string[],
  fn: () => T | Promise<T>,
  io?: ZoneadmIO,
): Promise<T> {
  const release = acquireOpLocks(root, zones, io);
  try {
    return await fn();
  } finally {
    release();
  }
}
