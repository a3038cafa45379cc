/**
 * Per-name lock files. A lock is a file created with O_EXCL that holds its owner: `PID START BOOT`,
 * the pid with the process's start time and the boot id (platform/proc.ts processIdentity). Waiting
 * is synchronous (Atomics.wait), so the store API stays synchronous. A lock whose owner is gone is
 * stale and is broken: its pid is dead, or now names another process (a reused pid, in this boot or
 * after a reboot: the start time or the boot differs). A lock of the older `PID` form counts as
 * held only by a live process that started before the lock file was written. Breaking is itself
 * serialised through `<lock>.break` so two waiters can never both break the same stale lock and
 * then delete each other's fresh one.
 *
 * Locks are re-entrant within one process (a nested withLock on the same path just counts).
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { processAlive, processIdentity, processStartedAtMs } from '../platform/proc.js';
import { errnoText } from '../errno.js';

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

interface Holder {
  pid?: number;
  /** `START BOOT` as processIdentity gives it; undefined in the older pid-only form. */
  identity?: string;
  ageMs: number;
  writtenAtMs: number;
}

function readHolder(path: string): Holder | undefined {
  try {
    const text = readFileSync(path, 'utf8').trim();
    const writtenAtMs = statSync(path).mtimeMs;
    const m = /^(\d+)(?: (\d+ \S+))?$/.exec(text);
    return { pid: m ? Number(m[1]) : undefined, identity: m?.[2], ageMs: Date.now() - writtenAtMs, writtenAtMs };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LockFileError(path, err as NodeJS.ErrnoException);
  }
}

function tryCreate(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new LockFileError(path, err as NodeJS.ErrnoException);
  }
  try {
    writeSync(fd, `${process.pid} ${ownIdentity()}\n`);
  } catch (err) {
    closeSync(fd);
    try { unlinkSync(path); } catch { /* ignore */ }
    throw new LockFileError(path, err as NodeJS.ErrnoException);
  }
  closeSync(fd);
  return true;
}

let myIdentity: string | undefined;
function ownIdentity(): string {
  myIdentity ??= processIdentity(process.pid) ?? '0 -';
  return myIdentity;
}

/** Slack for comparing a process's start (whole seconds of btime) with a lock file's mtime. */
const START_SLACK_MS = 2000;

function isStale(h: Holder): boolean {
  if (h.pid === undefined) return h.ageMs > UNREADABLE_GRACE_MS;
  if (h.identity !== undefined) {
    const now = h.pid === process.pid ? ownIdentity() : processIdentity(h.pid);
    return now !== h.identity || (h.pid !== process.pid && !processAlive(h.pid));
  }
  // The older form: only a process that existed when the file was written can hold it.
  if (!processAlive(h.pid)) return true;
  const started = processStartedAtMs(h.pid);
  return started !== undefined && started > h.writtenAtMs + START_SLACK_MS;
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

/** Whether another live process holds the lock at `path` now (a stale or missing lock is not held). */
export function lockHeldByOther(path: string): boolean {
  if (held.has(path)) return false;
  let h: Holder | undefined;
  try {
    h = readHolder(path);
  } catch {
    return false;
  }
  return h !== undefined && h.pid !== undefined && !isStale(h) && !(h.pid === process.pid && h.identity === ownIdentity());
}

/** The lock file could not be created, written or read (a full disk, a directory in its place...). */
export class LockFileError extends Error {
  readonly code: string | undefined;
  constructor(readonly path: string, cause: NodeJS.ErrnoException) {
    super(`lock file ${path}: ${errnoText(cause)}`);
    this.name = 'LockFileError';
    this.code = cause.code;
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
