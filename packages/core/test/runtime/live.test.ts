/**
 * `zonecfg -z NAME -r` for real (root only): zones booted on this host under a temporary
 * ZONES_ROOT, the zonecfg and zlogin bins run as child processes, the cgroups, the zone's mount
 * table and its network namespace read back. Network cases run inside a network namespace of the
 * test's own, on a bridge it names after its pid, with no address and no physical port (as
 * network.test.ts). Every zone is halted in afterAll, also on failure.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZoneStore } from '../../src/store/zone-store.js';
import { defaultTemplate } from '../../src/store/templates.js';
import type { Resource } from '../../src/model/types.js';
import { bootZone, haltZone, zoneCgroupFor, zoneadmdPath } from '../../src/runtime/index.js';
import { traceLines } from '../faults/trace.js';
import { prepareSparseRoot } from './sparse-root.js';
import { remountHostCgroups } from './host-cgroups.js';

const canRun = process.getuid?.() === 0 && existsSync(zoneadmdPath()) && spawnSync('ip', ['-V']).status === 0;
const d = canRun ? describe : describe.skip;
if (!canRun) console.warn('live reconfiguration tests skipped: need root, iproute2 and the native helpers (npm run build:native)');

const here = fileURLToPath(new URL('.', import.meta.url));
const ZONECFG = resolve(here, '../../../zonecfg/bin/run.js');
const ZONEADM = resolve(here, '../../../zoneadm/bin/run.js');
const ZLOGIN = resolve(here, '../../../zlogin/bin/run.js');
const base = mkdtempSync(join(tmpdir(), 'zones-live-'));
const root = join(base, 'zr');
const store = new ZoneStore(root);
const opts = { root };
const tag = `lv${process.pid % 100000}`;
const BRIDGE = `zlb${process.pid % 100000}`;
const NETNS = `zones-live-${process.pid}`;
const made: string[] = [];
let netnsMade = false;
const env = { ...process.env, ZONES_ROOT: root };

function makeZone(suffix: string, globals: Record<string, string> = {}, resources: Resource[] = []): string {
  const name = `${tag}${suffix}`;
  const cfg = defaultTemplate(name);
  cfg.globals.zonepath = join(base, 'zones', name);
  Object.assign(cfg.globals, globals);
  cfg.resources.push(...resources);
  store.save(cfg);
  prepareSparseRoot(cfg.globals.zonepath);
  store.setState(name, 'installed');
  made.push(name);
  return name;
}

const run = (bin: string, args: string[]) => {
  const r = spawnSync('node', [bin, ...args], { env, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};
const zonecfg = (...args: string[]) => run(ZONECFG, args);
/** zlogin runs its arguments as one command line through the zone's shell, as on Solaris. */
const zlogin = (zone: string, script: string) => run(ZLOGIN, [zone, script]);

/** A cgroup file of the zone, from whichever of its hierarchies has it. */
function cgroupFile(zone: string, file: string): string {
  const dir = zoneCgroupFor(zone, opts).paths.find((p) => existsSync(join(p, file)));
  if (!dir) throw new Error(`no ${file} in the cgroups of ${zone}`);
  return readFileSync(join(dir, file), 'utf8').trim();
}
const cpuCap = (zone: string) =>
  existsSync(join(zoneCgroupFor(zone, opts).paths.find((p) => existsSync(join(p, 'cpu.max'))) ?? '/nonexistent', 'cpu.max'))
    ? cgroupFile(zone, 'cpu.max').split(' ')[0]
    : cgroupFile(zone, 'cpu.cfs_quota_us');

const initPid = (zone: string) => Number(readFileSync(join(root, 'var/run/zones', zone, 'init.pid'), 'utf8'));
const zoneMounts = (zone: string) =>
  readFileSync(`/proc/${initPid(zone)}/mountinfo`, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(' '))
    .map((f) => ({ point: f[4]!, opts: f[5]!, fstype: f[f.indexOf('-') + 1]!, super: f[f.indexOf('-') + 3] ?? '' }));

beforeAll(() => {
  mkdirSync(join(base, 'zones'), { recursive: true, mode: 0o755 });
});

afterAll(async () => {
  for (const name of made) {
    if (netnsMade) inNetns(ZONEADM, ['-z', name, 'halt']);
    await haltZone(name, opts).catch(() => undefined);
  }
  if (netnsMade) spawnSync('ip', ['netns', 'del', NETNS]);
  rmSync(base, { recursive: true, force: true });
}, 60_000);

