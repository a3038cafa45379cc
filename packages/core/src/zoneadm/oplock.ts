/**
 * The per-zone operation lock (zonecfg_grab_lock_file): held for the whole of a state-changing
 * operation, so two zoneadm processes never install/uninstall/clone/... one zone at once. It is a
 * different file from the config-store lock, which is only held for the instant of a write.
 * Not waited for: contention is reported at once. A lock left by a killed process (its pid is dead)
 * is broken by the next taker.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { acquireLock, LockTimeoutError } from '../store/lock.js';
import { ZoneadmError } from './errors.js';
import { opLockPath } from './paths.js';
import { LOCK_MSG } from './sanity.js';

/** Take the operation locks of `zones` (sorted, so two callers never deadlock) or fail with the lock message. */
export function acquireOpLocks(root: string, zones: readonly string[]): () => void {
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
  return () => {
    for (const r of releases.reverse()) r();
  };
}

/** Run `fn` (sync or async) holding the operation locks of `zones`. */
export async function withOpLock<T>(root: string, zones: readonly string[], fn: () => T | Promise<T>): Promise<T> {
  const release = acquireOpLocks(root, zones);
  try {
    return await fn();
  } finally {
    release();
  }
}
