/**
 * debootstrap: argv and plan (pure), the cache and its lock (with a stand-in bootstrapper), and one
 * real minbase bootstrap per machine. The real bootstrap's tarball is kept in a stable cache
 * ($ZONES_TEST_CACHE, default /var/cache/zones-test), so only the first run on a machine pays the
 * ~30 s; every run then times a second install from that cache (printed, not asserted).
 */
import { test, expect, describe, beforeAll, afterAll } from '@jest/globals';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheFileName } from '../../src/brands/cache.js';
import { DebootstrapInstaller, debootstrapArgv, planDebootstrap, type ToolRunner } from '../../src/brands/debootstrap.js';
import { mirrorForSuite, readAptSources, readOsRelease } from '../../src/brands/host.js';
import { InstallError } from '../../src/brands/types.js';
import type { RunOptions } from '../../src/sys/tools.js';
import { buildBusybox, config, makeCtx, tempDir } from './helpers.js';

let t: ReturnType<typeof tempDir>;
let bbRoot: string;
beforeAll(() => {
  t = tempDir('debootstrap');
  bbRoot = buildBusybox(join(t.dir, 'fixture')).root;
});
afterAll(() => t.cleanup());

const MIRROR = 'http://mirror.example.org/debian';

function fakeHost(sources: string, osRelease = 'ID=debian\nVERSION_CODENAME=bookworm\n'): string {
  const h = join(t.dir, `host-${Math.random().toString(36).slice(2)}`);
  mkdirSync(join(h, 'etc/apt/sources.list.d'), { recursive: true });
  writeFileSync(join(h, 'etc/os-release'), osRelease);
  writeFileSync(join(h, 'etc/apt/sources.list.d/debian.sources'), sources);
  return h;
}

describe('argv and plan', () => {
  test('debootstrap argv', () => {
    expect(debootstrapArgv({ suite: 'bookworm', target: '/z/root', mirror: MIRROR, variant: 'minbase', arch: 'amd64' })).toEqual([
      '--variant=minbase',
      '--arch=amd64',
      'bookworm',
      '/z/root',
      MIRROR,
    ]);
    expect(debootstrapArgv({ suite: 'sid', target: '/r', mirror: MIRROR, variant: '-', arch: 'arm64' })).toEqual(['--arch=arm64', 'sid', '/r', MIRROR]);
  });

  test('defaults come from the host: suite, its apt source, minbase', async () => {
    const host = fakeHost(`Types: deb\nURIs: ${MIRROR}\nSuites: bookworm bookworm-updates\nComponents: main\n`);
    const plan = await planDebootstrap({ options: { arch: 'amd64' }, hostRoot: host });
    expect(plan).toEqual({ distro: 'debian', suite: 'bookworm', mirror: MIRROR, variant: 'minbase', arch: 'amd64' });
  });

  test('no apt source for the suite: tells the user to pass -m', async () => {
    const host = fakeHost(`Types: deb\nURIs: ${MIRROR}\nSuites: bookworm\n`);
    await expect(planDebootstrap({ options: { release: 'trixie', arch: 'amd64' }, hostRoot: host })).rejects.toThrow(/pass the mirror with -m/);
    const plan = await planDebootstrap({ options: { release: 'trixie', arch: 'amd64', mirror: MIRROR }, hostRoot: host });
    expect(plan.suite).toBe('trixie');
    await expect(planDebootstrap({ options: { variant: 'huge', arch: 'amd64' }, hostRoot: host })).rejects.toThrow(InstallError);
    await expect(planDebootstrap({ options: { release: '../x', arch: 'amd64' }, hostRoot: host })).rejects.toThrow(InstallError);
  });

  test('cache file names: one per distro, suite, arch, variant and mirror', () => {
    const k = { distro: 'debian', release: 'bookworm', arch: 'amd64', variant: 'minbase', mirror: MIRROR };
    expect(cacheFileName(k)).toMatch(/^debian-bookworm-amd64-minbase-[0-9a-f]{8}\.tar\.zst$/);
    expect(cacheFileName({ ...k, mirror: `${MIRROR}2` })).not.toBe(cacheFileName(k));
  });
});