d('zonecfg -r: resource controls, fs and refusals', () => {
  let z: string;
  let idle: string;
  beforeAll(async () => {
    z = makeZone('a', {}, [{ type: 'fs', props: { dir: '/mnt/boot', special: 'swap', type: 'tmpfs', options: [] } }]);
    idle = makeZone('b');
    await bootZone(z, { ...opts, bootargs: ['-i', 'zsched'] });
  }, 30_000);

  test('a zone that is not running has no live configuration: refused, exit 1, one line', () => {
    const r = zonecfg('-z', idle, '-r', 'info');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`${idle}: Zone ${idle} is not running; -r edits the live configuration of a running zone (without -r, changes take effect at the next boot)\n`);
    expect(traceLines(r.stderr)).toEqual([]);
    expect(zonecfg('-z', `${tag}nosuch`, '-r', 'info')).toMatchObject({ status: 1, stderr: `${tag}nosuch: No such zone configured\n` });
  });

  test("-r changes the running zone's cpu cap and max-lwps; the cgroup shows it, and the stored configuration has it", () => {
    expect(cgroupFile(z, 'pids.max')).toBe('max');
    const r = zonecfg('-z', z, '-r', 'add capped-cpu; set ncpus=0.5; end; set max-lwps=300');
    expect(r).toMatchObject({ status: 0, stderr: '' });
    expect(cgroupFile(z, 'pids.max')).toBe('300');
    expect(cpuCap(z)).toBe('50000');
    // Saved as well (the issue: commit applies and saves), and the live configuration shows it.
    expect(zonecfg('-z', z, 'info', 'max-lwps').stdout).toBe('[max-lwps: 300]\n');
    expect(zonecfg('-z', z, '-r', 'info', 'capped-cpu').stdout).toBe('capped-cpu:\n\t[ncpus: 0.50]\n');
  });

  test('a change Linux cannot make in a running zone is refused and nothing of the commit is applied', () => {
    const r = zonecfg('-z', z, '-r', 'set limitpriv=default,sys_time; set max-lwps=400');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      [
        `${z}: limitpriv cannot be changed in a running zone; it takes effect at the next boot`,
        `${z}: nothing was changed in the running zone`,
        'Configuration not saved.',
        '',
      ].join('\n'),
    );
    expect(cgroupFile(z, 'pids.max')).toBe('300');
    const saved = store.load(z)!;
    expect(saved.globals.limitpriv).toBe('');
    expect(zonecfg('-z', z, 'info', 'max-lwps').stdout).toBe('[max-lwps: 300]\n');
  });

  test('a step that fails midway undoes what was applied before it, and the commit saves nothing', () => {
    const r = zonecfg('-z', z, '-r', 'set max-lwps=350; add fs; set dir=/mnt/bad; set special=swap; set type=tmpfs; set options=["nosuchoption=1"]; end');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^${z}: add fs /mnt/bad: .*; what had been applied was undone\nConfiguration not saved.\n$`));
    expect(traceLines(r.stderr)).toEqual([]);
    expect(cgroupFile(z, 'pids.max')).toBe('300');
    expect(zoneMounts(z).some((x) => x.point === '/mnt/bad')).toBe(false);
    expect(zonecfg('-z', z, 'info', 'max-lwps').stdout).toBe('[max-lwps: 300]\n');
    expect(zonecfg('-z', z, '-r', 'info', 'max-lwps').stdout).toBe('[max-lwps: 300]\n');
  });

  test('a commit over a running configuration another commit changed meanwhile is refused', async () => {
    const { liveRecord, applyLiveChange } = await import('../../src/runtime/live-apply.js');
    const seen = liveRecord(z, opts).config;
    expect(zonecfg('-z', z, '-r', 'set max-lwps=310')).toMatchObject({ status: 0 });
    await expect(applyLiveChange(z, seen, seen, opts)).rejects.toMatchObject({ code: 'Z_LIVE_CHANGED' });
    expect(cgroupFile(z, 'pids.max')).toBe('310');
    expect(zonecfg('-z', z, '-r', 'set max-lwps=300')).toMatchObject({ status: 0 });
  });

  test("a commit waits for the zone's operation lock (a boot, a halt, another commit), then gives up: nothing applied", async () => {
    const { acquireLock } = await import('../../src/store/lock.js');
    const { opLockPath } = await import('../../src/zoneadm/paths.js');
    const release = acquireLock(opLockPath(z, root));
    try {
      const r = zonecfg('-z', z, '-r', 'set max-lwps=333');
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`${z}: another zoneadm may have an operation in progress.\nConfiguration not saved.\n`);
    } finally {
      release();
    }
    expect(cgroupFile(z, 'pids.max')).toBe('300');
  });

  test('after zoneadm apply (recordAppliedControls), -r starts from the controls the zone now has', async () => {
    const { recordAppliedControls } = await import('../../src/runtime/live-apply.js');
    const { setAlias } = await import('../../src/model/rctl.js');
    const applied = store.load(z)!;
    setAlias(applied, 'max-lwps', '320');
    recordAppliedControls(z, applied, opts);
    expect(zonecfg('-z', z, '-r', 'info', 'max-lwps').stdout).toBe('[max-lwps: 320]\n');
    expect(zonecfg('-z', z, '-r', 'set max-lwps=300')).toMatchObject({ status: 0 });
  });

  test('a damaged record of the running configuration: the stored one stands in for it', () => {
    const path = join(root, 'var/run/zones', z, 'live.json');
    const kept = readFileSync(path, 'utf8');
    writeFileSync(path, '{"config": 1');
    try {
      const r = zonecfg('-z', z, '-r', 'info', 'max-lwps');
      expect(r).toMatchObject({ status: 0, stdout: '[max-lwps: 300]\n', stderr: '' });
    } finally {
      writeFileSync(path, kept);
    }
  });

  test('a tmpfs added live shows in the zone, its size holds against the zone root, and removing it takes it away', () => {
    const add = zonecfg('-z', z, '-r', 'add fs; set dir=/mnt/live; set special=swap; set type=tmpfs; set options=["size=1m",nodevices]; end');
    expect(add).toMatchObject({ status: 0, stderr: '' });
    const m = zoneMounts(z).find((x) => x.point === '/mnt/live');
    expect(m).toMatchObject({ fstype: 'tmpfs' });
    expect(m!.opts.split(',')).toContain('nodev');
    expect(m!.super).toMatch(/size=1024k/);
    // The zone's root owns it (idmapped), can use it, and cannot grow it or make a device in it.
    const w = zlogin(z, 'echo hi > /mnt/live/f && ls -n /mnt/live/f');
    expect(w.status).toBe(0);
    expect(w.stdout).toMatch(/^-\S+ +\d+ +0 +0 /);
    // Its size is the superblock's, which belongs to the host's user namespace (the kernel says EPERM).
    const grow = zlogin(z, 'mount -o remount,size=100m /mnt/live 2>/dev/null; echo rc=$?; grep " /mnt/live " /proc/self/mountinfo');
    expect(grow.stdout).not.toContain('rc=0');
    expect(grow.stdout).toMatch(/size=1024k/);
    const dev = zlogin(z, 'mount -o remount,bind,dev /mnt/live; mknod /mnt/live/null c 1 3 2>&1 && echo made');
    expect(dev.stdout).toMatch(/not permitted/i);
    expect(dev.stdout).not.toContain('made');
    expect(existsSync(join(base, 'zones', z, 'root/mnt/live/f'))).toBe(false); // in the tmpfs, not the zone root
    expect(store.load(z)!.resources.some((r) => r.type === 'fs' && r.props.dir === '/mnt/live')).toBe(true);

    const rm = zonecfg('-z', z, '-r', 'remove fs dir=/mnt/live');
    expect(rm).toMatchObject({ status: 0, stderr: '' });
    expect(zoneMounts(z).some((x) => x.point === '/mnt/live')).toBe(false);
    expect(store.load(z)!.resources.some((r) => r.type === 'fs' && r.props.dir === '/mnt/live')).toBe(false);
  });

  test("an fs the zone's root unmounted itself is removed without complaint", () => {
    expect(zonecfg('-z', z, '-r', 'add fs; set dir=/mnt/gone; set special=swap; set type=tmpfs; end')).toMatchObject({ status: 0, stderr: '' });
    expect(zlogin(z, 'umount /mnt/gone && echo done').stdout).toBe('done\n');
    expect(zonecfg('-z', z, '-r', 'remove fs dir=/mnt/gone')).toMatchObject({ status: 0, stderr: '' });
    expect(zonecfg('-z', z, '-r', 'info', 'fs', 'dir=/mnt/gone').stdout).toBe('No such fs resource.\n');
  });

  test('a net that cannot be set up is refused before anything is applied', () => {
    const r = zonecfg('-z', z, '-r', `set max-lwps=390; add net; set physical=zln${process.pid % 100000}; set address=192.0.2.50/24; end`);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${z}: net zln${process.pid % 100000}: no such interface\n${z}: nothing was changed in the running zone\n`);
    expect(cgroupFile(z, 'pids.max')).toBe('300');
  });

  test('an fs whose safety rests on a flag the zone could clear (a read-only lofs) waits for the next boot; a boot fs cannot be removed', () => {
    const shared = join(base, 'hostdir');
    mkdirSync(shared, { recursive: true });
    const ro = zonecfg('-z', z, '-r', `add fs; set dir=/mnt/ro; set special=${shared}; set type=lofs; set options=ro; end`);
    expect(ro.status).toBe(1);
    expect(ro.stderr).toContain(`${z}: fs /mnt/ro: the zone's root could undo its options (ro) in a running zone; it takes effect at the next boot`);
    expect(zoneMounts(z).some((x) => x.point === '/mnt/ro')).toBe(false);
    const boot = zonecfg('-z', z, '-r', 'remove fs dir=/mnt/boot');
    expect(boot.status).toBe(1);
    expect(boot.stderr).toContain('fs /mnt/boot was mounted when the zone booted');
    expect(zoneMounts(z).some((x) => x.point === '/mnt/boot')).toBe(true);
  });

  test("a lofs whose special's host mount has a flag, or has mounts below it, waits for the next boot", () => {
    // The host mounts exist only in a private mount namespace zonecfg (and its zenter) runs in.
    const dir = join(base, 'lofs-src');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    mkdirSync(join(base, 'lofs-ro'), { recursive: true });
    const script = [
      `mount --bind ${dir} ${join(base, 'lofs-ro')}`,
      `mount -o remount,bind,ro ${join(base, 'lofs-ro')}`,
      `mount -t tmpfs none ${join(dir, 'sub')}`,
      'exec node "$@"',
    ].join(' && ');
    const inPrivateNs = (...args: string[]) => spawnSync('unshare', ['-m', 'sh', '-c', script, 'sh', ZONECFG, ...args], { env, encoding: 'utf8', timeout: 30_000 });
    const ro = inPrivateNs('-z', z, '-r', `add fs; set dir=/mnt/rov; set special=${join(base, 'lofs-ro')}; set type=lofs; set options=nosub; end`);
    expect(ro.status).toBe(1);
    expect(ro.stderr).toContain(`fs /mnt/rov: ${join(base, 'lofs-ro')} is on a ro mount of the host, which the zone's root could undo in a running zone; it takes effect at the next boot`);
    const rec = inPrivateNs('-z', z, '-r', `add fs; set dir=/mnt/rec; set special=${dir}; set type=lofs; end`);
    expect(rec.status).toBe(1);
    expect(rec.stderr).toContain(`fs /mnt/rec: ${dir} has mounts below it`);
    expect(zoneMounts(z).some((x) => x.point === '/mnt/rov' || x.point === '/mnt/rec')).toBe(false);
  });

  test("a writable lofs added live is the host directory, written with the zone's own host ids", () => {
    const shared = join(base, 'rwdir');
    mkdirSync(shared, { recursive: true, mode: 0o777 });
    chmodSync(shared, 0o777);
    const add = zonecfg('-z', z, '-r', `add fs; set dir=/mnt/rw; set special=${shared}; set type=lofs; set options=nosub; end`);
    expect(add).toMatchObject({ status: 0, stderr: '' });
    expect(zoneMounts(z).some((x) => x.point === '/mnt/rw')).toBe(true);
    // Not idmapped (as at boot): what the zone's root writes belongs to its own host ids.
    const w = zlogin(z, 'echo x > /mnt/rw/f');
    expect(w.status).toBe(0);
    expect(readFileSync(join(shared, 'f'), 'utf8')).toBe('x\n');
    expect(statSync(join(shared, 'f')).uid).not.toBe(0);
    expect(zonecfg('-z', z, '-r', 'remove fs dir=/mnt/rw').status).toBe(0);
    expect(zoneMounts(z).some((x) => x.point === '/mnt/rw')).toBe(false);
  });
});

