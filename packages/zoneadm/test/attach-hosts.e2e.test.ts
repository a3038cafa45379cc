/**
 * A zone carried from one host to another (docs/reference.md#46-moving-a-zone-to-another-host):
 * two ZONES_ROOTs stand for two hosts. On host A a busybox zone is installed from the fixture
 * archive, booted, written to by its root and by a user of its own, halted and detached; its
 * zonepath travels as a tar archive and is unpacked on host B, configured with `zonecfg create -a`
 * and attached. It boots there with its files and owners intact and the same id block. A second
 * copy attached on B finds that block taken by the first: it gets the next free one, is told so
 * in one line, and boots with its files owned as before inside (but not what it left in a writable
 * lofs fs, which carries host ids: the reason attach keeps the block); the first zone is untouched.
 * Every zone booted here is halted in afterAll by name, also when a test fails.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { haltZone, zoneadmdPath } from '@zones/core/runtime/index';
import { ZoneStore } from '@zones/core/store/zone-store';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = resolve(here, '../../..');
const ZONECFG = join(repo, 'bin/zonecfg');
const ZONEADM = join(repo, 'bin/zoneadm');
const ZLOGIN = join(repo, 'bin/zlogin');

const canRun = process.getuid?.() === 0 && existsSync(zoneadmdPath());
const d = canRun ? describe : describe.skip;
if (!canRun) console.warn('attach-hosts tests skipped: need root and the native zoneadmd (npm run build:native)');

const base = mkdtempSync(join(tmpdir(), 'attach-hosts-'));
const hostA = { root: join(base, 'a/zr'), zones: join(base, 'a/zones') };
const hostB = { root: join(base, 'b/zr'), zones: join(base, 'b/zones') };
type Host = typeof hostA;
const tag = `ah${process.pid % 100000}`;
const Z = `${tag}z`;
const Z2 = `${tag}y`;
const booted: [string, Host][] = [];
const shared = join(base, 'shared');

const tool = (bin: string, host: Host, args: string[]) => execa(bin, args, { env: { ZONES_ROOT: host.root }, reject: false, input: '' });
const zonecfg = (host: Host, ...args: string[]) => tool(ZONECFG, host, args);
const zoneadm = (host: Host, ...args: string[]) => tool(ZONEADM, host, args);
const zlogin = (host: Host, ...args: string[]) => tool(ZLOGIN, host, args);
const uuidOf = (host: Host, z: string) => new ZoneStore(host.root).get(z)?.uuid;

async function ok(p: ReturnType<typeof tool>): Promise<string> {
  const r = await p;
  expect([r.command, r.exitCode, r.stderr]).toEqual([r.command, 0, '']);
  return r.stdout;
}

async function boot(host: Host, z: string): Promise<void> {
  booted.push([z, host]);
  await ok(zoneadm(host, '-z', z, 'boot', '--', '-i', 'zsched'));
}

/** The zone's uid_map as `inside outside count`, read inside the zone. */
async function uidMap(host: Host, z: string): Promise<string> {
  return (await ok(zlogin(host, z, 'cat', '/proc/self/uid_map'))).trim().split(/\s+/).join(' ');
}

/** Owners and contents of the two files the zone's users wrote, seen inside the zone. */
async function filesInside(host: Host, z: string): Promise<string> {
  // zlogin joins its words into one shell command line, as Solaris does
  return ok(zlogin(host, z, 'stat -c "%u:%g %a %n" /root/by-root /var/tmp/by-daemon; cat /root/by-root /var/tmp/by-daemon'));
}

/** On host B: the archive unpacked as zonepath of `z`, configured from its manifest. */
async function arrive(z: string): Promise<string> {
  const zp = join(hostB.zones, z);
  mkdirSync(zp, { mode: 0o700 });
  execFileSync('tar', ['--numeric-owner', '-xpf', join(base, 'zone.tar'), '-C', zp]);
  await ok(zonecfg(hostB, '-z', z, `create -a ${zp}; commit`));
  return zp;
}

const FILES = '0:0 600 /root/by-root\n1:1 644 /var/tmp/by-daemon\nroot wrote this\ndaemon wrote this';

let tarball: string;
let blockA: string;

beforeAll(async () => {
  if (!canRun) return;
  for (const h of [hostA, hostB]) mkdirSync(h.zones, { recursive: true, mode: 0o755 });
  const fx = join(base, 'fixture');
  execFileSync(join(repo, 'fixtures/build-busybox-root.sh'), [fx], { stdio: 'ignore' });
  tarball = join(fx, 'busybox-root.tar');
}, 60_000);

afterAll(async () => {
  for (const [z, h] of booted) await haltZone(z, { root: h.root }).catch(() => undefined);
  rmSync(base, { recursive: true, force: true });
}, 60_000);

