/**
 * rinse: its mirrors are not reachable from test machines, so the argv is checked as a pure
 * function and everything after rinse runs against a stand-in that unpacks the busybox root where
 * rinse would have built the distribution (docs/brands.md).
 */
import { test, expect, describe, beforeAll, afterAll } from '@jest/globals';
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ToolRunner } from '../../src/brands/debootstrap.js';
import { RinseInstaller, planRinse, rinseArgv, rinseConfigDir, rinseFailure } from '../../src/brands/rinse.js';
import { InstallError } from '../../src/brands/types.js';
import { buildBusybox, config, makeCtx, tempDir } from './helpers.js';

let t: ReturnType<typeof tempDir>;
let bbRoot: string;
beforeAll(() => {
  t = tempDir('rinse');
  bbRoot = buildBusybox(join(t.dir, 'fixture')).root;
});
afterAll(() => t.cleanup());

describe('argv', () => {
  test('rinse --distribution DIST --directory ROOT [--arch ARCH]', () => {
    expect(rinseArgv({ distribution: 'centos-7', directory: '/zones/linux/root', arch: 'amd64' })).toEqual([
      '--distribution',
      'centos-7',
      '--directory',
      '/zones/linux/root',
      '--arch',
      'amd64',
    ]);
    expect(rinseArgv({ distribution: 'fedora-core-6', directory: '/r' })).toEqual(['--distribution', 'fedora-core-6', '--directory', '/r']);
    expect(rinseArgv({ distribution: 'rocky-9', directory: '/r', configDir: '/etc/rinse' })).toEqual([
      '--distribution', 'rocky-9', '--directory', '/r', '--config', '/etc/rinse/rinse.conf', '--pkgs-dir', '/etc/rinse',
    ]);
  });

  test("the host's /etc/rinse is named explicitly (rinse would prefer a /usr/etc next to its bin)", () => {
    const host = join(t.dir, 'host-rinse');
    expect(rinseConfigDir(host)).toBeUndefined();
    mkdirSync(join(host, 'etc/rinse'), { recursive: true });
    writeFileSync(join(host, 'etc/rinse/rinse.conf'), '[rocky-9]\n');
    expect(rinseConfigDir(host)).toBe('/etc/rinse');
  });

  test('the distribution is required and checked; arch is amd64 or i386', async () => {
    await expect(planRinse({ options: {} })).rejects.toThrow(/pass -r DIST/);
    await expect(planRinse({ options: { release: 'centos 7; rm -rf /' } })).rejects.toThrow(InstallError);
    await expect(planRinse({ options: { release: 'centos-7', arch: 'arm64' } })).rejects.toThrow(/amd64 or i386/);
    expect(await planRinse({ options: { release: 'centos-7', arch: 'i386' } })).toEqual({ distribution: 'centos-7', arch: 'i386' });
  });
});

describe('the steps after rinse', () => {
  function fakeRinse(): { run: ToolRunner; calls: Array<{ tool: string; args: string[] }> } {
    const calls: Array<{ tool: string; args: string[] }> = [];
    const run: ToolRunner = async (tool, args, opts) => {
      calls.push({ tool, args: [...args] });
      opts?.onOutput?.('Installing packages...\n');
      const dir = args[args.indexOf('--directory') + 1]!;
      cpSync(bbRoot, dir, { recursive: true, verbatimSymlinks: true });
      return { exitCode: 0, signal: null, stdout: '', stderr: '' };
    };
    return { run, calls };
  }

  test('runs rinse with the exact argv, applies the profile, caches the root', async () => {
    const fake = fakeRinse();
    const base = join(t.dir, 'zones');
    const ctx = makeCtx(base, 'linux', config('linux', 'rpm'), { release: 'centos-7', arch: 'amd64' }, { hostRoot: join(t.dir, 'no-rinse-host') });
    await new RinseInstaller(fake.run).install(ctx);
    expect(fake.calls).toEqual([{ tool: 'rinse', args: ['--distribution', 'centos-7', '--directory', ctx.root, '--arch', 'amd64'] }]);
    const r = ctx.root;
    expect(readFileSync(join(r, 'etc/hostname'), 'utf8')).toBe('linux\n');
    expect(readFileSync(join(r, 'etc/hosts'), 'utf8')).toMatch(/127\.0\.1\.1\tlinux/);
    expect(readFileSync(join(r, 'etc/machine-id'), 'utf8')).toMatch(/^[0-9a-f]{32}\n$/);
    expect(readFileSync(join(r, 'etc/timezone'), 'utf8')).toBe('Europe/Madrid\n');
    expect(readlinkSync(join(r, 'etc/localtime'))).toBe('/usr/share/zoneinfo/Europe/Madrid');
    expect(readFileSync(join(r, 'etc/default/locale'), 'utf8')).toBe('LANG=C.UTF-8\n');
    expect(readFileSync(join(r, 'etc/shadow'), 'utf8').split('\n')[0]).toBe(`root:${ctx.profile.rootPasswordHash}:19000:0:99999:7:::`);
    expect(lstatSync(join(r, 'proc')).isDirectory()).toBe(true);
    expect(ctx.logs.join('')).toMatch(/Installing packages/);
    expect(ctx.steps).toContain('Installing centos-7 (amd64) with rinse');

    const again = makeCtx(base, 'linux2', config('linux2', 'rpm'), { release: 'centos-7', arch: 'amd64' });
    await new RinseInstaller(fake.run).install(again);
    expect(fake.calls).toHaveLength(1);
    expect(existsSync(join(again.root, 'bin/busybox'))).toBe(true);
    expect(readFileSync(join(again.root, 'etc/hostname'), 'utf8')).toBe('linux2\n');
  });

  test('rinse output that is no root is an InstallError', async () => {
    const empty: ToolRunner = async () => ({ exitCode: 0, signal: null, stdout: '', stderr: '' });
    const ctx = makeCtx(join(t.dir, 'zones2'), 'broken', config('broken', 'rpm'), { release: 'centos-7', arch: 'amd64' });
    await expect(new RinseInstaller(empty).install(ctx)).rejects.toThrow(/rinse left no root file system/);
  });

  test('rinse that cannot reach its mirror exits 0: the error names the mirror, nothing is cached', async () => {
    const unreachable: ToolRunner = async (_tool, _args, opts) => {
      opts?.onOutput?.('Failed to fetch : http://rpm-mirror.invalid/pub/rocky/9/BaseOS/x86_64/os/Packages/\n\t500 Can\'t connect to rpm-mirror.invalid:80 (Name or service not known)\n\n');
      return { exitCode: 0, signal: null, stdout: '', stderr: '' };
    };
    const ctx = makeCtx(join(t.dir, 'zones3'), 'offline', config('offline', 'rpm'), { release: 'rocky-9', arch: 'amd64' });
    await expect(new RinseInstaller(unreachable).install(ctx)).rejects.toThrow(
      "rinse could not download its packages from http://rpm-mirror.invalid/pub/rocky/9/BaseOS/x86_64/os/Packages/ (500 Can't connect to rpm-mirror.invalid:80 (Name or service not known)): rinse left no root file system in",
    );
    expect(readdirSync(ctx.cacheDir)).toEqual([]);
    expect(rinseFailure('\n  The package list for the distribution centos-7 was not found.\n')).toBe("rinse has no package list for 'centos-7' (rinse --list-distributions)");
  });
});
