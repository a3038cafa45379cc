/**
 * Attach on another host (docs/reference.md#46-moving-a-zone-to-another-host), in-process: the id
 * block the manifest carries, kept or replaced; manifests edited by hand; the uuid `create -a`
 * keeps; update on attach (-u, -U). Two temporary stores stand for the two hosts.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { machine } from 'node:os';
import { join } from 'node:path';
import { attachZone, detachZone, parseManifest, type HostFacts } from '../../src/zoneadm/detach.js';
import { compareReleases, releaseProblem } from '../../src/zoneadm/attach-update.js';
import { installZone } from '../../src/zoneadm/install.js';
import { IdmapStore, blockText, candidateBlocks, idmapKey, idmapPath } from '../../src/store/idmap.js';
import { blankTemplate } from '../../src/store/templates.js';
import { Session } from '../../src/lang/session.js';
import { CapturingIO, MemoryBackend } from '../lang/memory-backend.js';
import { addZone, dirInstaller, makeEnv, PROFILE, runOp, type Env } from './helpers.js';
import type { Resource } from '../../src/model/types.js';

let a: Env;
let b: Env;
beforeEach(() => {
  a = makeEnv();
  b = makeEnv();
});
afterEach(() => {
  a.cleanup();
  b.cleanup();
});

const facts = (version_id = '12', id = 'debian'): HostFacts => ({ distribution: { id, version_id }, architecture: machine(), hostname: 'h' });

const run = runOp;

const install = (env: Env, zone: string) =>
  run(env, zone, (ctx) => installZone(ctx, { options: {}, profile: { ...PROFILE, hostname: zone }, installerFor: dirInstaller(env) }));
const key = (env: Env, z: string) => idmapKey(env.store.get(z)!);
const blockOf = (env: Env, z: string) => new IdmapStore(env.root).lookup(key(env, z));

/** A zone installed on host A with a block, detached (manifest from `detachFacts`), its zonepath copied to host B and configured there with the manifest's uuid. */
async function carried(z: string, opts: { resources?: Resource[]; detachFacts?: HostFacts } = {}): Promise<{ zpB: string; manifest: string }> {
  addZone(a, z, { resources: opts.resources });
  expect((await install(a, z)).err).toBe('');
  new IdmapStore(a.root).allocate(key(a, z));
  expect((await run(a, z, (ctx) => detachZone(ctx, { dryRun: false, facts: opts.detachFacts ?? facts() }))).err).toBe('');
  const zpA = a.store.load(z)!.globals.zonepath;
  const zpB = join(b.zones, z);
  execFileSync('cp', ['-a', zpA, zpB]);
  const m = parseManifest(readFileSync(join(zpB, 'SUNWdetached.yaml'), 'utf8'), 'm');
  const cfg = blankTemplate(z);
  cfg.globals.zonepath = zpB;
  cfg.resources = opts.resources ?? [];
  b.store.save(cfg, { uuid: m.uuid });
  return { zpB, manifest: join(zpB, 'SUNWdetached.yaml') };
}