d('detach on one host, attach on another', () => {
  test('host A: install, boot, files written by root and by a zone user, halt, detach, tar', async () => {
    const zp = join(hostA.zones, Z);
    // a writable lofs fs: bound without an idmap, so what the zone writes there carries its host ids
    mkdirSync(shared, { mode: 0o755 });
    await ok(zonecfg(hostA, '-z', Z, `create -b; set zonepath=${zp}; add fs; set dir=/srv/data; set special=${shared}; set type=lofs; end; commit`));
    await ok(zoneadm(hostA, '-z', Z, 'install', '-d', tarball));
    await boot(hostA, Z);
    await ok(zlogin(hostA, Z, 'echo root wrote this > /root/by-root; chmod 600 /root/by-root'));
    await ok(zlogin(hostA, '-l', 'daemon', Z, 'umask 022; echo daemon wrote this > /var/tmp/by-daemon'));
    expect(await filesInside(hostA, Z)).toBe(FILES);
    blockA = await uidMap(hostA, Z);
    expect(blockA).toMatch(/^0 \d+ 65536$/);
    // the admin gives the zone's root the shared directory, by the zone's host ids
    chownSync(shared, Number(blockA.split(' ')[1]), Number(blockA.split(' ')[1]));
    await ok(zlogin(hostA, Z, 'echo shared > /srv/data/by-root'));
    // On disk the files carry the zone's own ids, whatever the block (idmapped mounts shift them).
    expect(statSync(join(zp, 'root/var/tmp/by-daemon')).uid).toBe(1);
    // ... except in the writable fs: there the file belongs to the zone's block on the host
    expect(statSync(join(shared, 'by-root')).uid).toBe(Number(blockA.split(' ')[1]));
    await ok(zoneadm(hostA, '-z', Z, 'halt'));
    await ok(zoneadm(hostA, '-z', Z, 'detach'));
    const manifest = readFileSync(join(zp, 'SUNWdetached.yaml'), 'utf8');
    const start = blockA.split(' ')[1];
    expect(manifest).toContain(`idmap:\n  uid: ${start}\n  gid: `);
    execFileSync('tar', ['--numeric-owner', '-C', zp, '-cf', join(base, 'zone.tar'), '.']);
  }, 40_000);

  test('host B: create -a keeps the uuid, attach keeps the block, the zone boots with its files', async () => {
    const zp = await arrive(Z);
    expect(uuidOf(hostB, Z)).toBe(uuidOf(hostA, Z));
    // by uuid, with update on attach: the global -u before the subcommand, attach's own after it
    await ok(zoneadm(hostB, '-u', uuidOf(hostB, Z)!, 'attach', '-u'));
    expect(existsSync(join(zp, 'SUNWdetached.yaml'))).toBe(false);
    await boot(hostB, Z);
    expect(await uidMap(hostB, Z)).toBe(blockA);
    expect(await filesInside(hostB, Z)).toBe(FILES);
    // the block kept, the file the zone left in the shared fs is still its root's
    expect(await ok(zlogin(hostB, Z, 'stat -c %u /srv/data/by-root'))).toBe('0');
  }, 40_000);

  test('host B again: a second copy finds the block taken, gets the next one, says so, boots; the first is untouched', async () => {
    const zp = await arrive(Z2);
    // The manifest's uuid is Z's on this store already: the copy gets a fresh one.
    expect(uuidOf(hostB, Z2)).toMatch(/^[0-9a-f-]{36}$/);
    expect(uuidOf(hostB, Z2)).not.toBe(uuidOf(hostB, Z));
    // -U cannot update a whole-root zone's own packages from the host: refused, nothing changed
    const all = await zoneadm(hostB, '-z', Z2, 'attach', '-U');
    expect([all.exitCode, all.stderr]).toEqual([
      1,
      `zoneadm: zone '${Z2}': attach -U cannot update a whole-root zone's packages from the global zone (they are its own, and need its network): ` +
        "attach with -u, boot the zone, then run the zone's package manager inside the zone",
    ]);
    expect(new ZoneStore(hostB.root).get(Z2)?.state).toBe('configured');
    const r = await zoneadm(hostB, '-z', Z2, 'attach');
    const [, start] = blockA.split(' ');
    const m = new RegExp(
      `^zoneadm: zone '${Z2}': WARNING: id block ${start}-${Number(start) + 65535} cannot be kept: it is in use by zone '${Z}' on this system; the zone now uses (\\d+)-(\\d+)\\.$`,
    ).exec(r.stderr);
    expect([r.exitCode, r.stderr, m !== null]).toEqual([0, r.stderr, true]);
    await boot(hostB, Z2);
    expect(await uidMap(hostB, Z2)).toBe(`0 ${m![1]} 65536`);
    expect(await filesInside(hostB, Z2)).toBe(FILES);
    // with another block, what the zone left in the writable fs is no longer its own (docs/reference.md#46-moving-a-zone-to-another-host)
    expect(await ok(zlogin(hostB, Z2, 'stat -c %u /srv/data/by-root'))).toBe('65534');
    // the first zone runs on, with its block and its files
    expect(await uidMap(hostB, Z)).toBe(blockA);
    expect(await filesInside(hostB, Z)).toBe(FILES);
    // the block kept, the file the zone left in the shared fs is still its root's
    expect(await ok(zlogin(hostB, Z, 'stat -c %u /srv/data/by-root'))).toBe('0');
  }, 40_000);
});