describe('cache and lock (stand-in bootstrapper)', () => {
  /** A debootstrap that copies the busybox root into its target after a delay, counting calls. */
  function fakeDebootstrap(delayMs = 0): { run: ToolRunner; calls: string[][] } {
    const calls: string[][] = [];
    const run: ToolRunner = async (tool: string, args: readonly string[], opts?: RunOptions) => {
      expect(tool).toBe('debootstrap');
      calls.push([...args]);
      opts?.onOutput?.('I: Base system installed successfully.\n');
      await new Promise((r) => setTimeout(r, delayMs));
      cpSync(bbRoot, args[3]!, { recursive: true, verbatimSymlinks: true });
      return { exitCode: 0, signal: null, stdout: '', stderr: '' };
    };
    return { run, calls };
  }

  test('first install builds and saves the cache, the second unpacks it', async () => {
    const host = fakeHost(`Types: deb\nURIs: ${MIRROR}\nSuites: bookworm\n`);
    const base = join(t.dir, 'c1');
    const fake = fakeDebootstrap();
    const a = makeCtx(base, 'big1', config('big1', 'debian'), { arch: 'amd64' }, { hostRoot: host });
    await new DebootstrapInstaller(fake.run).install(a);
    expect(fake.calls).toEqual([['--variant=minbase', '--arch=amd64', 'bookworm', a.root, MIRROR]]);
    expect(readdirSync(a.cacheDir).filter((f) => f.endsWith('.tar.zst'))).toHaveLength(1);
    expect(readdirSync(a.cacheDir).filter((f) => /tmp|lock/.test(f))).toEqual([]);
    expect(a.logs.join('')).toMatch(/Base system installed/);

    const b = makeCtx(base, 'big2', config('big2', 'debian'), { arch: 'amd64' }, { hostRoot: host });
    await new DebootstrapInstaller(fake.run).install(b);
    expect(fake.calls).toHaveLength(1);
    expect(b.steps.some((s) => s.startsWith('Unpacking the cached bookworm root'))).toBe(true);
    expect(readFileSync(join(b.root, 'etc/hostname'), 'utf8')).toBe('big2\n');
    expect(readFileSync(join(b.root, 'etc/machine-id'), 'utf8')).not.toBe(readFileSync(join(a.root, 'etc/machine-id'), 'utf8'));
    expect(existsSync(join(b.root, 'bin/busybox'))).toBe(true);
  });

  test('concurrent installs of one key bootstrap once and all get a root', async () => {
    const host = fakeHost(`Types: deb\nURIs: ${MIRROR}\nSuites: bookworm\n`);
    const base = join(t.dir, 'c2');
    const fake = fakeDebootstrap(300);
    const ctxs = [1, 2, 3].map((i) => makeCtx(base, `par${i}`, config(`par${i}`, 'debian'), { arch: 'amd64' }, { hostRoot: host }));
    await Promise.all(ctxs.map((c) => new DebootstrapInstaller(fake.run).install(c)));
    expect(fake.calls).toHaveLength(1);
    for (const c of ctxs) expect(readFileSync(join(c.root, 'etc/hostname'), 'utf8')).toBe(`${c.zonename}\n`);
  });

  test('waits for a lock held by another live process, breaks a stale one', async () => {
    const host = fakeHost(`Types: deb\nURIs: ${MIRROR}\nSuites: bookworm\n`);
    const base = join(t.dir, 'c3');
    const fake = fakeDebootstrap();
    const ctx = makeCtx(base, 'w1', config('w1', 'debian'), { arch: 'amd64' }, { hostRoot: host });
    mkdirSync(ctx.cacheDir, { recursive: true });
    const lock = join(ctx.cacheDir, `${cacheFileName({ distro: 'debian', release: 'bookworm', arch: 'amd64', variant: 'minbase', mirror: MIRROR })}.lock`);
    const holder = spawn('sleep', ['0.6']);
    writeFileSync(lock, `${holder.pid}\n`);
    const t0 = Date.now();
    await new DebootstrapInstaller(fake.run).install(ctx);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
    expect(ctx.steps.some((s) => s.startsWith('Waiting for another install'))).toBe(true);
    expect(existsSync(lock)).toBe(false);

    // stale: a pid that is gone
    const ctx2 = makeCtx(join(t.dir, 'c4'), 'w2', config('w2', 'debian'), { arch: 'amd64' }, { hostRoot: host });
    mkdirSync(ctx2.cacheDir, { recursive: true });
    writeFileSync(join(ctx2.cacheDir, lock.split('/').pop()!), '999999999\n');
    await new DebootstrapInstaller(fake.run).install(ctx2);
    expect(existsSync(join(ctx2.root, 'bin/busybox'))).toBe(true);
  });

  test('a failed bootstrap leaves no cache entry', async () => {
    const host = fakeHost(`Types: deb\nURIs: ${MIRROR}\nSuites: bookworm\n`);
    const failing: ToolRunner = async () => {
      throw new InstallError('debootstrap failed (exit status 1)');
    };
    const ctx = makeCtx(join(t.dir, 'c5'), 'f1', config('f1', 'debian'), { arch: 'amd64' }, { hostRoot: host });
    await expect(new DebootstrapInstaller(failing).install(ctx)).rejects.toThrow(/exit status 1/);
    expect(readdirSync(ctx.cacheDir)).toEqual([]);
  });
});

