/**
 * `install -d`: every compression, a directory, magic-byte detection, and archives that try to
 * write outside the root (refused before anything is unpacked).
 */
import { test, expect, describe, beforeAll, afterAll } from '@jest/globals';
import { chownSync, copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArchiveInstaller } from '../../src/brands/archive.js';
import { detectCompression, parseListing, planArchive, readCString } from '../../src/brands/tarball.js';
import { InstallError } from '../../src/brands/types.js';
import { MissingToolError } from '../../src/sys/tools.js';
import { buildBusybox, config, makeCtx, REPO, rootEntries, tempDir, writeTar } from './helpers.js';

let t: ReturnType<typeof tempDir>;
let bb: ReturnType<typeof buildBusybox>;
let n = 0;
beforeAll(() => {
  t = tempDir('archive');
  bb = buildBusybox(join(t.dir, 'fixture'));
});
afterAll(() => t.cleanup());

function ctxFor(source: string) {
  return makeCtx(join(t.dir, 'zones'), `z${++n}`, config('linux', 'rpm'), { source });
}

function expectBusyboxRoot(root: string, hostname: string) {
  expect(lstatSync(join(root, 'bin/busybox')).isFile()).toBe(true);
  expect(readlinkSync(join(root, 'bin/sh'))).toBe('/bin/busybox');
  expect(lstatSync(join(root, 'bin/busybox')).uid).toBe(0);
  expect(lstatSync(join(root, 'tmp')).mode & 0o7777).toBe(0o1777);
  expect(readFileSync(join(root, 'etc/hostname'), 'utf8')).toBe(`${hostname}\n`);
  expect(readFileSync(join(root, 'etc/machine-id'), 'utf8')).toMatch(/^[0-9a-f]{32}\n$/);
  expect(readFileSync(join(root, 'etc/shadow'), 'utf8')).toMatch(/^root:\$6\$saltsalt\$/m);
  expect(lstatSync(join(root, 'etc/shadow')).gid).toBe(42); // kept from the archive
  expect(readlinkSync(join(root, 'etc/localtime'))).toBe('/usr/share/zoneinfo/Europe/Madrid');
  for (const d of ['dev', 'proc', 'sys']) expect(lstatSync(join(root, d)).isDirectory()).toBe(true);
}

