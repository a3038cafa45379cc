import { test, expect, describe, beforeEach, afterEach } from '@jest/globals';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileAtomic } from '../../src/store/atomic.js';
import { acquireLock, LockTimeoutError, withLock, withLocks } from '../../src/store/lock.js';
import { processAlive } from '../../src/platform/proc.js';
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
    expect(seen).toBe(`${process.pid}\n`);
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
    expect(withLock(lp, () => readFileSync(lp, 'utf8'), { timeoutMs: 2000 })).toBe(`${process.pid}\n`);
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
