/**
 * `zoneadm export -t oci-bundle` through the real bins, and the bundle run by runc and crun from
 * Debian's packages: the zone installed with our tools runs unchanged under both, with its user
 * namespace, mounts, capabilities, seccomp filter, limits and /proc masks (docs/scale.md). Each
 * container is named with the test's pid and removed by that name, even when a test fails.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execa } from 'execa';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, closeSync, copyFileSync, openSync, existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { capabilityMask } from '@zones/core/platform/capabilities';
import { parseLimitpriv } from '@zones/core/model/privileges';
import { zoneadmdPath } from '@zones/core/runtime/index';
import { IdmapStore, idmapKey } from '@zones/core/store/idmap';
import { ZoneStore } from '@zones/core/store/zone-store';
import { schemaValidator } from '../../core/test/oci/runtime-spec.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = resolve(here, '../../..');
const ZONECFG = join(repo, 'bin/zonecfg');
const ZONEADM = join(repo, 'bin/zoneadm');

const canRun = process.getuid?.() === 0 && existsSync(zoneadmdPath());
const d = canRun ? describe : describe.skip;
if (!canRun) console.warn('export-bundle tests skipped: need root and the native zoneadmd (npm run build:native)');

const base = mkdtempSync(join(tmpdir(), 'zoneadm-oci-'));
chmodSync(base, 0o755);
const root = join(base, 'zr');
const zones = join(base, 'zones');
const ipd = join(base, 'ipd');
const shared = join(base, 'shared');
const bundle = join(base, 'bundle');
const tag = `ob${process.pid % 100000}`;
const Z = `${tag}z`;
const LIMITPRIV = 'default,-proc_owner';
const env = () => ({ ZONES_ROOT: root });
const zonecfg = (...args: string[]) => execa(ZONECFG, args, { env: env(), reject: false, input: '' });
const zoneadm = (...args: string[]) => execa(ZONEADM, args, { env: env(), reject: false, input: '' });

/** crun refuses a hybrid cgroup host (controllers on cgroup2 too): without the unified mount, in a private mount namespace, it is a v1 host. */
const hybrid = spawnSync('findmnt', ['-n', '-t', 'cgroup2', '/sys/fs/cgroup/unified']).status === 0;

type Runtime = 'runc' | 'crun';
const stateDir = (rt: Runtime) => join(base, `${rt}-state`);
const containers: { rt: Runtime; id: string }[] = [];

/** The command line of `rt ARGS`, its state under the test's directory (crun: on a hybrid host, see above). */
function runtimeArgv(rt: Runtime, args: string[]): string[] {
  const cmd = [rt, '--root', stateDir(rt), ...args];
  if (rt !== 'crun' || !hybrid) return cmd;
  const quoted = cmd.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return ['unshare', '-m', '--propagation', 'private', 'sh', '-c', `umount /sys/fs/cgroup/unified && exec ${quoted}`];
}

function runtime(rt: Runtime, args: string[]) {
  const [file, ...words] = runtimeArgv(rt, args);
  return execa(file!, words, { reject: false, timeout: 30_000 });
}

/** `run -d`: its output to a file, since the container keeps the runtime's stdio (a pipe would never close). */
function runDetached(rt: Runtime, id: string, pidFile: string, log: string, dir = bundle): { status: number | null; log: string } {
  const fd = openSync(log, 'a');
  try {
    const [file, ...words] = runtimeArgv(rt, ['run', '-d', '--pid-file', pidFile, id]);
    const r = spawnSync(file!, words, { cwd: dir, stdio: ['ignore', fd, fd], timeout: 30_000 });
    return { status: r.status, log: readFileSync(log, 'utf8') };
  } finally {
    closeSync(fd);
  }
}