describe('compressions and sources', () => {
  test.each(['tar', 'gz', 'xz', 'zst'] as const)('installs the busybox root from .%s', async (kind) => {
    const ctx = ctxFor(bb[kind]);
    await new ArchiveInstaller().install(ctx);
    expectBusyboxRoot(ctx.root, ctx.zonename);
    expect(lstatSync(ctx.root).mode & 0o777).toBe(0o755);
    expect(readdirSync(ctx.zonepath)).toEqual(['root']); // no scratch files left
  });

  test('an archive another user can change is installed from a root-only copy (no swap between check and unpack)', async () => {
    const theirs = join(t.dir, 'students-root.tar.gz');
    copyFileSync(bb.gz, theirs);
    chownSync(theirs, 65534, 65534);
    const ctx = ctxFor(theirs);
    const logs: string[] = [];
    ctx.progress.log = (c: string) => void logs.push(c);
    await new ArchiveInstaller().install(ctx);
    expectBusyboxRoot(ctx.root, ctx.zonename);
    expect(logs.join('')).toContain(`archive: ${theirs} can be changed by users other than root; installing from a copy`);
    expect(readdirSync(ctx.zonepath)).toEqual(['root']);
    // root's own archive in root's directories is read where it is
    const own = ctxFor(bb.gz);
    const ownLogs: string[] = [];
    own.progress.log = (c: string) => void ownLogs.push(c);
    await new ArchiveInstaller().install(own);
    expect(ownLogs.join('')).not.toContain('installing from a copy');
  });

  test('detects the compression by magic bytes, not by name', async () => {
    const lying = join(t.dir, 'really-zstd.tgz');
    copyFileSync(bb.zst, lying);
    const ctx = ctxFor(lying);
    await new ArchiveInstaller().install(ctx);
    expectBusyboxRoot(ctx.root, ctx.zonename);
  });

  test('installs from a directory (owners, modes, links kept)', async () => {
    const ctx = ctxFor(bb.root);
    await new ArchiveInstaller().install(ctx);
    expectBusyboxRoot(ctx.root, ctx.zonename);
    expect(readFileSync(join(bb.root, 'etc/hostname'), 'utf8')).toBe('busybox\n'); // source untouched
  });

  test('strips a single top-level directory that holds a root', async () => {
    const p = join(t.dir, 'toplevel.tar');
    writeTar(p, rootEntries('./centos_fs/'));
    const ctx = ctxFor(p);
    await new ArchiveInstaller().install(ctx);
    expect(existsSync(join(ctx.root, 'etc/passwd'))).toBe(true);
    expect(existsSync(join(ctx.root, 'centos_fs'))).toBe(false);
  });

  test('does not unpack device nodes', async () => {
    const p = join(t.dir, 'devices.tar');
    writeTar(p, [...rootEntries(), { name: './dev/', type: 'dir' }, { name: './dev/null', type: 'char' }, { name: './etc/disk', type: 'char' }]);
    const ctx = ctxFor(p);
    await new ArchiveInstaller().install(ctx);
    expect(existsSync(join(ctx.root, 'dev/null'))).toBe(false);
    expect(existsSync(join(ctx.root, 'etc/disk'))).toBe(false);
    expect(ctx.logs.join('')).toMatch(/not unpacking 2 device node/);
  });

  test('refuses something that is not a root', async () => {
    const p = join(t.dir, 'notroot.tar');
    writeTar(p, [{ name: './data/', type: 'dir' }, { name: './data/x', type: 'file', data: 'x' }]);
    await expect(new ArchiveInstaller().install(ctxFor(p))).rejects.toThrow(`${p} does not look like a root file system`);
  });

  test('refuses a file that is not an archive, and a missing path', async () => {
    const p = join(t.dir, 'junk.tar.gz');
    copyFileSync(join(REPO, 'fixtures/build-busybox-root.sh'), p);
    await expect(new ArchiveInstaller().install(ctxFor(p))).rejects.toThrow(/not a tar archive/);
    await expect(new ArchiveInstaller().install(ctxFor(join(t.dir, 'nope.tar')))).rejects.toThrow(/No such file or directory/);
  });

  test('a missing decompressor is a MissingToolError naming the Debian package', async () => {
    const saved = process.env.PATH;
    process.env.PATH = '';
    try {
      const err = await new ArchiveInstaller().install(ctxFor(bb.xz)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MissingToolError);
      expect((err as MissingToolError).debianPackage).toBe('xz-utils');
      expect((err as Error).message).toMatch(/apt-get install xz-utils/);
    } finally {
      process.env.PATH = saved;
    }
  });
});

