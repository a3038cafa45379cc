import { test, expect, describe, beforeEach, afterEach } from '@jest/globals';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileAtomic } from '../../src/store/atomic.js';
import { acquireLock, LockTimeoutError, withLock, withLocks } from '../../src/store/lock.js';
import { processAlive, processIdentity } from '../../src/platform/proc.js';
import { tempRoot } from './helpers.js';

let t: ReturnType<typeof tempRoot>;
beforeEach(() => { t = tempRoot(); });
afterEach(() => t.cleanup());

describe('writeFileAtomic', () => {
  test('writes the data with the mode and leaves no temp file', () => {
    const p = join(t.root, 'f.yaml');
    writeFileAtomic(p, 'one\n', 0o600);
    writeFileAtomic(p, 'two\n', 0o640);
    expect(readFileSync(p, 'utf8')).toBe('two\n');
    expect(statSync(p).mode & 0o777).toBe(0o640);
    expect(readdirSync(t.root)).toEqual(['f.yaml']);
  });

  test('a failed write leaves the old file intact and no temp file', () => {
    const p = join(t.root, 'sub', 'f');
    expect(() => writeFileAtomic(p, 'x')).toThrow();
    mkdirSync(join(t.root, 'd'));
    const target = join(t.root, 'd'); // renaming a file over a directory fails
    expect(() => writeFileAtomic(target, 'x')).toThrow();
    expect(readdirSync(t.root)).toEqual(['d']);
  });
});

describe('locks', () => {
  test('withLock creates the lock file with our pid and removes it', () => {
    const lp = join(t.root, 'z.lock');
    const seen = withLock(lp, () => readFileSync(lp, 'utf8'));
    expect(seen).toBe(`${process.pid} ${processIdentity(process.pid)}\n`);
    expect(existsSync(lp)).toBe(false);
  });

  test('re-entrant in one process; released when fn throws', () => {
    const lp = join(t.root, 'z.lock');
    expect(() => withLock(lp, () => withLock(lp, () => { throw new Error('boom'); }))).toThrow('boom');
    expect(existsSync(lp)).toBe(false);
    withLocks([lp, join(t.root, 'a.lock')], () => expect(existsSync(lp)).toBe(true));
    expect(readdirSync(t.root)).toEqual([]);
  });

  test('a stale lock of a dead pid is broken', () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const pid = Number(dead.stdout.toString());
    expect(processAlive(pid)).toBe(false);
    const lp = join(t.root, 'z.lock');
    writeFileSync(lp, `${pid}\n`);
    expect(withLock(lp, () => readFileSync(lp, 'utf8'), { timeoutMs: 2000 })).toMatch(new RegExp(`^${process.pid} `));
  });

  /** A live process that is no zones tool: the holder a reused pid names. */
  function unrelated() {
    const child = spawn('sleep', ['30']);
    return { pid: child.pid!, end: () => child.kill('SIGKILL') };
  }

  test('a lock naming a live but unrelated (reused) pid is broken at once', () => {
    const other = unrelated();
    try {
      const lp = join(t.root, 'z.lock');
      // What a killed zonecfg left, when its pid now belongs to `sleep`: another start time.
      writeFileSync(lp, `${other.pid} 1 ${processIdentity(process.pid)!.split(' ')[1]}\n`);
      const t0 = Date.now();
      withLock(lp, () => undefined, { timeoutMs: 5000 });
      expect(Date.now() - t0).toBeLessThan(1000);
    } finally {
      other.end();
    }
  });

  test('a lock of the same process from another boot is broken', () => {
    const other = unrelated();
    try {
      const lp = join(t.root, 'z.lock');
      writeFileSync(lp, `${other.pid} ${processIdentity(other.pid)!.split(' ')[0]} 00000000-0000-0000-0000-000000000000\n`);
      const t0 = Date.now();
      withLock(lp, () => undefined, { timeoutMs: 5000 });
      expect(Date.now() - t0).toBeLessThan(1000);
    } finally {
      other.end();
    }
  });

  test('an older pid-only lock written before its (live) process started is broken', () => {
    const lp = join(t.root, 'z.lock');
    const other = unrelated();
    try {
      writeFileSync(lp, `${other.pid}\n`);
      utimesSync(lp, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
      withLock(lp, () => undefined, { timeoutMs: 5000 });
    } finally {
      other.end();
    }
  });

  test('a lock held by a live holder (its own identity) is waited for', () => {
    const other = unrelated();
    try {
      const lp = join(t.root, 'z.lock');
      writeFileSync(lp, `${other.pid} ${processIdentity(other.pid)}\n`);
      expect(() => acquireLock(lp, { timeoutMs: 100 })).toThrow(LockTimeoutError);
    } finally {
      other.end();
    }
  });

  test('a lock held by a live process times out with LockTimeoutError', async () => {
    const lp = join(t.root, 'z.lock');
    const child = spawn(process.execPath, ['-e', `require('fs').writeFileSync(${JSON.stringify(lp)}, process.pid + '\\n'); console.log('ok'); setTimeout(() => {}, 5000)`]);
    await new Promise<void>((res) => child.stdout.once('data', () => res()));
    try {
      let err: unknown;
      try { acquireLock(lp, { timeoutMs: 150 }); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(LockTimeoutError);
      expect((err as LockTimeoutError).holderPid).toBe(child.pid);
    } finally {
      child.kill();
    }
  });
});
