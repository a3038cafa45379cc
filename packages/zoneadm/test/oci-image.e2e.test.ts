/**
 * `zoneadm export -t oci-image` through the real bins (docs/oci-image.md): a blank zone with one
 * tiny inherit-pkg-dir, installed from the busybox root, exported; skopeo and umoci read the
 * layout; podman runs it on this host (the zone's init, and a command instead of it, with runc and
 * crun) from a private storage (core/test/oci/podman.ts); and the round trip back: `zonecfg create
 * -o`, `zoneadm install -d` of the layout, and a boot of the copy with our own runtime.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execa } from 'execa';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasCrun, podmanHarness, podmanMissing, type Podman } from '../../core/test/oci/podman.js';
import { traceLines } from '../../core/test/faults/trace.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = resolve(here, '../../..');
const ZONECFG = join(repo, 'bin/zonecfg');
const ZONEADM = join(repo, 'bin/zoneadm');
const ZLOGIN = join(repo, 'bin/zlogin');

const missing = podmanMissing() ?? (spawnSync('skopeo', ['--version']).status !== 0 ? 'skopeo is not installed' : undefined) ?? (spawnSync('umoci', ['--version']).status !== 0 ? 'umoci is not installed' : undefined);
if (missing) console.warn(`oci-image.e2e: skipped: ${missing}`);
const d = missing ? describe.skip : describe;

let base: string;
let pkg: string;
let image: string;
let podman: Podman;
const Z = 'img';
const COPY = 'imgcopy';
const booted: string[] = [];
const env = () => ({ ZONES_ROOT: join(base, 'zr') });
const run = (bin: string, args: string[]) => execa(bin, args, { env: env(), reject: false, input: '', timeout: 25_000 });
const zonecfg = (...a: string[]) => run(ZONECFG, a);
const zoneadm = (...a: string[]) => run(ZONEADM, a);
const ref = () => `oci:${image}:${Z}`;

beforeAll(async () => {
  // Lower case: podman 4.3 names an `oci:` image after its path, and a name must be lower case.
  base = join(tmpdir(), `zones-oci-image-${process.pid}`);
  rmSync(base, { recursive: true, force: true });
  mkdirSync(base);
  mkdirSync(join(base, 'zr'));
  mkdirSync(join(base, 'zones'), { mode: 0o700 });
  // The tiny inherit-pkg-dir: a host directory the image must carry, since a node lacks it.
  pkg = join(base, 'pkg');
  mkdirSync(join(pkg, 'bin'), { recursive: true });
  writeFileSync(join(pkg, 'bin', 'pkgtool'), 'from the host\n');
  if (missing) return;
  execFileSync(join(repo, 'fixtures/build-busybox-root.sh'), [join(base, 'fx')], { stdio: 'ignore' });
  const cfg = [
    'create -b',
    `set zonepath=${join(base, 'zones', Z)}`,
    'set max-lwps=300',
    `add inherit-pkg-dir; set dir=${pkg}; end`,
    'add attr; set name=course; set type=string; set value=os101; end',
    'commit',
  ].join('; ');
  expect((await zonecfg('-z', Z, cfg)).stderr).toBe('');
  const inst = await zoneadm('-z', Z, 'install', '-d', join(base, 'fx', 'busybox-root.tar.gz'));
  expect(inst.exitCode).toBe(0);
  writeFileSync(join(base, 'zones', Z, 'root', 'etc', 'zone-marker'), 'zone img\n');
  podman = podmanHarness();
}, 60_000);

afterAll(async () => {
  // A test that failed before its own umount: the full tmpfs of the failed-write case.
  if (existsSync(join(base, 'small'))) spawnSync('umount', ['-l', join(base, 'small')], { stdio: 'ignore' });
  for (const z of booted) await zoneadm('-z', z, 'halt');
  podman?.cleanup();
  rmSync(base, { recursive: true, force: true });
}, 60_000);

d('zoneadm export -t oci-image', () => {
  test('writes a layout; a non-empty DIR is refused in one line and nothing is left', async () => {
    image = join(base, 'image');
    const t0 = Date.now();
    const r = await zoneadm('-z', Z, 'export', '-t', 'oci-image', image);
    console.log(`export of a busybox zone: ${Date.now() - t0} ms`);
    expect({ code: r.exitCode, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(readdirSync(image).sort()).toEqual(['blobs', 'index.json', 'oci-layout']);
    expect(JSON.parse(readFileSync(join(image, 'index.json'), 'utf8')).manifests[0].annotations['org.opencontainers.image.ref.name']).toBe(Z);
    expect(readdirSync(base).filter((n) => n.includes('partial'))).toEqual([]);

    const again = await zoneadm('-z', Z, 'export', '-t', 'oci-image', image);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toBe(`zoneadm: zone '${Z}': ${image}: directory exists and is not empty`);

    // Inside what the layer holds, tar would read its own output.
    const zp = join(base, 'zones', Z);
    const inside = await zoneadm('-z', Z, 'export', '-t', 'oci-image', join(zp, 'root/tmp/img'));
    expect([inside.exitCode, inside.stderr]).toEqual([1, `zoneadm: zone '${Z}': ${join(zp, 'root/tmp/img')}: the image cannot be written inside ${zp}, which it holds`]);
    expect(readdirSync(join(zp, 'root/tmp'))).toEqual([]);
  }, 30_000);

  test('a write that fails half-way (a full file system) leaves neither DIR nor its temporary sibling', async () => {
    const small = join(base, 'small');
    mkdirSync(small);
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', small]).status).toBe(0);
    try {
      const r = await zoneadm('-z', Z, 'export', '-t', 'oci-image', join(small, 'img'));
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^zoneadm: zone '${Z}': writing the image to .*/small/img failed: .*no space left on device`, 'i'));
      expect(r.stderr.split('\n')).toHaveLength(1);
      expect(traceLines(r.stderr)).toEqual([]);
      expect(readdirSync(small)).toEqual([]);
    } finally {
      spawnSync('umount', [small]);
    }
  }, 30_000);

  test('skopeo reads the labels and the entrypoint; the layer holds the inherit-pkg-dir', async () => {
    const info = JSON.parse(execFileSync('skopeo', ['inspect', ref()], { encoding: 'utf8' }));
    expect(info.Labels).toMatchObject({ 'org.zones.zonename': Z, 'org.zones.brand': 'native', 'org.zones.distribution': 'busybox', 'org.zones.init': '/sbin/init', 'org.opencontainers.image.title': Z });
    expect(info.Labels['org.zones.config']).toContain('add attr');
    expect(info.Labels['org.zones.config']).toContain(`set dir=${pkg}`);
    expect(info.Env).toContain('container=zone');
    const config = JSON.parse(execFileSync('skopeo', ['inspect', '--config', ref()], { encoding: 'utf8' }));
    expect(config.config.Entrypoint).toEqual(['/sbin/init']);
    expect(config.config.Hostname).toBeUndefined();
    expect(config.rootfs.diff_ids).toHaveLength(1);
  }, 30_000);

  test('umoci unpacks it: the zone root, the host directory folded in, /proc empty', async () => {
    expect(execFileSync('umoci', ['stat', '--image', `${image}:${Z}`], { encoding: 'utf8' })).toContain(`zoneadm -z ${Z} export -t oci-image`);
    const bundle = join(base, 'bundle');
    execFileSync('umoci', ['unpack', '--image', `${image}:${Z}`, bundle], { stdio: 'pipe' });
    const rootfs = join(bundle, 'rootfs');
    expect(readFileSync(join(rootfs, 'etc/zone-marker'), 'utf8')).toBe('zone img\n');
    expect(readFileSync(join(rootfs, pkg, 'bin/pkgtool'), 'utf8')).toBe('from the host\n');
    expect(readdirSync(join(rootfs, 'proc'))).toEqual([]);
    rmSync(bundle, { recursive: true, force: true });
  }, 30_000);

  test('podman (runc) runs a command instead of the init, and the zone init itself', async () => {
    const cat = podman.podman(['run', '--rm', '--network', 'none', '--entrypoint', '/bin/cat', ref(), '/etc/zone-marker', `${pkg}/bin/pkgtool`]);
    expect({ code: cat.status, out: cat.stdout, err: cat.stderr.split('\n').filter((l) => /^Error/.test(l)) }).toEqual({ code: 0, out: 'zone img\nfrom the host\n', err: [] });

    const started = podman.podman(['run', '-d', '--network', 'none', '--name', 'zinit', ref()]);
    expect(started.status).toBe(0);
    try {
      const ps = podman.podman(['exec', 'zinit', 'sh', '-c', 'cat /proc/1/comm /etc/zone-marker; echo $container']);
      expect({ code: ps.status, out: ps.stdout }).toEqual({ code: 0, out: 'init\nzone img\nzone\n' });
    } finally {
      expect(podman.podman(['rm', '--force', '--time', '0', 'zinit']).status).toBe(0);
    }
  }, 60_000);

  test("podman with the zone's kind of id mapping: root of the container is an unprivileged host id, files keep their ids", async () => {
    const map = '0:1879048192:65536';
    const r = podman.podman(['run', '--rm', '--network', 'none', '--uidmap', map, '--gidmap', map, '--entrypoint', '/bin/sh', ref(), '-c', 'cat /proc/self/uid_map; stat -c %u:%g /etc/shadow']);
    expect({ code: r.status, out: r.stdout.replace(/[ \t]+/g, ' ').trim() }).toEqual({ code: 0, out: '0 1879048192 65536\n0:42' });
  }, 60_000);

  (hasCrun() ? test : test.skip)('podman with crun runs it (cgroup2 hybrid mount hidden)', async () => {
    const cat = podman.podman(['run', '--rm', '--network', 'none', '--entrypoint', '/bin/cat', ref(), '/etc/zone-marker'], { runtime: 'crun' });
    expect({ code: cat.status, out: cat.stdout, err: cat.stderr.split('\n').filter((l) => /^Error/.test(l)) }).toEqual({ code: 0, out: 'zone img\n', err: [] });
  }, 60_000);

  test('round trip: create -o, install -d of the layout, boot with our runtime', async () => {
    const zp = join(base, 'zones', COPY);
    const c = await zonecfg('-z', COPY, `create -o ${image}:${Z}; set zonepath=${zp}; commit`);
    expect(c.exitCode).toBe(0);
    expect(c.stderr.split('\n')).toEqual([
      `zonepath ${join(base, 'zones', Z)} not taken from the image: set a zonepath`,
      "the image's resource controls are kept: zone.max-lwps",
      `inherit-pkg-dir ${pkg} not taken: the image carries their files`,
    ]);
    const exported = (await zonecfg('-z', COPY, 'export')).stdout;
    expect(exported).toContain('add value (priv=privileged,limit=300,action=deny)');
    expect(exported).toContain('set value=os101');
    expect(exported).not.toContain('inherit-pkg-dir');

    const inst = await zoneadm('-z', COPY, 'install', '-d', `${image}:${Z}`);
    expect({ code: inst.exitCode, stderr: inst.stderr }).toEqual({ code: 0, stderr: '' });
    expect(readFileSync(join(zp, 'root', pkg, 'bin/pkgtool'), 'utf8')).toBe('from the host\n');

    const boot = await zoneadm('-z', COPY, 'boot');
    expect({ code: boot.exitCode, stderr: boot.stderr }).toEqual({ code: 0, stderr: '' });
    booted.push(COPY);
    const r = await execa(ZLOGIN, [COPY, 'cat', '/etc/zone-marker', `${pkg}/bin/pkgtool`], { env: env(), reject: false, input: '' });
    expect({ code: r.exitCode, out: r.stdout }).toEqual({ code: 0, out: 'zone img\nfrom the host' });
    expect((await zoneadm('-z', COPY, 'halt')).exitCode).toBe(0);
    booted.pop();
    expect(existsSync(join(zp, 'root/etc/zone-marker'))).toBe(true);
  }, 60_000);
});