async function removeContainer(rt: Runtime, id: string): Promise<void> {
  await runtime(rt, ['kill', id, 'KILL']);
  for (let i = 0; i < 50; i++) {
    const r = await runtime(rt, ['delete', '-f', id]);
    if (r.exitCode === 0 || /not exist|does not exist|container .* not found/i.test(r.stderr)) return;
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** The zone's view, as `key=value` lines from a shell run in it with `exec`. */
const PROBE = [
  'echo marker=$(cat /etc/zone-marker)',
  'echo hostname=$(hostname)',
  'echo uidmap=$(echo $(cat /proc/self/uid_map))',
  'echo capeff=$(sed -n "s/^CapEff:[[:space:]]*//p" /proc/self/status)',
  'echo seccomp=$(sed -n "s/^Seccomp:[[:space:]]*//p" /proc/self/status)',
  'echo markerowner=$(stat -c %u:%g /etc/zone-marker)',
  'echo ipd=$(cat IPD/tool)',
  'echo ipdowner=$(stat -c %u IPD/tool)',
  'touch IPD/new 2>/dev/null; echo ipdwrite=$?',
  'echo shared=$(cat /shared/note)',
  'touch /shared/new 2>/dev/null; echo sharedwrite=$?',
  '(echo 1 > /proc/sys/kernel/printk) 2>/dev/null; echo procsys=$?',
  'echo timerlist=$(wc -c < /proc/timer_list)',
  'unshare -i true 2>/dev/null; echo newipc=$?',
  // the deny list answers a forced unmount with EACCES before the kernel looks at the path (ENOENT)
  'umount -f /nonexistent 2>&1 | grep -q "Permission denied"; echo forcedumount=$?',
  'echo setuid=$(stat -c %a /bin/zsu)',
].join('; ');

function probeScript(): string {
  return PROBE.replace(/IPD/g, ipd);
}

function parseProbe(out: string): Record<string, string> {
  return Object.fromEntries(out.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

/** The limits the runtime gave the container's init, read from its cgroups on the host (v1). */
function hostLimits(pid: number): { memory?: string; pids?: string } {
  const lines = readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n');
  const path = (ctl: string) => lines.map((l) => l.split(':')).find((f) => f[1]?.split(',').includes(ctl))?.[2];
  const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8').trim() : undefined);
  const mem = path('memory');
  const pids = path('pids');
  return {
    memory: mem === undefined ? undefined : read(`/sys/fs/cgroup/memory${mem}/memory.limit_in_bytes`),
    pids: pids === undefined ? undefined : read(`/sys/fs/cgroup/pids${pids}/pids.max`),
  };
}

const hostOsId = () => /^ID=(.*)$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1]?.replace(/"/g, '') ?? '';

const block = () => new IdmapStore(root).lookup(idmapKey(new ZoneStore(root).get(Z)!))!;

beforeAll(async () => {
  if (!canRun) return;
  mkdirSync(zones, { mode: 0o755 });
  mkdirSync(ipd);
  writeFileSync(join(ipd, 'tool'), 'from the host\n');
  mkdirSync(shared);
  writeFileSync(join(shared, 'note'), 'shared note\n');
  const bb = join(base, 'bb');
  const r0 = spawnSync('bash', [join(repo, 'fixtures/build-busybox-root.sh'), bb], { encoding: 'utf8' });
  expect([r0.status, r0.stderr]).toEqual([0, expect.any(String)]);
  const zp = join(zones, Z);
  const cfg = [
    'create -b', `set zonepath=${zp}`, `set limitpriv=${LIMITPRIV}`,
    'add inherit-pkg-dir', `set dir=${ipd}`, 'end',
    'add fs', 'set dir=/shared', `set special=${shared}`, 'set type=lofs', 'add options ro', 'end',
    'add capped-memory', 'set physical=256m', 'end',
    'set max-lwps=200', 'set max-msg-ids=64', 'commit',
  ].join('; ');
  const r1 = await zonecfg('-z', Z, cfg);
  expect([r1.exitCode, r1.stderr]).toEqual([0, '']);
  const r2 = await zoneadm('-z', Z, 'install', '-d', join(bb, 'root'));
  expect([r2.exitCode, r2.stderr]).toEqual([0, '']);
  const zr = join(zp, 'root');
  writeFileSync(join(zr, 'etc/zone-marker'), 'zone files\n');
  copyFileSync(join(zr, 'bin/busybox'), join(zr, 'bin/zsu'));
  chmodSync(join(zr, 'bin/zsu'), 0o4755);
  linkSync(join(zr, 'etc/zone-marker'), join(zr, 'etc/zone-marker.link'));
}, 60_000);

afterAll(async () => {
  for (const c of containers) await removeContainer(c.rt, c.id);
  rmSync(base, { recursive: true, force: true });
}, 60_000);

d('export -t oci-bundle', () => {
  test('writes config.json (valid for the runtime-spec schema) and a rootfs owned by the zone\'s id block', async () => {
    const r = await zoneadm('-z', Z, 'export', '-t', 'oci-bundle', bundle);
    expect([r.exitCode, r.stdout]).toEqual([0, '']);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    const config = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8'));
    expect(schemaValidator()(config)).toEqual([]);
    const map = block();
    expect(config.linux.uidMappings).toEqual([{ containerID: 0, hostID: map.uid, size: map.count }]);
    // only the zone's root (by its host gid) goes through the bundle directory: no other host user
    // reaches the rootfs's setuid files, which would give them the zone's ids on the host
    expect([statSync(bundle).mode & 0o777, statSync(bundle).uid, statSync(bundle).gid]).toEqual([0o710, 0, map.gid]);
    const nobody = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'test', '-x', join(bundle, 'rootfs/bin/zsu')]);
    expect(nobody.status).toBe(1);
    expect(spawnSync('test', ['-x', join(bundle, 'rootfs/bin/zsu')]).status).toBe(0);
    const marker = statSync(join(bundle, 'rootfs/etc/zone-marker'));
    expect([marker.uid, marker.gid]).toEqual([map.uid, map.gid]);
    expect(statSync(join(bundle, 'rootfs/etc/zone-marker.link')).ino).toBe(marker.ino);
    expect(statSync(join(bundle, 'rootfs/bin/zsu')).mode & 0o7777).toBe(0o4755);
    expect(statSync(join(bundle, 'rootfs')).uid).toBe(map.uid);
    // the zone's own files are untouched
    expect(statSync(join(zones, Z, 'root/etc/zone-marker')).uid).toBe(0);
    expect(readdirSync(base).filter((n) => n.includes('.partial-'))).toEqual([]);
  }, 60_000);

  test.each(['runc', 'crun'] as const)('%s runs the zone with its isolation', async (rt) => {
    const id = `${tag}-${rt}`;
    containers.push({ rt, id });
    const pidFile = join(base, `${id}.pid`);
    const log = join(base, `${id}.log`);
    const run = runDetached(rt, id, pidFile, log);
    expect([run.status, existsSync(pidFile) ? '' : run.log]).toEqual([0, '']);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    // the zone's /sbin/init runs as pid 1 of the container (busybox init), once the runtime has
    // started it: `run -d` returns when the process is created, its exec may still be under way
    const comm = () => readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    for (let i = 0; i < 100 && comm() !== 'init'; i++) await new Promise((res) => setTimeout(res, 50));
    expect(comm()).toBe('init');
    const ex = await runtime(rt, ['exec', id, '/bin/sh', '-c', probeScript()]);
    expect([ex.exitCode, ex.stderr]).toEqual([0, '']);
    const v = parseProbe(ex.stdout);
    const map = block();
    const priv = parseLimitpriv(LIMITPRIV, 'shared');
    if (!priv.ok) throw new Error('limitpriv');
    expect(v).toEqual({
      marker: 'zone files',
      hostname: Z,
      uidmap: `0 ${map.uid} ${map.count}`,
      capeff: capabilityMask(priv.capabilities).toString(16).padStart(16, '0'),
      seccomp: '2',
      markerowner: '0:0',
      ipd: 'from the host',
      // crun idmaps the inherit-pkg-dir as our boot does; runc 1.1 ignores the option (docs/scale.md)
      ipdowner: rt === 'crun' ? '0' : '65534',
      ipdwrite: '1',
      shared: 'shared note',
      sharedwrite: '1',
      procsys: '1',
      timerlist: '0',
      newipc: '1',
      forcedumount: '0',
      setuid: '4755',
    });
    expect(hostLimits(pid)).toEqual({ memory: String(256 * 1024 * 1024), pids: '200' });
    await removeContainer(rt, id);
  }, 60_000);

  test('a sparse zone (the default template) runs with the host\'s /usr, read-only, under both runtimes', async () => {
    const S = `${tag}s`;
    const zp = join(zones, S);
    const c = await zonecfg('-z', S, `create; set zonepath=${zp}; set bootargs="-i /usr/bin/sleep 600"; commit`);
    expect([c.exitCode, c.stderr]).toEqual([0, '']);
    mkdirSync(zp, { mode: 0o700 });
    expect((await zoneadm('-z', S, 'install')).exitCode).toBe(0);
    const out = join(base, 'sparse-bundle');
    const ex = await zoneadm('-z', S, 'export', '-t', 'oci-bundle', out);
    expect([ex.exitCode, ex.stderr]).toEqual([0, '']);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config.process.args).toEqual(['/usr/bin/sleep', '600']);
    // the rootfs is the zone's own files only: /usr comes from the host at run time
    expect(readdirSync(join(out, 'rootfs/usr'))).toEqual([]);
    for (const rt of ['runc', 'crun'] as const) {
      const id = `${tag}-s${rt}`;
      containers.push({ rt, id });
      const pidFile = join(base, `${id}.pid`);
      const run = runDetached(rt, id, pidFile, join(base, `${id}.log`), out);
      expect([rt, run.status, existsSync(pidFile) ? '' : run.log]).toEqual([rt, 0, '']);
      const probe = 'stat -c %u /usr/bin/sudo; touch /usr/zone-was-here 2>/dev/null; echo $?; . /etc/os-release; echo $ID';
      const r = await runtime(rt, ['exec', id, '/bin/sh', '-c', probe]);
      const owner = rt === 'crun' ? '0' : '65534';
      expect([rt, r.exitCode, r.stdout.split('\n')]).toEqual([rt, 0, [owner, '1', hostOsId()]]);
      await removeContainer(rt, id);
    }
    expect(existsSync('/usr/zone-was-here')).toBe(false);
  }, 60_000);

  test('refusals: a non-empty target, a target others can change, no type, an unknown type, a zone without an init of its own', async () => {
    const again = await zoneadm('-z', Z, 'export', '-t', 'oci-bundle', bundle);
    expect([again.exitCode, again.stderr]).toEqual([1, `zoneadm: zone '${Z}': ${bundle}: directory exists and is not empty`]);
    const inside = await zoneadm('-z', Z, 'export', '-t', 'oci-bundle', join(zones, Z, 'root/tmp/b'));
    expect([inside.exitCode, inside.stderr]).toEqual([1, `zoneadm: zone '${Z}': ${join(zones, Z, 'root/tmp/b')}: the bundle cannot be written inside ${join(zones, Z)}, which it holds`]);
    // where a zone, or a host user, could turn the path the export writes to into a link elsewhere
    const inShare = await zoneadm('-z', Z, 'export', '-t', 'oci-bundle', join(shared, 'b'));
    expect([inShare.exitCode, inShare.stderr]).toEqual([1, `zoneadm: zone '${Z}': ${join(shared, 'b')}: the bundle cannot be written inside ${shared}, which a zone can change`]);
    const userDir = join(base, 'user');
    mkdirSync(userDir);
    chownSync(userDir, 65534, 65534);
    const below = await zoneadm('-z', Z, 'export', '-t', 'oci-bundle', join(userDir, 'b'));
    expect([below.exitCode, below.stderr]).toEqual([1, `zoneadm: zone '${Z}': ${join(userDir, 'b')}: the bundle cannot be written below ${userDir}, which users other than root can change`]);
    expect(readdirSync(userDir)).toEqual([]);
    const none = await zoneadm('-z', Z, 'export', join(base, 'b2'));
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toMatch(new RegExp(`^zoneadm: zone '${Z}': an export type must be given with -t\nusage:`));
    const bad = await zoneadm('-z', Z, 'export', '-t', 'tarball', join(base, 'b2'));
    expect([bad.exitCode, bad.stderr.split('\n')[0]]).toEqual([2, `zoneadm: zone '${Z}': unknown export type 'tarball': one of oci-bundle, oci-image, kube`]);
    const noinit = await zonecfg('-z', Z, 'set bootargs="-i /sbin/nosuch"; commit');
    expect(noinit.exitCode).toBe(0);
    const ni = await zoneadm('-z', Z, 'export', '-t', 'oci-bundle', join(base, 'b2'));
    expect([ni.exitCode, ni.stderr]).toEqual([
      1,
      `zoneadm: zone '${Z}': the zone has no executable /sbin/nosuch; another runtime needs an init of the zone's own: set bootargs to '-i PATH'.`,
    ]);
    expect((await zonecfg('-z', Z, 'clear bootargs; commit')).exitCode).toBe(0);
    // a running zone is refused by the state table (core/test/zoneadm/sanity.test.ts)
    expect(existsSync(join(base, 'b2'))).toBe(false);
  }, 60_000);
});