describe('the id block travels in the manifest', () => {
  test('detach records the block; attach on the other host keeps it where it is free', async () => {
    await carried('mv');
    const blockA = blockOf(a, 'mv')!;
    const m = parseManifest(readFileSync(join(b.zones, 'mv/SUNWdetached.yaml'), 'utf8'), 'm');
    expect(m.idmap).toEqual(blockA);
    expect(key(b, 'mv')).toBe(key(a, 'mv'));
    const r = await run(b, 'mv', (ctx) => attachZone(ctx, { force: false, facts: facts() }));
    expect([r.err, r.stderr]).toEqual(['', '']);
    expect(b.store.get('mv')!.state).toBe('installed');
    expect(blockOf(b, 'mv')).toEqual(blockA);
  });

  test('the block is taken on the receiving host: the next free one, one WARNING line; the holder keeps its block', async () => {
    await carried('mv');
    const blockA = blockOf(a, 'mv')!;
    addZone(b, 'holder');
    new IdmapStore(b.root).adopt(key(b, 'holder'), blockA);
    const r = await run(b, 'mv', (ctx) => attachZone(ctx, { force: false, facts: facts() }));
    const now = blockOf(b, 'mv')!;
    expect(now.uid).not.toBe(blockA.uid);
    expect([r.err, r.stderr]).toEqual([
      '',
      `zoneadm: zone 'mv': WARNING: id block ${blockText(blockA)} cannot be kept: it is in use by zone 'holder' on this system; the zone now uses ${blockText(now)}.\n`,
    ]);
    expect(blockOf(b, 'holder')).toEqual(blockA);
    expect(b.store.get('mv')!.state).toBe('installed');
  });

  test('attach -n says what would become of the block and writes nothing', async () => {
    const { manifest } = await carried('dry');
    const blockA = blockOf(a, 'dry')!;
    // free here: nothing to say
    expect(await run(b, 'dry', (ctx) => attachZone(ctx, { force: false, facts: facts(), dryRunPath: manifest }))).toEqual({ err: '', stdout: '', stderr: '' });
    addZone(b, 'holder');
    new IdmapStore(b.root).adopt(key(b, 'holder'), blockA);
    const before = readFileSync(idmapPath(b.root), 'utf8');
    const r = await run(b, 'dry', (ctx) => attachZone(ctx, { force: false, facts: facts(), dryRunPath: manifest }));
    expect(r.err).toBe('');
    expect(r.stderr).toMatch(
      new RegExp(`^zoneadm: zone 'dry': WARNING: id block ${blockText(blockA)} cannot be kept: it is in use by zone 'holder' on this system; the zone would use \\d+-\\d+\\.\\n$`),
    );
    expect([readFileSync(idmapPath(b.root), 'utf8'), blockOf(b, 'dry')]).toEqual([before, undefined]);
    // on the host it came from, its own block is no conflict
    const onA = await run(a, 'dry', (ctx) => attachZone(ctx, { force: false, facts: facts(), dryRunPath: manifest }));
    expect([onA.err, onA.stderr]).toEqual(['', '']);
  });

  test('-F validates nothing but still carries the block', async () => {
    await carried('mf');
    expect((await run(b, 'mf', (ctx) => attachZone(ctx, { force: true }))).err).toBe('');
    expect(blockOf(b, 'mf')).toEqual(blockOf(a, 'mf'));
  });

  test('the same host: detach and attach again change nothing', async () => {
    addZone(a, 'same');
    await install(a, 'same');
    const mine = new IdmapStore(a.root).allocate(key(a, 'same'));
    await run(a, 'same', (ctx) => detachZone(ctx, { dryRun: false, facts: facts() }));
    const r = await run(a, 'same', (ctx) => attachZone(ctx, { force: false, facts: facts() }));
    expect([r.err, r.stderr, blockOf(a, 'same')]).toEqual(['', '', mine]);
    expect(new IdmapStore(a.root).read().size).toBe(1);
  });

  const HAND_EDITS: [string, string, RegExp][] = [
    ['a string', 'idmap: lots', /the manifest's id block is malformed \('idmap' is not a mapping\)/],
    ['a list', 'idmap: [1, 2, 3]', /the manifest's id block is malformed \('idmap' is not a mapping\)/],
    ['a word for a number', 'idmap:\n  uid: many\n  gid: 1\n  count: 65536', /malformed \('idmap.uid' is not a positive integer\)/],
    ['a negative gid', 'idmap:\n  uid: 1000000000\n  gid: -5\n  count: 65536', /malformed \('idmap.gid' is not a positive integer\)/],
    ['no count', 'idmap:\n  uid: 1000000000\n  gid: 1000000000', /malformed \('idmap.count' is not a positive integer\)/],
    ['host root', 'idmap:\n  uid: 0\n  gid: 0\n  count: 65536', /malformed \('idmap.uid' is not a positive integer\)/],
    ['a host account', 'idmap:\n  uid: 1\n  gid: 1\n  count: 65536', /id block 1-65536 cannot be kept: this system would not give it to a zone \(host uids 1-65536 (hold the host's uid \d+|are not a block)/],
    ['all ids', 'idmap:\n  uid: 1000000000\n  gid: 1000000000\n  count: 4294967295', /cannot be kept: this system would not give it to a zone \(it has 4294967295 ids, not 65536\)/],
  ];
  test.each(HAND_EDITS)('a manifest edited by hand (%s): never honoured, reported in one line, the zone attached with a block of this host', async (_what, yaml, msg) => {
    const { manifest } = await carried('he');
    const text = readFileSync(manifest, 'utf8').replace(/\nidmap:\n(  .*\n)+/, '\n');
    writeFileSync(manifest, `${text}${yaml}\n`);
    const r = await run(b, 'he', (ctx) => attachZone(ctx, { force: false, facts: facts() }));
    expect(r.err).toBe('');
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(new RegExp(`^zoneadm: zone 'he': WARNING: .*${msg.source}.*; the zone now uses \\d+-\\d+\\.\\n$`));
    const got = blockOf(b, 'he')!;
    expect(candidateBlocks(b.root).some(([u, g]) => u === got.uid && g === got.gid)).toBe(true);
  });

  test('a corrupt allocation file on the receiving host: attach refuses in one line, the zone stays configured', async () => {
    await carried('cf');
    writeFileSync(idmapPath(b.root), 'garbage\n');
    const r = await run(b, 'cf', (ctx) => attachZone(ctx, { force: false, facts: facts() }));
    expect(r.err).toBe(`zoneadm: zone 'cf': cannot give the zone its id block: ${idmapPath(b.root)}:1: malformed line 'garbage'\n`);
    expect(b.store.get('cf')!.state).toBe('configured');
  });
});

describe('the uuid: create -a keeps it where the store allows', () => {
  const U = '0f9c56f4-9810-6d45-f801-d34bf27cc13f';
  const save = (z: string, uuid?: string) => {
    const cfg = blankTemplate(z);
    cfg.globals.zonepath = join(b.zones, z);
    b.store.save(cfg, uuid === undefined ? {} : { uuid });
    return b.store.get(z)!.uuid;
  };
  test('a new zone takes it (lower case); a second zone asking for it, a malformed one, or one with a block recorded get fresh ones', () => {
    expect(save('one', U.toUpperCase())).toBe(U);
    const two = save('two', U);
    expect(two).not.toBe(U);
    expect(two).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(save('three', 'name=one')).not.toBe('name=one');
    const stale = '11111111-2222-3333-4444-555555555555';
    new IdmapStore(b.root).allocate(stale);
    expect(save('four', stale)).not.toBe(stale);
    // an existing zone keeps its own
    expect(save('one', '99999999-2222-3333-4444-555555555555')).toBe(U);
  });

  test('zonecfg create -a asks for the manifest uuid at its first commit, and only then', async () => {
    const backend = new MemoryBackend();
    backend.manifests.set('/z/p', { ...blankTemplate('x') });
    backend.manifestUuids.set('/z/p', U);
    const session = async (zone: string, text: string) => {
      const io = new CapturingIO();
      const s = new Session(backend, io, { zonename: zone, mode: 'argv' });
      await s.run(`${text}\n`);
      expect([await s.finish(), io.stderr]).toEqual([0, []]);
    };
    await session('x', 'create -a /z/p; commit; set autoboot=true; commit');
    expect(backend.askedUuids).toEqual([U, undefined]);
    await session('y', 'create -b; set zonepath=/z/y; commit');
    expect(backend.askedUuids).toEqual([U, undefined, undefined]);
  });
});

describe('update on attach: -u and -U', () => {
  test('releases: dotted numbers compared; another distribution or a word is not comparable', () => {
    const r = (version_id: string, id = 'debian') => ({ id, version_id });
    expect(compareReleases(r('11'), r('12'))).toBe(-1);
    expect(compareReleases(r('22.04'), r('22.04.1'))).toBe(-1);
    expect(compareReleases(r('12.0'), r('12'))).toBe(0);
    expect(compareReleases(r('13'), r('12'))).toBe(1);
    expect(compareReleases(r('12', 'fedora'), r('12'))).toBeUndefined();
    expect(compareReleases(r('sid'), r('12'))).toBeUndefined();
    expect(releaseProblem(r('11'), r('12'), true)).toBeUndefined();
    expect(releaseProblem(r('11'), r('12'), false)).toBe('the zone was detached from debian 11; this system runs debian 12 (attach -u updates the zone to this release)');
  });

  test('an older release: refused without -u (with the hint), attached with -u', async () => {
    await carried('old', { detachFacts: facts('11') });
    const r = await run(b, 'old', (ctx) => attachZone(ctx, { force: false, facts: facts('12') }));
    expect(r.err).toBe(
      "zoneadm: zone 'old': the detached zone does not match this system:\n\tthe zone was detached from debian 11; this system runs debian 12 (attach -u updates the zone to this release)\n",
    );
    const dry = await run(b, 'old', (ctx) => attachZone(ctx, { force: false, facts: facts('12'), update: 'min', dryRunPath: join(b.zones, 'old/SUNWdetached.yaml') }));
    expect(dry.err).toBe('');
    expect((await run(b, 'old', (ctx) => attachZone(ctx, { force: false, facts: facts('12'), update: 'min' }))).err).toBe('');
    expect(b.store.get('old')!.state).toBe('installed');
  });

  test('a newer release is refused even with -u; another distribution too; -F and -u exclude each other', async () => {
    await carried('new', { detachFacts: facts('13') });
    const r = await run(b, 'new', (ctx) => attachZone(ctx, { force: false, facts: facts('12'), update: 'min' }));
    expect(r.err).toBe(
      "zoneadm: zone 'new': the detached zone does not match this system:\n\tCannot attach to an earlier release of the operating system: the zone was detached from debian 13; this system runs debian 12\n",
    );
    const other = await run(b, 'new', (ctx) => attachZone(ctx, { force: false, facts: facts('13', 'fedora'), update: 'all' }));
    expect(other.err).toMatch(/\n\tthe zone was detached from debian 13; this system runs fedora 13\n$/);
    expect((await run(b, 'new', (ctx) => attachZone(ctx, { force: true, update: 'min' }))).err).toBe("zoneadm: zone 'new': -F and -u flags are mutually exclusive\n");
    expect(b.store.get('new')!.state).toBe('configured');
  });

  test("-U of a whole-root zone: refused before anything changes, naming the command to run in the zone", async () => {
    writeFileSync(join(a.template, 'etc/os-release'), 'ID=ubuntu\nID_LIKE=debian\nVERSION_ID="24.04"\n');
    await carried('whole', { detachFacts: facts('11') });
    const r = await run(b, 'whole', (ctx) => attachZone(ctx, { force: false, facts: facts('12'), update: 'all' }));
    expect(r.err).toBe(
      "zoneadm: zone 'whole': attach -U cannot update a whole-root zone's packages from the global zone (they are its own, and need its network): " +
        "attach with -u, boot the zone, then run zlogin whole 'apt-get update && apt-get upgrade'\n",
    );
    expect([b.store.get('whole')!.state, existsSync(join(b.zones, 'whole/SUNWdetached.yaml')), blockOf(b, 'whole')]).toEqual(['configured', true, undefined]);
  });

  test('-u of a sparse zone adds what the host has and the zone lacks, keeps what the zone has, never follows its links', async () => {
    const host = join(b.base, 'host');
    mkdirSync(join(host, 'etc/ssh'), { recursive: true });
    mkdirSync(join(host, 'etc/newdir'), { recursive: true });
    mkdirSync(join(host, 'etc/trap'), { recursive: true });
    mkdirSync(join(host, 'usr'), { recursive: true });
    writeFileSync(join(host, 'etc/new.conf'), 'from the newer host\n');
    writeFileSync(join(host, 'etc/newdir/inner.conf'), 'inner\n');
    writeFileSync(join(host, 'etc/edited.conf'), 'host version\n');
    writeFileSync(join(host, 'etc/ssh/ssh_host_ed25519_key'), 'secret\n', { mode: 0o600 });
    writeFileSync(join(host, 'etc/passwd'), 'root:x:0:0::/root:/bin/sh\nhostuser:x:1000:1000::/home/h:/bin/sh\n');
    writeFileSync(join(host, 'etc/trap/payload'), 'payload\n');
    symlinkSync('usr/bin', join(host, 'bin'));
    writeFileSync(join(a.template, 'etc/edited.conf'), 'the zone edited this\n');
    writeFileSync(join(a.template, 'etc/passwd'), 'root:x:0:0::/root:/bin/sh\n');
    const outside = join(b.base, 'outside');
    mkdirSync(outside);
    symlinkSync(outside, join(a.template, 'etc/trap'));
    const ipd: Resource[] = [{ type: 'inherit-pkg-dir', props: { dir: '/usr' } }];
    const { zpB } = await carried('sp', { resources: ipd, detachFacts: facts('11') });
    rmSync(join(zpB, 'root/usr'), { recursive: true, force: true });
    const r = await run(b, 'sp', (ctx) => attachZone(ctx, { force: false, facts: facts('12'), update: 'min', hostRoot: host }));
    expect([r.err, r.stderr]).toEqual(['', '']);
    expect(r.stdout).toMatch(/^Updating the zone from the global zone: 6 entries added\.\n$/);
    const zr = join(zpB, 'root');
    expect(readFileSync(join(zr, 'etc/new.conf'), 'utf8')).toBe('from the newer host\n');
    expect(readFileSync(join(zr, 'etc/newdir/inner.conf'), 'utf8')).toBe('inner\n');
    expect(readFileSync(join(zr, 'etc/edited.conf'), 'utf8')).toBe('the zone edited this\n');
    expect(readFileSync(join(zr, 'etc/passwd'), 'utf8')).toBe('root:x:0:0::/root:/bin/sh\n');
    // usr, bin, etc/new.conf, etc/newdir and its file, etc/ssh without its host key
    expect(existsSync(join(zr, 'etc/ssh/ssh_host_ed25519_key'))).toBe(false);
    expect(readlinkSync(join(zr, 'bin'))).toBe('usr/bin');
    expect(lstatSync(join(zr, 'usr')).isDirectory()).toBe(true);
    expect(existsSync(join(outside, 'payload'))).toBe(false);
    expect(b.store.get('sp')!.state).toBe('installed');
  });

  test('-U of a sparse zone: the same refresh (its packages are the host\'s)', async () => {
    const host = join(b.base, 'host2');
    mkdirSync(join(host, 'etc'), { recursive: true });
    mkdirSync(join(host, 'usr'));
    writeFileSync(join(host, 'etc/added.conf'), 'x\n');
    await carried('sU', { resources: [{ type: 'inherit-pkg-dir', props: { dir: '/usr' } }] });
    const r = await run(b, 'sU', (ctx) => attachZone(ctx, { force: false, facts: facts(), update: 'all', hostRoot: host }));
    expect([r.err, r.stdout]).toEqual(['', 'Updating the zone from the global zone: 1 entries added.\n']);
    expect(existsSync(join(b.zones, 'sU/root/etc/added.conf'))).toBe(true);
  });
});