function inNetns(bin: string, args: string[]) {
  const cmd = `${remountHostCgroups()}exec node "$@"`;
  const r = spawnSync('ip', ['netns', 'exec', NETNS, 'sh', '-c', cmd, 'sh', bin, ...args], { env, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const inZoneNet = (zone: string, ...cmd: string[]) =>
  spawnSync('nsenter', ['-t', String(initPid(zone)), '-n', '--', ...cmd], { encoding: 'utf8', timeout: 10_000 });

d('zonecfg -r: an exclusive-IP net added and removed live', () => {
  let x: string;
  let y: string;
  beforeAll(() => {
    execFileSync('ip', ['netns', 'add', NETNS]);
    netnsMade = true;
    x = makeZone('x', { 'ip-type': 'exclusive' }, [{ type: 'net', props: { physical: BRIDGE, 'allowed-address': '192.0.2.1/24' } }]);
    y = makeZone('y', { 'ip-type': 'exclusive' });
    for (const zone of [x, y]) expect(inNetns(ZONEADM, ['-z', zone, 'boot', '--', '-i', 'zsched'])).toMatchObject({ status: 0 });
  }, 30_000);

  test('the new interface joins the bridge and reaches the other zone; removing it takes it away', () => {
    expect(inZoneNet(y, 'ip', '-o', 'link').stdout).not.toContain('eth0');
    const add = inNetns(ZONECFG, ['-z', y, '-r', `add net; set physical=${BRIDGE}; set allowed-address=192.0.2.2/24; end`]);
    expect(add).toMatchObject({ status: 0, stderr: '' });
    expect(inZoneNet(y, 'ip', '-o', 'addr', 'show', 'dev', 'eth0').stdout).toContain('192.0.2.2/24');
    expect(inZoneNet(y, 'ping', '-c', '1', '-W', '2', '192.0.2.1').status).toBe(0);
    const ports = execFileSync('ip', ['-n', NETNS, '-o', 'link', 'show', 'master', BRIDGE], { encoding: 'utf8' }).trim().split('\n');
    expect(ports).toHaveLength(2);

    const rm = inNetns(ZONECFG, ['-z', y, '-r', `remove net physical=${BRIDGE}`]);
    expect(rm).toMatchObject({ status: 0, stderr: '' });
    expect(inZoneNet(y, 'ip', '-o', 'link').stdout).not.toContain('eth0');
    expect(execFileSync('ip', ['-n', NETNS, '-o', 'link', 'show', 'master', BRIDGE], { encoding: 'utf8' }).trim().split('\n')).toHaveLength(1);
    expect(store.load(y)!.resources.some((r) => r.type === 'net')).toBe(false);
  });

  test('shared-IP: the address is added to the interface and removed with the net, or with the halt', () => {
    const s = makeZone('s');
    expect(inNetns(ZONEADM, ['-z', s, 'boot', '--', '-i', 'zsched'])).toMatchObject({ status: 0 });
    const addrs = () => execFileSync('ip', ['-n', NETNS, '-o', 'addr', 'show', 'dev', BRIDGE], { encoding: 'utf8' });
    const add = inNetns(ZONECFG, ['-z', s, '-r', `add net; set physical=${BRIDGE}; set address=198.51.100.7/24; end`]);
    expect(add).toMatchObject({ status: 0, stderr: '' });
    expect(addrs()).toMatch(new RegExp(`198\\.51\\.100\\.7/24 .*${BRIDGE}:\\d+`));
    expect(inNetns(ZONECFG, ['-z', s, '-r', `remove net physical=${BRIDGE}`])).toMatchObject({ status: 0, stderr: '' });
    expect(addrs()).not.toContain('198.51.100.7');
    // Added live, then the zone halts: the halt takes the address away too.
    expect(inNetns(ZONECFG, ['-z', s, '-r', `add net; set physical=${BRIDGE}; set address=198.51.100.8/24; end`])).toMatchObject({ status: 0 });
    expect(addrs()).toContain('198.51.100.8/24');
    expect(inNetns(ZONEADM, ['-z', s, 'halt'])).toMatchObject({ status: 0 });
    expect(addrs()).not.toContain('198.51.100.8');
  });
});
