/**
 * Per-name lock files. A lock is a file created with O_EXCL that holds the owner's pid. Waiting is
 * synchronous (Atomics.wait), so the store API stays synchronous. A lock whose owner pid is dead is
 * stale and is broken; breaking is itself serialised through `<lock>.break` so two waiters can never
 * both break the same stale lock and then delete each other's fresh one.
 *
 * Locks are re-entrant within one process (a nested withLock on the same path just counts).
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { processAlive } from '../platform/proc.js';

export interface LockOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** Sleep between attempts (default 5 ms, growing to 50 ms). */
  retryMs?: number;
}

/** Thrown when a lock could not be taken in time. */
export class LockTimeoutError extends Error {
  readonly code = 'ELOCKED';
  constructor(readonly path: string, readonly holderPid: number | undefined) {
    super(`could not lock ${path}${holderPid !== undefined ? `: held by process ${holderPid}` : ''}`);
    this.name = 'LockTimeoutError';
  }
}

/** An empty/garbled lock file younger than this is assumed to be still being written. */
const UNREADABLE_GRACE_MS = 2000;

const held = new Map<string, number>();
const sleeper = new Int32Array(new SharedArrayBuffer(4));

function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

function readHolder(path: string): { pid?: number; ageMs: number } | undefined {
  try {
    const text = readFileSync(path, 'utf8').trim();
    const ageMs = Date.now() - statSync(path).mtimeMs;
    const pid = /^\d+$/.test(text) ? Number(text) : undefined;
    return { pid, ageMs };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function tryCreate(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function isStale(h: { pid?: number; ageMs: number }): boolean {
  if (h.pid === undefined) return h.ageMs > UNREADABLE_GRACE_MS;
  if (h.pid === process.pid) return false;
  return !processAlive(h.pid);
}

/** Break `path` if it is (still) stale, under the `.break` guard. */
function breakStale(path: string): void {
  const guard = `${path}.break`;
  if (!tryCreate(guard)) {
    const g = readHolder(guard);
    if (g && isStale(g)) {
      try { unlinkSync(guard); } catch { /* someone else did */ }
    }
    return;
  }
  try {
    const h = readHolder(path);
    if (h && isStale(h)) {
      try { unlinkSync(path); } catch { /* already gone */ }
    }
  } finally {
    try { unlinkSync(guard); } catch { /* ignore */ }
  }
}

/** Take the lock at `path` (waiting up to timeoutMs); returns the release function. */
export function acquireLock(path: string, opts: LockOptions = {}): () => void {
  const count = held.get(path);
  if (count !== undefined) {
    held.set(path, count + 1);
    return () => release(path);
  }
  const timeout = opts.timeoutMs ?? 10_000;
  let delay = opts.retryMs ?? 5;
  const deadline = Date.now() + timeout;
  for (;;) {
    if (tryCreate(path)) {
      held.set(path, 1);
      return () => release(path);
    }
    const h = readHolder(path);
    if (h && isStale(h)) {
      breakStale(path);
      continue;
    }
    if (Date.now() >= deadline) throw new LockTimeoutError(path, h?.pid);
    sleep(delay);
    delay = Math.min(delay * 2, 50);
  }
}

function release(path: string): void {
  const count = held.get(path);
  if (count === undefined) return;
  if (count > 1) {
    held.set(path, count - 1);
    return;
  }
  held.delete(path);
  try { unlinkSync(path); } catch { /* already gone */ }
}

/** Run `fn` while holding the lock at `path`; the lock is released even if fn throws. */
export function withLock<T>(path: string, fn: () => T, opts?: LockOptions): T {
  const rel = acquireLock(path, opts);
  try {
    return fn();
  } finally {
    rel();
  }
}

/** Take several locks in a fixed (sorted) order, so two callers can never deadlock. */
export function withLocks<T>(paths: string[], fn: () => T, opts?: LockOptions): T {
  const sorted = [...new Set(paths)].sort();
  const releases: Array<() => void> = [];
  try {
    for (const p of sorted) releases.push(acquireLock(p, opts));
    return fn();
  } finally {
    for (const r of releases.reverse()) r();
  }
}