describe('real debootstrap (minbase of the host suite, cached on this machine)', () => {
  const cacheDir = process.env.ZONES_TEST_CACHE ?? '/var/cache/zones-test';
  const os = readOsRelease('/');
  const hostSuiteMirror = os.VERSION_CODENAME ? mirrorForSuite(readAptSources('/'), os.VERSION_CODENAME) : undefined;
  const run = os.ID && ['debian', 'ubuntu'].includes(os.ID) && hostSuiteMirror ? test : test.skip;

  run(
    'installs a whole-root zone, then a second one from the cache',
    async () => {
      const base = join(t.dir, 'real');
      const first = makeCtx(base, 'bigzone', config('bigzone', 'debian'), {}, { cacheDir });
      let t0 = performance.now();
      await new DebootstrapInstaller().install(first);
      const firstS = (performance.now() - t0) / 1000;
      const built = first.steps.some((s) => s.startsWith('Bootstrapping'));
      console.log(`debootstrap install 1: ${firstS.toFixed(1)} s (${built ? 'bootstrapped and cached' : 'from the cache of an earlier run'})`);
      expect(readFileSync(join(first.root, 'etc/debian_version'), 'utf8')).toMatch(/\S/);
      expect(existsSync(join(first.root, 'usr/bin/apt-get'))).toBe(true);
      expect(readFileSync(join(first.root, 'etc/hostname'), 'utf8')).toBe('bigzone\n');

      const second = makeCtx(base, 'bigzone2', config('bigzone2', 'debian'), {}, { cacheDir });
      t0 = performance.now();
      await new DebootstrapInstaller().install(second);
      const secondS = (performance.now() - t0) / 1000;
      console.log(`debootstrap install 2 (cached): ${secondS.toFixed(2)} s`);
      expect(second.steps.some((s) => s.startsWith('Unpacking the cached'))).toBe(true);
      expect(readFileSync(join(second.root, 'etc/hostname'), 'utf8')).toBe('bigzone2\n');
      expect(readFileSync(join(second.root, 'etc/machine-id'), 'utf8')).not.toBe(readFileSync(join(first.root, 'etc/machine-id'), 'utf8'));
      expect(readFileSync(join(second.root, 'etc/shadow'), 'utf8')).toMatch(/^root:\$6\$saltsalt\$/);
    },
    900_000,
  );
});