describe('hostile archives', () => {
  const outside = () => join(t.dir, 'outside');

  async function refused(name: string, entries: Parameters<typeof writeTar>[1], why: RegExp) {
    mkdirSync(outside(), { recursive: true });
    const before = readdirSync(outside()).sort();
    const p = join(t.dir, name);
    writeTar(p, entries);
    const ctx = ctxFor(p);
    const err = await new ArchiveInstaller().install(ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InstallError);
    expect((err as Error).message).toMatch(why);
    expect(readdirSync(outside()).sort()).toEqual(before);
    expect(existsSync(ctx.root) ? readdirSync(ctx.root) : []).toEqual([]); // nothing unpacked
  }

  test('.. members', () => refused('dotdot.tar', [...rootEntries(), { name: `./../outside/pwned`, type: 'file', data: 'x' }], /escapes the root/));
  test('.. in the middle', () => refused('dotdot2.tar', [...rootEntries(), { name: `etc/../../outside/pwned`, type: 'file', data: 'x' }], /escapes the root/));
  test('absolute members', () =>
    refused('abs.tar', [...rootEntries(), { name: `${join(t.dir, 'outside')}/pwned`, type: 'file', data: 'x' }], /absolute path/));
  test('a member under a symlink the archive made', () =>
    refused('link.tar', [...rootEntries(), { name: './esc', type: 'symlink', link: outside() }, { name: './esc/pwned', type: 'file', data: 'x' }], /under the symbolic link/));
  test('a relative symlink climbing out, then a member under it', () =>
    refused('link2.tar', [...rootEntries(), { name: './up', type: 'symlink', link: '../../..' }, { name: './up/outside/pwned', type: 'file', data: 'x' }], /under the symbolic link/));
  test('hard links to outside files', () =>
    refused('hard.tar', [...rootEntries(), { name: './etc/shadow2', type: 'hardlink', link: '/etc/shadow' }], /hard link/));
  test('hard links climbing out', () =>
    refused('hard2.tar', [...rootEntries(), { name: './etc/shadow2', type: 'hardlink', link: '../../etc/shadow' }], /hard link/));

  test('absolute symlinks inside a root are fine, and the profile never follows them', async () => {
    const victim = join(outside(), 'hostname');
    mkdirSync(outside(), { recursive: true });
    writeFileSync(victim, 'host\n');
    const p = join(t.dir, 'abs-link.tar');
    writeTar(p, [...rootEntries(), { name: './etc/hostname', type: 'symlink', link: victim }, { name: './etc/hosts', type: 'symlink', link: '/etc/hosts' }]);
    const ctx = ctxFor(p);
    await new ArchiveInstaller().install(ctx);
    expect(readFileSync(victim, 'utf8')).toBe('host\n');
    expect(lstatSync(join(ctx.root, 'etc/hostname')).isFile()).toBe(true);
    expect(readFileSync(join(ctx.root, 'etc/hostname'), 'utf8')).toBe(`${ctx.zonename}\n`);
  });

  test('a root whose etc is a symlink out is refused when the profile is written', async () => {
    const fakeEtc = join(outside(), 'etc');
    mkdirSync(fakeEtc, { recursive: true });
    const p = join(t.dir, 'etc-link.tar');
    writeTar(p, [{ name: './', type: 'dir' }, { name: './etc', type: 'symlink', link: fakeEtc }, { name: './bin/', type: 'dir' }]);
    const err = await new ArchiveInstaller().install(ctxFor(p)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InstallError);
    expect(readdirSync(fakeEtc)).toEqual([]);
  });
});

describe('pure parts', () => {
  test('magic bytes', () => {
    expect(detectCompression(Buffer.from([0x1f, 0x8b, 8]))).toBe('gzip');
    expect(detectCompression(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0]))).toBe('xz');
    expect(detectCompression(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))).toBe('zstd');
    expect(detectCompression(Buffer.from('BZh91AY'))).toBe('bzip2');
    const plain = Buffer.alloc(512);
    plain.write('ustar', 257);
    expect(detectCompression(plain)).toBe('none');
    expect(detectCompression(Buffer.from('hello'))).toBeUndefined();
  });

  test('C-quoted names', () => {
    expect(readCString('"a b\\nc\\"d\\\\" -> "x"')).toEqual({ value: 'a b\nc"d\\', rest: ' -> "x"' });
    expect(readCString('"\\303\\251t\\303\\251"')?.value).toBe('été');
  });

  test('listing lines of every type', () => {
    const text = [
      'drwxr-xr-x 0/0               0 2026-11-22 08:33 "./"',
      'lrwxrwxrwx 0/0               0 2026-11-22 08:33 "./a/l n" -> "/etc/passwd"',
      'crw-r--r-- 0/0             1,3 2026-11-22 08:33 "./a/null"',
      'hrw-r--r-- 0/0               0 2026-11-22 08:33 "./a/b c/f -> g" link to "./a/hard"',
      '-rw-r--r-- 1000/1000        12 2026-11-22 08:33 "./x"',
    ].join('\n');
    expect(parseListing(text)).toEqual([
      { raw: './', type: 'dir' },
      { raw: './a/l n', type: 'symlink', target: '/etc/passwd' },
      { raw: './a/null', type: 'char' },
      { raw: './a/b c/f -> g', type: 'hardlink', target: './a/hard' },
      { raw: './x', type: 'file' },
    ]);
  });

  test('strip decision', () => {
    const m = (raw: string, type: 'dir' | 'file' = 'dir') => ({ raw, type });
    expect(planArchive('a', [m('r/'), m('r/etc/'), m('r/usr/')]).strip).toBe(1);
    expect(planArchive('a', [m('./'), m('./r/'), m('./r/etc/'), m('./r/bin/')]).strip).toBe(2);
    expect(planArchive('a', [m('r/'), m('r/etc/')]).strip).toBe(0); // no usr or bin
    expect(planArchive('a', [m('etc/'), m('usr/')]).strip).toBe(0);
  });
});
