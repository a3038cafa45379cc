/**
 * The seed course's installation exercises through the real CLIs and the real installers:
 * a small zone from the host (Ejercicio 3), a BrandZ-style `install -d` of a root archive
 * (Ejercicio 10), and a zone carried to another name with detach / create -a / attach.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execa } from 'execa';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = resolve(here, '../../..');
const ZONECFG = join(repo, 'bin/zonecfg');
const ZONEADM = join(repo, 'bin/zoneadm');

let root: string;
let zones: string;
const env = () => ({ ZONES_ROOT: root });
const zonecfg = (...args: string[]) => execa(ZONECFG, args, { env: env(), reject: false, input: '' });
const zoneadm = (...args: string[]) => execa(ZONEADM, args, { env: env(), reject: false, input: '' });

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'seed-install-'));
  zones = join(root, 'zones');
  mkdirSync(zones, { mode: 0o755 });
});
const mounted: string[] = [];
afterAll(() => {
  for (const m of mounted) spawnSync('umount', ['-l', m]);
  rmSync(root, { recursive: true, force: true });
});

describe('Ejercicio 3: install a small zone', () => {
  test('zonecfg, mkdir -m 700, zoneadm install, list, uninstall', async () => {
    const zp = join(zones, 'viernes13');
    expect((await zonecfg('-z', 'viernes13', `create; set zonepath=${zp}; commit`)).exitCode).toBe(0);
    mkdirSync(zp, { mode: 0o700 });
    const install = await zoneadm('-z', 'viernes13', 'install');
    expect(install.stderr).toBe('');
    expect(install.exitCode).toBe(0);
    expect(install.stdout.split('\n')[0]).toBe('Preparing to install zone <viernes13>.');
    expect((await zoneadm('list', '-iv')).stdout).toContain(`   - viernes13        installed  ${zp}`);
    // A sparse root: its own /etc with the zone's identity, /usr only as a mount point.
    expect(readFileSync(join(zp, 'root/etc/hostname'), 'utf8').trim()).toBe('viernes13');
    expect(readFileSync(join(zp, 'root/etc/machine-id'), 'utf8')).not.toBe(readFileSync('/etc/machine-id', 'utf8'));
    expect(existsSync(join(zp, 'root/usr/bin'))).toBe(false);
    if (lstatSync('/bin').isSymbolicLink()) expect(readlinkSync(join(zp, 'root/bin'))).toBe(readlinkSync('/bin'));
    const kib = Number(execFileSync('du', ['-sk', zp], { encoding: 'utf8' }).split('\t')[0]);
    expect(kib).toBeLessThan(10 * 1024);
    expect(readFileSync(join(root, 'var/log/zones/viernes13.install.log'), 'utf8').length).toBeGreaterThan(0);

    const again = await zoneadm('-z', 'viernes13', 'install');
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toBe("zoneadm: zone 'viernes13': is already installed.");

    const un = await zoneadm('-z', 'viernes13', 'uninstall', '-F');
    expect(un.exitCode).toBe(0);
    expect((await zoneadm('-z', 'viernes13', 'list', '-p')).stdout).toMatch(/^-:viernes13:configured:/);
    expect(existsSync(join(zp, 'root'))).toBe(false);
  }, 60000);
});

describe('Ejercicio 10: install -d from a root archive', () => {
  test('a busybox root as tar.gz', async () => {
    const fx = join(root, 'fixture');
    execFileSync(join(repo, 'fixtures/build-busybox-root.sh'), [fx], { stdio: 'ignore' });
    const zp = join(zones, 'linux');
    expect((await zonecfg('-z', 'linux', `create -b; set zonepath=${zp}`)).exitCode).toBe(0);
    const r = await zoneadm('-z', 'linux', 'install', '-d', join(fx, 'busybox-root.tar.gz'));
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(existsSync(join(zp, 'root/bin/busybox'))).toBe(true);
    expect(readFileSync(join(zp, 'root/etc/hostname'), 'utf8').trim()).toBe('linux');
    expect((await zoneadm('-z', 'linux', 'list', '-p')).stdout).toMatch(/^-:linux:installed:/);
  }, 60000);
});

describe('carrying a zone: detach, create -a, attach', () => {
  test('the configuration travels in the zonepath', async () => {
    const zp = join(zones, 'carried');
    await zonecfg('-z', 'carried', `create; set zonepath=${zp}; set autoboot=true`);
    expect((await zoneadm('-z', 'carried', 'install')).exitCode).toBe(0);
    expect((await zoneadm('-z', 'carried', 'detach')).exitCode).toBe(0);
    expect((await zoneadm('-z', 'carried', 'list', '-p')).stdout).toMatch(/^-:carried:configured:/);
    // On the "other host": forget the zone, then configure it again from its manifest.
    expect((await zonecfg('-z', 'carried', 'delete -F')).exitCode).toBe(0);
    const create = await zonecfg('-z', 'arrived', `create -a ${zp}`);
    expect(create.stderr).toBe('');
    expect(create.exitCode).toBe(0);
    expect((await zonecfg('-z', 'arrived', 'info', 'autoboot')).stdout).toBe('autoboot: true');
    expect((await zonecfg('-z', 'arrived', 'info', 'zonepath')).stdout).toBe(`zonepath: ${zp}`);
    const attach = await zoneadm('-z', 'arrived', 'attach');
    expect(attach.stderr).toBe('');
    expect(attach.exitCode).toBe(0);
    expect((await zoneadm('-z', 'arrived', 'list', '-p')).stdout).toMatch(/^-:arrived:installed:/);
    const bogus = await zonecfg('-z', 'nowhere', `create -a ${join(zones, 'nothing-here')}`);
    expect(bogus.stderr).toBe('invalid path to detached zone');
  }, 60000);
});

describe('a full disk', () => {
  test('the install fails, the zone is incomplete, uninstall -F recovers it', async () => {
    const zp = join(zones, 'full');
    mkdirSync(zp, { mode: 0o700 });
    // A 512 KiB file system: far too small for the zone's /etc.
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k,mode=0700', 'zones-test-full', zp]);
    mounted.push(zp);
    await zonecfg('-z', 'full', `create; set zonepath=${zp}`);
    const r = await zoneadm('-z', 'full', 'install');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/No space left on device|ENOSPC/);
    expect((await zoneadm('-z', 'full', 'list', '-p')).stdout).toMatch(/^-:full:incomplete:/);
    const un = await zoneadm('-z', 'full', 'uninstall', '-F');
    expect(un.exitCode).toBe(0);
    expect((await zoneadm('-z', 'full', 'list', '-p')).stdout).toMatch(/^-:full:configured:/);
  }, 60000);
});
