/**
 * Resource controls that hold, for real on this host (cgroup v1): zones booted with core's bootZone
 * under a temporary ZONES_ROOT, driven through the real zlogin and zoneadm bins, attacked from
 * inside by their root (docs/resource-controls.md, docs/security.md). Every zone is halted in
 * afterAll, also on failure; CPU shares and caps are measured with the kernel's cpuacct counters
 * and tolerances that hold on a busy 2-CPU machine.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZoneStore } from '../../src/store/zone-store.js';
import { defaultTemplate } from '../../src/store/templates.js';
import type { Resource, ZoneConfig } from '../../src/model/types.js';
import { detectCgroupVersion } from '../../src/platform/cgroups/index.js';
import { processAlive } from '../../src/platform/proc.js';
import { bootZone, haltZone, zoneCgroupFor, zoneadmdPath } from '../../src/runtime/index.js';
import { prepareSparseRoot } from './sparse-root.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const ZLOGIN = join(REPO, 'packages/zlogin/bin/run.js');
const ZONEADM = join(REPO, 'packages/zoneadm/bin/run.js');
const hostCpus = readFileSync('/sys/fs/cgroup/cpuset/cpuset.cpus', 'utf8').trim();
const canRun =
  process.getuid?.() === 0 && existsSync(zoneadmdPath()) && detectCgroupVersion() === 1 && existsSync('/usr/bin/perl') && hostCpus === '0-1';
const d = canRun ? describe : describe.skip;
if (!canRun) console.warn('limits tests skipped: need root, the native helpers, cgroup v1, perl and a 2-CPU host');

const base = mkdtempSync(join(tmpdir(), 'zones-lim-'));
const root = join(base, 'zr');
const zones = join(base, 'zones');
const store = new ZoneStore(root);
const opts = { root };
const booted: string[] = [];
const tag = `lm${process.pid % 100000}`;
const MIN = ['-i', 'zsched'];

const rctl = (name: string, limit: number | string, action = 'deny'): Resource => ({
  type: 'rctl',
  props: { name, value: [{ priv: 'privileged', limit: String(limit), action }] },
});

function configure(suffix: string, resources: Resource[], globals: Partial<ZoneConfig['globals']> = {}): string {
  const name = `${tag}${suffix}`;
  const cfg = defaultTemplate(name);
  cfg.globals.zonepath = join(zones, name);
  Object.assign(cfg.globals, globals);
  cfg.resources.push(...resources);
  store.save(cfg);
  if (!existsSync(cfg.globals.zonepath)) prepareSparseRoot(cfg.globals.zonepath);
  store.setState(name, 'installed');
  return name;
}

async function boot(name: string): Promise<{ initPid: number; warnings: string[] }> {
  booted.push(name);
  return bootZone(name, { ...opts, bootargs: MIN });
}

function zlogin(name: string, cmd: string, timeout = 20_000) {
  const t0 = performance.now();
  const r = spawnSync('node', [ZLOGIN, name, cmd], { encoding: 'utf8', env: { ...process.env, ZONES_ROOT: root }, timeout });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - t0 };
}

function zonecfg(...args: string[]) {
  const r = spawnSync('node', [join(REPO, 'packages/zonecfg/bin/run.js'), ...args], { encoding: 'utf8', env: { ...process.env, ZONES_ROOT: root }, timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function zoneadm(...args: string[]) {
  const r = spawnSync('node', [ZONEADM, ...args], { encoding: 'utf8', env: { ...process.env, ZONES_ROOT: root }, timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A file of the zone's own cgroup level in one v1 hierarchy. */
function cgFile(name: string, hierarchy: string, file: string): string {
  const dir = zoneCgroupFor(name, opts).paths.find((p) => p.split('/')[4] === hierarchy)!;
  return readFileSync(join(dir, file), 'utf8').trim();
}

