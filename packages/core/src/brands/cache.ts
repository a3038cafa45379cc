/**
 * The bootstrap cache (`$ZONES_ROOT/var/cache/zones`): one zstd tarball per distribution, release,
 * architecture, variant and mirror. The first install bootstraps straight into the zone root and
 * then tars that root into the cache (temp file + fsync + rename); later installs of the same key
 * just unpack it. A per-key lock file serialises builders across processes, and an in-process queue
 * serialises them within one process (the store's lock is re-entrant per process, which is right
 * for config writes but not here), so concurrent installs never build twice or see a torn tarball.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { acquireLock, LockTimeoutError } from '../store/lock.js';
import { requireTool, runTool } from '../sys/tools.js';
import { fsyncDir } from '../store/atomic.js';
import { looksLikeRoot } from './fsutil.js';
import { compressionArgs, unpackArchive } from './tarball.js';
import type { InstallContext } from './types.js';

export interface CacheKey {
  distro: string;
  release: string;
  arch: string;
  variant: string;
  /** Hashed into the key, so two mirrors never share a tarball. */
  mirror: string;
}

/** File name (without directory) of a cache entry: `debian-bookworm-amd64-minbase-1a2b3c4d.tar.zst`. */
export function cacheFileName(k: CacheKey): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._+-]/g, '_');
  const h = createHash('sha256').update(k.mirror).digest('hex').slice(0, 8);
  return `${safe(k.distro)}-${safe(k.release)}-${safe(k.arch)}-${safe(k.variant)}-${h}.tar.zst`;
}

const inProcess = new Map<string, Promise<void>>();

/**
 * Runs `fn` holding the lock `path`, waiting (asynchronously, polling) while another process or
 * another install in this process holds it. Stale locks (dead owner) are broken by the store's
 * lock code. Gives up after `timeoutMs` (default 1 h: a first bootstrap on a slow mirror is long).
 */
export async function withAsyncLock<T>(path: string, fn: () => Promise<T>, opts: { signal?: AbortSignal; timeoutMs?: number; onWait?: () => void } = {}): Promise<T> {
  const prev = inProcess.get(path) ?? Promise.resolve();
  let done!: () => void;
  const mine = new Promise<void>((r) => (done = r));
  const chained = prev.then(() => mine);
  inProcess.set(path, chained);
  try {
    await prev;
    const deadline = Date.now() + (opts.timeoutMs ?? 3_600_000);
    let waited = false;
    let release: (() => void) | undefined;
    while (!release) {
      try {
        release = acquireLock(path, { timeoutMs: 0 });
      } catch (err) {
        if (!(err instanceof LockTimeoutError) || Date.now() > deadline) throw err;
        if (!waited) opts.onWait?.();
        waited = true;
        opts.signal?.throwIfAborted();
        await sleep(200, undefined, { signal: opts.signal });
      }
    }
    try {
      return await fn();
    } finally {
      release();
    }
  } finally {
    done();
    if (inProcess.get(path) === chained) inProcess.delete(path);
  }
}

/** Tars `root` into `file` atomically (temp name in the same directory, fsync, rename). */
export async function writeCache(root: string, file: string, ctx: Pick<InstallContext, 'progress' | 'signal'>): Promise<void> {
  requireTool('zstd');
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await runTool(
      'tar',
      ['--numeric-owner', '--xattrs', '--xattrs-include=*', '-I', 'zstd -T0 -3', '-cf', tmp, '-C', root, '.'],
      { onOutput: (c) => ctx.progress.log(c), signal: ctx.signal },
    );
    const fd = openSync(tmp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    fsyncDir(join(file, '..'));
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * Fills ctx.root from the cache entry `key`, building it with `build(ctx.root)` (then saving it)
 * when it does not exist yet. Returns whether the cache was used. A failure to save the cache is
 * logged and does not fail the install.
 */
export async function installCached(
  ctx: InstallContext,
  key: CacheKey,
  describe: string,
  build: (root: string) => Promise<void>,
): Promise<'cached' | 'built'> {
  mkdirSync(ctx.cacheDir, { recursive: true, mode: 0o755 });
  const file = join(ctx.cacheDir, cacheFileName(key));
  const unpack = async () => {
    ctx.progress.step(`Unpacking the cached ${describe}`);
    await unpackArchive(file, ctx.root, {
      compression: 'zstd',
      xattrs: true,
      onOutput: (c) => ctx.progress.log(c),
      signal: ctx.signal,
    });
  };
  compressionArgs('zstd'); // MissingToolError (zstd) before any long work
  if (existsSync(file)) {
    await unpack();
    return 'cached';
  }
  return withAsyncLock(
    `${file}.lock`,
    async () => {
      if (existsSync(file)) {
        await unpack();
        return 'cached' as const;
      }
      await build(ctx.root);
      // a bootstrapper that exits 0 having built nothing (rinse without its mirror) is no entry
      if (!looksLikeRoot(ctx.root)) return 'built' as const;
      ctx.progress.step(`Saving the ${describe} in the cache`);
      try {
        await writeCache(ctx.root, file, ctx);
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        ctx.progress.log(`cache: could not save ${file}: ${(err as Error).message}\n`);
      }
      return 'built' as const;
    },
    { signal: ctx.signal, onWait: () => ctx.progress.step(`Waiting for another install that is building the ${describe}`) },
  );
}