const cpuUsageNs = (name: string) => Number(cgFile(name, 'cpuacct', 'cpuacct.usage'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU time (ns) each zone used over `ms` of wall time, from its cpuacct counter. */
async function usageOver(names: string[], ms: number): Promise<number[]> {
  const before = names.map(cpuUsageNs);
  await sleep(ms);
  return names.map((n, i) => cpuUsageNs(n) - before[i]!);
}

/** Starts a busy loop in the zone, detached (zlogin returns at once); `cpu` pins it. */
function spin(name: string, cpu?: number): void {
  const loop = `${cpu === undefined ? '' : `taskset -c ${cpu} `}perl -e '1 while 1'`;
  const r = zlogin(name, `setsid ${loop} </dev/null >/dev/null 2>&1 &`);
  expect(r.status).toBe(0);
}

function stopSpinning(name: string): void {
  zlogin(name, "pkill -x perl; true");
}

beforeAll(() => {
  mkdirSync(zones, { recursive: true, mode: 0o755 });
});

afterAll(async () => {
  for (const name of booted) await haltZone(name, opts).catch(() => undefined);
  rmSync(base, { recursive: true, force: true });
}, 60_000);

d('resource controls on cgroup v1, for real', () => {
  let general = '';
  let generalInit = 0;

  test('a zone boots with every control in place, written where the kernel reads it', async () => {
    general = configure('g', [
      { type: 'capped-memory', props: { physical: String(64 * 2 ** 20) } },
      rctl('zone.cpu-cap', 50),
      rctl('zone.max-shm-ids', 8),
      // an explicit rctl of a zone.* name, not the capped-memory alias: the same limit
      rctl('zone.max-locked-memory', 2 ** 20),
      { type: 'fs', props: { dir: '/tmp', special: 'swap', type: 'tmpfs', options: ['size=1m'] } },
    ]);
    const z = await boot(general);
    generalInit = z.initPid;
    expect(cgFile(general, 'memory', 'memory.limit_in_bytes')).toBe(String(64 * 2 ** 20));
    expect(cgFile(general, 'cpu', 'cpu.cfs_quota_us')).toBe('50000');
    expect(readFileSync(`/proc/${z.initPid}/limits`, 'utf8')).toMatch(/^Max locked memory\s+1048576\s+1048576 /m);
  });

  test('a fork bomb stays within max-lwps while the host and another zone still answer', async () => {
    const bomb = configure('b', [rctl('zone.max-lwps', 300)]);
    await boot(bomb);
    try {
      const r = zlogin(bomb, "setsid perl -e 'fork while 1' </dev/null >/dev/null 2>&1 &");
      expect(r.status).toBe(0);
      let most = 0;
      const until = Date.now() + 1500;
      while (Date.now() < until) {
        most = Math.max(most, Number(cgFile(bomb, 'pids', 'pids.current')));
        await sleep(50);
      }
      // the forks the limit refused (counted where they failed: the payload, on this kernel)
      const refusals = ['pids.events', 'payload/pids.events'].map((f) => Number(/max (\d+)/.exec(cgFile(bomb, 'pids', f))?.[1] ?? 0));
      expect(Math.max(...refusals)).toBeGreaterThan(0);
      expect(most).toBeGreaterThan(200);
      expect(most).toBeLessThanOrEqual(300);
      // The best of two: on this shared 2-CPU host other helpers' builds add a second now and then.
      const tries = [zlogin(general, 'true'), zlogin(general, 'true')];
      const other = tries.reduce((a, b) => (b.ms < a.ms ? b : a));
      expect(tries.map((t) => t.status)).toEqual([0, 0]);
      expect(other.ms).toBeLessThan(2000);
      const t0 = performance.now();
      expect(spawnSync('true').status).toBe(0);
      expect(performance.now() - t0).toBeLessThan(2000);
      const bombed = zlogin(bomb, 'true');
      console.log(`fork bomb: at most ${most} tasks; zlogin into the other zone ${other.ms.toFixed(0)} ms, into the bombed one: status ${bombed.status}`);
    } finally {
      // the bomb ends with its zone, also when an expectation failed: nothing else may compete with it
      await haltZone(bomb, opts);
    }
    expect(zoneCgroupFor(bomb, opts).anyExists()).toBe(false);
  });

  test('a memory hog is OOM-killed inside its zone, nothing outside is', () => {
    const r = zlogin(general, `perl -e '$x = "a" x (256 * 1024 * 1024); print "survived\\n"'`);
    expect(r.stdout).not.toContain('survived');
    expect(r.status).toBe(137);
    const kills = ['memory.oom_control', 'payload/memory.oom_control'].map((f) => Number(/^oom_kill (\d+)/m.exec(cgFile(general, 'memory', f))?.[1] ?? 0));
    expect(Math.max(...kills)).toBeGreaterThan(0);
    expect(processAlive(generalInit)).toBe(true);
    expect(zlogin(general, 'echo alive').stdout).toBe('alive\n');
  });

  test('a tmpfs /tmp declared with size= stops at its size', () => {
    const r = zlogin(general, 'head -c 3000000 /dev/zero > /tmp/fill; echo status=$?; df -k /tmp | tail -1');
    expect(r.stderr).toMatch(/No space left on device/);
    expect(r.stdout).toMatch(/status=1/);
  });

  test('capped-cpu 0.5 holds a busy loop near half a CPU', async () => {
    spin(general);
    try {
      await sleep(300);
      const [used] = await usageOver([general], 2000);
      const share = used! / 2e9;
      console.log(`capped-cpu 0.5: ${(share * 100).toFixed(0)} % of a CPU`);
      expect(share).toBeLessThan(0.6);
      expect(share).toBeGreaterThan(0.3);
    } finally {
      stopSpinning(general);
    }
  });

  test('max-shm-ids is the sysctl of the zone\'s IPC namespace: one segment more fails', () => {
    const r = zlogin(general, 'cat /proc/sys/kernel/shmmni; for i in 1 2 3 4 5 6 7 8; do ipcmk -M 4096 >/dev/null || echo fail $i; done; ipcmk -M 4096 || echo ninth refused');
    expect(r.stdout).toBe('8\nninth refused\n');
    // the host's own namespace is untouched
    expect(readFileSync('/proc/sys/kernel/shmmni', 'utf8').trim()).not.toBe('8');
  });

  test('locked memory: ulimit -l in zlogin is the zone\'s, and zone root cannot raise it', () => {
    const r = zlogin(general, 'ulimit -l; ulimit -H -l; (ulimit -l 4096) 2>/dev/null && echo raised || echo refused');
    expect(r.stdout).toBe('1024\n1024\nrefused\n');
  });

  test('zone root cannot undo its limits from inside', () => {
    const probes = [
      // its cgroup limits (the zone's /sys/fs/cgroup is rooted at its payload, the limits are above it)
      'echo max > /sys/fs/cgroup/pids/pids.max',
      'echo -1 > /sys/fs/cgroup/memory/memory.limit_in_bytes',
      'echo -1 > /sys/fs/cgroup/cpu/cpu.cfs_quota_us',
      'echo 1000 > ../../../sys/fs/cgroup/pids/../pids/pids.max',
      // the IPC sysctls of its own namespace
      'echo 32768 > /proc/sys/kernel/shmmni',
      'echo 100 > /proc/sys/user/max_ipc_namespaces',
      // RLIMIT_MEMLOCK
      'prlimit --pid $$ --memlock=unlimited:unlimited',
      // a fresh IPC namespace, directly or through a nested user namespace
      'unshare -i true',
      'unshare -U -r -i true',
    ];
    for (const p of probes) {
      const r = zlogin(general, `${p} 2>/dev/null && echo ESCAPED || echo refused`);
      expect(`${p}: ${r.stdout.trim()}`).toBe(`${p}: refused`);
    }
    expect(zlogin(general, 'cat /proc/sys/kernel/shmmni').stdout).toBe('8\n');
  });

  test('zoneadm apply changes a running zone\'s controls; a zone that is not running is refused', () => {
    const cfg = store.load(general)!;
    cfg.resources = cfg.resources.filter((r) => !(r.type === 'rctl' && ['zone.cpu-cap', 'zone.max-shm-ids', 'zone.max-locked-memory'].includes(String(r.props.name))));
    // lowered: raising a running process's hard limit needs CAP_SYS_RESOURCE, which this host's root may lack
    cfg.resources.push(rctl('zone.cpu-cap', 150), rctl('zone.max-shm-ids', 16), rctl('zone.max-locked-memory', 512 * 1024));
    store.save(cfg);
    const r = zoneadm('-z', general, 'apply');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(cgFile(general, 'cpu', 'cpu.cfs_quota_us')).toBe('150000');
    expect(zlogin(general, 'cat /proc/sys/kernel/shmmni; ulimit -l').stdout).toBe('16\n512\n');
    expect(readFileSync(`/proc/${generalInit}/limits`, 'utf8')).toMatch(/^Max locked memory\s+524288\s+524288 /m);
    // zonecfg -r starts from what the zone has now, not from what it booted with
    expect(zonecfg('-z', general, '-r', 'info capped-cpu')).toMatchObject({ status: 0, stdout: expect.stringContaining('[ncpus: 1.50]') });
    // a cap dropped from the configuration is lifted
    cfg.resources = cfg.resources.filter((x) => !(x.type === 'rctl' && x.props.name === 'zone.cpu-cap'));
    store.save(cfg);
    expect(zoneadm('-z', general, 'apply').status).toBe(0);
    expect(cgFile(general, 'cpu', 'cpu.cfs_quota_us')).toBe('-1');
    const idle = configure('i', []);
    expect(zoneadm('-z', idle, 'apply')).toEqual({ status: 1, stdout: '', stderr: `zoneadm: zone '${idle}': not running\n` });
  });

  test('cpu-shares 1 (FSS without shares) against 3, both on one CPU, get about 1:3', async () => {
    const one = configure('s1', [], { 'scheduling-class': 'FSS' });
    const three = configure('s3', [rctl('zone.cpu-shares', 3, 'none')]);
    await boot(one);
    await boot(three);
    expect(cgFile(one, 'cpu', 'cpu.shares')).toBe('2');
    expect(cgFile(three, 'cpu', 'cpu.shares')).toBe('6');
    spin(one, 0);
    spin(three, 0);
    try {
      await sleep(300);
      const [a, b] = await usageOver([one, three], 2500);
      const ratio = b! / a!;
      console.log(`shares 1:3 on one CPU: ${(a! / 1e6).toFixed(0)} ms against ${(b! / 1e6).toFixed(0)} ms (1:${ratio.toFixed(2)})`);
      expect(ratio).toBeGreaterThan(2);
      expect(ratio).toBeLessThan(4.5);
    } finally {
      stopSpinning(one);
      stopSpinning(three);
    }
  });

  test('dedicated-cpu: the first zone gets a CPU the others stop using, a second is refused, halting the first frees it', async () => {
    const first = configure('d1', [{ type: 'dedicated-cpu', props: { ncpus: '1' } }]);
    const second = configure('d2', [{ type: 'dedicated-cpu', props: { ncpus: '1' } }]);
    await boot(first);
    expect(cgFile(first, 'cpuset', 'cpuset.cpus')).toBe('1');
    // the other running zones, their payload (where their processes are) included
    expect(cgFile(general, 'cpuset', 'cpuset.cpus')).toBe('0');
    expect(cgFile(general, 'cpuset', 'payload/cpuset.cpus')).toBe('0');
    // and zone root cannot move onto it
    const escape = zlogin(general, 'taskset -c 1 true 2>/dev/null && echo ESCAPED || echo refused');
    expect(escape.stdout).toBe('refused\n');
    await expect(boot(second)).rejects.toThrow(/^Could not create a temporary pool: dedicated-cpu ncpus 1 does not fit: the host has 2 CPUs, 1 dedicated to zone .*d1, and 1 stays in the default pool\.$/);
    expect(zoneCgroupFor(second, opts).anyExists()).toBe(false);
    expect(zoneadm('-z', second, 'verify').status).toBe(0);
    await haltZone(first, opts);
    expect(cgFile(general, 'cpuset', 'cpuset.cpus')).toBe('0-1');
    expect(cgFile(general, 'cpuset', 'payload/cpuset.cpus')).toBe('0-1');
    // a dedicated zone that halts by itself (its init dies) leaves a stale entry: the next boot drops it
    const again = await boot(first);
    process.kill(again.initPid, 'SIGKILL');
    const until = Date.now() + 5000;
    while (zoneCgroupFor(first, opts).anyExists() && Date.now() < until) await sleep(20);
    await boot(second);
    expect(cgFile(second, 'cpuset', 'cpuset.cpus')).toBe('1');
    expect(cgFile(general, 'cpuset', 'cpuset.cpus')).toBe('0');
    await haltZone(second, opts);
    expect(cgFile(general, 'cpuset', 'cpuset.cpus')).toBe('0-1');
  });

  test('every cgroup of a zone is gone after halt', async () => {
    const paths = zoneCgroupFor(general, opts).paths;
    expect(paths.length).toBeGreaterThanOrEqual(6);
    await haltZone(general, opts);
    expect(paths.filter((p) => existsSync(p))).toEqual([]);
  });
});
