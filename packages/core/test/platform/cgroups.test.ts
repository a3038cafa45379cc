import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  detectCgroupVersion,
  ZONE_MAX_DESCENDANTS,
  limitsFromConfig,
  zoneCgroup,
  type CgroupLimits,
  type CgroupOwner,
  type DeviceRule,
  type ZoneCgroup,
} from '../../src/platform/cgroups/index.js';
import { configLimitWarnings, v1Shares, v2Weight } from '../../src/platform/cgroups/limits.js';
import { ipcSysctls } from '../../src/platform/ipc-limits.js';
import type { ZoneConfig } from '../../src/model/types.js';
import { defaultGlobals } from '../../src/model/schema.js';

const globals = { ...defaultGlobals('z'), zonepath: '/z' };
const rctl = (name: string, limit: number, action = 'deny') => ({
  type: 'rctl' as const,
  props: { name, value: [{ priv: 'privileged', limit: String(limit), action }] },
});

describe('limits from a zone configuration', () => {
  test('every rctl and capped resource maps to one limit', () => {
    const cfg: ZoneConfig = {
      globals: { ...globals },
      resources: [
        { type: 'capped-memory', props: { physical: String(512 * 2 ** 20) } },
        rctl('zone.max-swap', 2 ** 30),
        rctl('zone.max-locked-memory', 2 ** 20),
        rctl('zone.cpu-cap', 150),
        rctl('zone.cpu-shares', 20, 'none'),
        rctl('zone.max-lwps', 500),
        rctl('zone.max-processes', 300),
        rctl('zone.max-shm-memory', 2 ** 24),
        rctl('zone.max-shm-ids', 8),
        rctl('zone.max-msg-ids', 9),
        rctl('zone.max-sem-ids', 10),
        { type: 'dedicated-cpu', props: { ncpus: '2-4', importance: '5' } },
      ],
    };
    expect(limitsFromConfig(cfg)).toEqual({
      memoryBytes: 512 * 2 ** 20,
      memoryAndSwapBytes: 2 ** 30,
      memlockBytes: 2 ** 20,
      cpuQuota: { quotaUs: 150_000, periodUs: 100_000 },
      cpuShares: 20,
      dedicatedCpu: { min: 2, max: 4, importance: 5 },
      pidsMax: 300,
      ipc: { shmMemoryBytes: 2 ** 24, shmIds: 8, msgIds: 9, semIds: 10 },
    });
  });
  test('nothing configured leaves every limit unset', () => {
    expect(limitsFromConfig({ globals: { ...globals }, resources: [] })).toEqual({});
  });
  test('an explicit rctl is its alias: the smallest deny value caps, a none value only notifies', () => {
    const explicit = (values: { limit: string; action: string }[]) =>
      limitsFromConfig({ globals: { ...globals }, resources: [{ type: 'rctl', props: { name: 'zone.max-lwps', value: values.map((v) => ({ priv: 'privileged', ...v })) } }] });
    expect(explicit([{ limit: '300', action: 'deny' }])).toEqual(limitsFromConfig({ globals: { ...globals }, resources: [rctl('zone.max-lwps', 300)] }));
    expect(explicit([{ limit: '900', action: 'deny' }, { limit: '0x12c', action: 'deny' }, { limit: '100', action: 'none' }]).pidsMax).toBe(300);
    expect(explicit([{ limit: '100', action: 'none' }]).pidsMax).toBeUndefined();
  });
  test('max-lwps and max-processes: the man page fills in the one not set', () => {
    const only = (name: string, n: number) => limitsFromConfig({ globals: { ...globals }, resources: [rctl(name, n)] }).pidsMax;
    expect(only('zone.max-lwps', 300)).toBe(300);
    expect(only('zone.max-processes', 300)).toBe(3000);
  });
  test('shares: FSS alone means 1 share; the scale keeps 1:3 on both versions', () => {
    expect(limitsFromConfig({ globals: { ...globals, 'scheduling-class': 'FSS' }, resources: [] })).toEqual({ cpuShares: 1 });
    expect(limitsFromConfig({ globals: { ...globals, 'scheduling-class': 'TS' }, resources: [] })).toEqual({});
    expect([v1Shares(1), v1Shares(3)]).toEqual([2, 6]);
    expect([v2Weight(1), v2Weight(3)]).toEqual([1, 3]);
    // the whole Solaris range fits v1 (ceiling 262144); v2 saturates at 10000
    expect(v1Shares(65535)).toBe(131070);
    expect(v2Weight(65535)).toBe(10000);
    expect(v1Shares(0)).toBe(2);
  });
  test('capped-cpu: the smallest cap is the kernel\'s 1 ms quota', () => {
    expect(limitsFromConfig({ globals: { ...globals }, resources: [rctl('zone.cpu-cap', 1)] }).cpuQuota).toEqual({ quotaUs: 1000, periodUs: 100_000 });
  });
  test('what no host enforces as asked is a warning, never silence', () => {
    const cfg: ZoneConfig = {
      globals: { ...globals },
      resources: [rctl('zone.max-lofi', 4), rctl('zone.max-foo', 1), rctl('zone.max-lwps', 500), rctl('zone.max-processes', 200), rctl('zone.cpu-shares', 0, 'none')],
    };
    expect(configLimitWarnings(cfg)).toEqual([
      "Ignoring unrecognized rctl 'zone.max-foo'.",
      'rctl zone.max-lofi is not enforced: a zone gets no loop (lofi) devices on Linux.',
      'rctl zone.max-processes (200) also caps threads: Linux counts processes and lwps together (pids.max 200).',
      'rctl zone.cpu-shares 0 is enforced as 1 share: Linux has no zero weight.',
    ]);
  });
  test('IPC rctls as the sysctls of the zone\'s IPC namespace, nested IPC namespaces refused', () => {
    expect(ipcSysctls({ shmMemoryBytes: 2 ** 24, shmIds: 8, msgIds: 40000, semIds: 10 })).toEqual({
      sysctls: [
        ['kernel/shmmni', '8'],
        ['kernel/msgmni', '32768'],
        ['kernel/sem', '32000 1024000000 500 10'],
        ['kernel/shmall', '4096'],
        ['kernel/shmmax', String(2 ** 24)],
        ['user/max_ipc_namespaces', '0'],
      ],
      warnings: ["rctl zone.max-msg-ids 40000 is beyond the kernel's 32768 ids: 32768 is enforced."],
    });
    expect(ipcSysctls(undefined)).toEqual({ sysctls: [], warnings: [] });
    // a live change puts a dropped control back to the namespace's default
    expect(ipcSysctls({ shmIds: 8 }, true).sysctls.map(([n, v]) => `${n}=${v}`)).toEqual([
      'kernel/msgmni=32000',
      'kernel/sem=32000 1024000000 500 32000',
      'kernel/shmall=18446744073692774399',
      'kernel/shmmax=18446744073692774399',
      'kernel/shmmni=8',
      'user/max_ipc_namespaces=0',
    ]);
  });
});

const tag = `zt${process.pid}`;
const isRootOnV1 = process.getuid?.() === 0 && detectCgroupVersion() === 1 && existsSync('/sys/fs/cgroup/freezer/cgroup.procs');

describe('cgroup v1, for real', () => {
  const made: ZoneCgroup[] = [];
  afterAll(async () => {
    for (const cg of made) {
      await cg.killAll().catch(() => undefined);
      cg.destroy();
    }
    // The per-test parent directories, by exact name.
    for (const ctrl of readdirSync('/sys/fs/cgroup')) {
      try {
        rmdirSync(join('/sys/fs/cgroup', ctrl, `zones-${tag}`));
      } catch {
        // not made or already gone
      }
    }
  });
  const open = (name: string) => {
    const cg = zoneCgroup(name, { parent: `zones-${tag}` });
    made.push(cg);
    cg.create();
    return cg;
  };

  const openWith = (name: string, limits: CgroupLimits, owner?: CgroupOwner) => {
    const cg = zoneCgroup(name, { parent: `zones-${tag}` });
    made.push(cg);
    return { cg, warnings: cg.create(limits, owner) };
  };

  (isRootOnV1 ? test : test.skip)('limits are written where the kernel reads them', () => {
    const { cg, warnings } = openWith('limits', { pidsMax: 64, memoryBytes: 64 * 2 ** 20, cpuQuota: { quotaUs: 50_000, periodUs: 100_000 }, cpuShares: 256, cpus: '0' });
    expect(cg.version).toBe(1);
    expect(warnings).toEqual([]);
    const read = (ctrl: string, file: string) => readFileSync(join('/sys/fs/cgroup', ctrl, `zones-${tag}`, 'limits', file), 'utf8').trim();
    expect(read('pids', 'pids.max')).toBe('64');
    expect(read('memory', 'memory.limit_in_bytes')).toBe(String(64 * 2 ** 20));
    expect(read('cpu', 'cpu.cfs_quota_us')).toBe('50000');
    expect(read('cpu', 'cpu.shares')).toBe('512'); // 2 x 256 Solaris shares
    expect(read('cpuset', 'cpuset.cpus')).toBe('0');
    // the payload below takes the zone's cpus, and hands them on to what the zone makes in it
    expect(read('cpuset', 'payload/cpuset.cpus')).toBe('0');
    expect(read('cpuset', 'payload/cgroup.clone_children')).toBe('1');
  });

  (isRootOnV1 ? test : test.skip)('setCpus moves the whole subtree, deepest first when shrinking, top first when growing', () => {
    const { cg } = openWith('cpus', {});
    const dir = cg.paths.find((p) => p.includes('/cpuset/'))!;
    mkdirSync(join(dir, 'payload', 'init.scope'));
    cg.setCpus('0');
    const read = (rel: string) => readFileSync(join(dir, rel, 'cpuset.cpus'), 'utf8').trim();
    expect([read(''), read('payload'), read('payload/init.scope')]).toEqual(['0', '0', '0']);
    cg.setCpus('1');
    expect([read(''), read('payload'), read('payload/init.scope')]).toEqual(['1', '1', '1']);
    cg.setCpus('0-1');
    expect([read(''), read('payload'), read('payload/init.scope')]).toEqual(['0-1', '0-1', '0-1']);
  });

  (isRootOnV1 ? test : test.skip)('the payload belongs to the zone root: it may add cgroups there, never touch the limits above', () => {
    const owner = { uid: 3_000_000, gid: 3_000_000 };
    const { cg } = openWith('owned', { pidsMax: 10 }, owner);
    const owned = (p: string) => [statSync(p).uid, statSync(p).gid];
    for (const [zone, payload] of cg.paths.map((p, i) => [p, cg.payloadPaths[i]!])) {
      expect(payload).toBe(join(zone!, 'payload'));
      expect(owned(payload!)).toEqual([owner.uid, owner.gid]);
      for (const f of ['tasks', 'cgroup.procs']) expect(owned(join(payload!, f))).toEqual([owner.uid, owner.gid]);
      // the zone's own level and every file that sets a limit stay the host's
      expect(owned(zone!)).toEqual([0, 0]);
      for (const f of readdirSync(payload!).filter((n) => n !== 'tasks' && n !== 'cgroup.procs')) {
        if (statSync(join(payload!, f)).isFile()) expect(owned(join(payload!, f))).toEqual([0, 0]);
      }
    }
  });

  (isRootOnV1 ? test : test.skip)('the device policy: deny all, allow the listed nodes; the payload inherits it', () => {
    const devices: DeviceRule[] = [
      { type: 'c', major: 1, minor: 3, access: 'rwm' },
      { type: 'c', major: 136, minor: '*', access: 'rwm' },
    ];
    const { cg } = openWith('dev', { devices });
    const dir = cg.paths.find((p) => p.includes('/devices/'))!;
    const list = (d: string) => readFileSync(join(d, 'devices.list'), 'utf8').trim().split('\n').sort();
    expect(list(dir)).toEqual(['c 136:* rwm', 'c 1:3 rwm']);
    expect(list(join(dir, 'payload'))).toEqual(['c 136:* rwm', 'c 1:3 rwm']);
    // a process of the zone cannot open another device, even one it can see
    const child = spawnSync('sh', ['-c', `echo 0 > ${join(dir, 'payload', 'tasks')}; cat /dev/null && echo null-ok; head -c1 /dev/zero >/dev/null || echo zero-denied`], {
      encoding: 'utf8',
    });
    expect(child.stdout).toBe('null-ok\nzero-denied\n');
  });

  (isRootOnV1 ? test : test.skip)('a zone process is in the zone cgroup of every v1 hierarchy, named ones included', async () => {
    const cg = open('everywhere');
    const child = spawn('sleep', ['30']);
    try {
      cg.join(child.pid!);
      const lines = readFileSync(`/proc/${child.pid}/cgroup`, 'utf8').trim().split('\n').filter((l) => !l.startsWith('0::'));
      expect(lines.length).toBeGreaterThanOrEqual(5);
      // So an init in the zone that mounts cgroupfs (systemd) can only create cgroups below the zone's.
      for (const l of lines) expect(l.split(':')[2]).toBe(`/zones-${tag}/everywhere/payload`);
      expect(cg.pids()).toEqual([child.pid]);
    } finally {
      child.kill('SIGKILL');
    }
  });

  (isRootOnV1 ? test : test.skip)('pids and destroy reach the cgroups an init made below the zone', async () => {
    const cg = open('nested');
    const child = spawn('sleep', ['30']);
    const inner = join(cg.paths.find((p) => p.includes('/pids/'))!, 'init.scope');
    mkdirSync(inner);
    writeFileSync(join(inner, 'cgroup.procs'), String(child.pid));
    expect(cg.pids()).toEqual([child.pid]);
    await cg.killAll();
    cg.destroy();
    expect(existsSync(inner)).toBe(false);
    expect(cg.exists()).toBe(false);
  });

  (isRootOnV1 ? test : test.skip)('a fork bomb stops at pids.max', async () => {
    const { cg } = openWith('forkcap', { pidsMax: 8 });
    // The shell joins the cgroup itself before forking, so every child is born inside it.
    const child = spawnSync('sh', ['-c', `echo $$ > ${cg.payloadPaths.find((p) => p.includes('/pids/'))}/cgroup.procs; for i in $(seq 1 20); do sleep 1 & done; wait`], {
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(child.stderr).toMatch(/fork|Resource temporarily unavailable|retry/i);
  });

  (isRootOnV1 ? test : test.skip)('killAll ends every process, double forks included', async () => {
    const cg = open('halt');
    const shell = spawn('sh', ['-c', 'read go; (sleep 300 &); (setsid sleep 300 &); sleep 300 & sleep 300'], { stdio: ['pipe', 'ignore', 'ignore'] });
    cg.join(shell.pid!);
    shell.stdin!.write('go\n');
    const until = Date.now() + 5000;
    while (cg.pids().length < 5 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    const inside = cg.pids();
    expect(inside.length).toBeGreaterThanOrEqual(5);
    await cg.killAll();
    expect(cg.pids()).toEqual([]);
    // A task leaves cgroup.procs a moment before it is a zombie (the kernel's exit path): wait for that.
    const running = (pid: number) => {
      try {
        return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
      } catch {
        return false;
      }
    };
    const settle = Date.now() + 2000;
    while (inside.some(running) && Date.now() < settle) await new Promise((r) => setTimeout(r, 10));
    expect(inside.filter(running)).toEqual([]);
    cg.destroy();
    expect(cg.exists()).toBe(false);
  });
});

describe('cgroup v2, against a cgroup-like tree', () => {
  let root = '';
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'cg2-'));
    writeFileSync(join(root, 'cgroup.controllers'), 'cpuset cpu io memory hugetlb pids rdma misc\n');
    writeFileSync(join(root, 'cgroup.subtree_control'), '');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('detects v2 from the root', () => {
    expect(detectCgroupVersion(root)).toBe(2);
  });

  test('create enables the controllers on every level, apply writes v2 files', () => {
    const cg = zoneCgroup('web', { root });
    expect(cg.version).toBe(2);
    expect(cg.devicePolicy).toBe('bpf');
    expect(cg.missing()).toEqual([]);
    cg.create();
    const dir = join(root, 'zones', 'web');
    expect(cg.paths).toEqual([dir]);
    expect(cg.payloadPaths).toEqual([join(dir, 'payload')]);
    expect(readFileSync(join(root, 'cgroup.subtree_control'), 'utf8')).toBe('+memory +cpu +cpuset +pids');
    expect(readFileSync(join(root, 'zones', 'cgroup.subtree_control'), 'utf8')).toBe('+memory +cpu +cpuset +pids');
    // and on the zone's own level, for its payload
    expect(readFileSync(join(dir, 'cgroup.subtree_control'), 'utf8')).toBe('+memory +cpu +cpuset +pids');
    // the zone cannot pin the host's memory-cgroup ids: the payload and 1024 below it, set where it cannot write
    expect(readFileSync(join(dir, 'cgroup.max.descendants'), 'utf8')).toBe(String(ZONE_MAX_DESCENDANTS + 1));
    expect(ZONE_MAX_DESCENDANTS).toBe(1024);
    // The files the kernel would create in a new cgroup.
    for (const f of ['memory.max', 'memory.swap.max', 'cpu.max', 'cpu.weight', 'cpuset.cpus', 'pids.max', 'cgroup.procs']) writeFileSync(join(dir, f), '');
    const warnings = cg.apply({ memoryBytes: 512 * 2 ** 20, memoryAndSwapBytes: 2 ** 30, cpuQuota: { quotaUs: 150_000, periodUs: 100_000 }, cpuShares: 3, cpus: '0-1', pidsMax: 'max' });
    expect(warnings).toEqual([]);
    const read = (f: string) => readFileSync(join(dir, f), 'utf8');
    expect(read('memory.max')).toBe(String(512 * 2 ** 20));
    expect(read('memory.swap.max')).toBe(String(2 ** 30 - 512 * 2 ** 20));
    expect(read('cpu.max')).toBe('150000 100000');
    expect(read('cpu.weight')).toBe('3');
    expect(read('cpuset.cpus')).toBe('0-1');
    expect(read('pids.max')).toBe('max');
  });

  test('a live change puts dropped limits back to the kernel defaults; the CPUs are set at the zone level', () => {
    const cg = zoneCgroup('live', { root });
    cg.create();
    const dir = cg.paths[0]!;
    for (const f of ['memory.max', 'cpu.max', 'cpu.weight', 'cpuset.cpus', 'pids.max']) writeFileSync(join(dir, f), '');
    cg.apply({ memoryBytes: 'max', cpuQuota: 'max', cpuShares: 'default', pidsMax: 'max' });
    const read = (f: string) => readFileSync(join(dir, f), 'utf8');
    expect([read('memory.max'), read('cpu.max'), read('cpu.weight'), read('pids.max')]).toEqual(['max', 'max', '100', 'max']);
    cg.setCpus('1');
    expect(cg.cpus()).toBe('1');
  });

  test('what this host cannot enforce is said, nothing written', () => {
    const cg = zoneCgroup('unenforced', { root });
    expect(cg.unenforced({ cpuShares: 20000, cpuQuota: { quotaUs: 1000, periodUs: 100_000 } })).toEqual([
      "cpu-shares 20000 saturates cgroup v2's cpu.weight: 10000 is enforced.",
    ]);
    expect(existsSync(cg.paths[0]!)).toBe(false);
    const bare = mkdtempSync(join(tmpdir(), 'cg-nocpu-'));
    try {
      writeFileSync(join(bare, 'cgroup.controllers'), 'memory pids\n');
      expect(zoneCgroup('z', { root: bare }).unenforced({ cpuShares: 1, dedicatedCpu: { min: 1, max: 1, importance: 1 } })).toEqual([
        "cpu-shares not enforced: this host's cgroup2 has no cpu controller.",
        "dedicated-cpu not enforced: this host's cgroup2 has no cpuset controller.",
      ]);
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });

  test('no swap controller file: the swap cap is reported, not silently dropped', () => {
    const cg = zoneCgroup('noswap', { root });
    cg.create();
    mkdirSync(cg.paths[0]!, { recursive: true });
    expect(cg.apply({ memoryAndSwapBytes: 2 ** 30 })).toEqual(['capped-memory swap not enforced: the kernel has no swap accounting (memory.swap.max).']);
    // a live change that lifts the cap has nothing to say
    expect(cg.apply({ memoryAndSwapBytes: 'max' })).toEqual([]);
  });

  test('join writes the pid to the payload\'s cgroup.procs; pids reads it back', () => {
    const cg = zoneCgroup('procs', { root });
    cg.create();
    cg.join(4242);
    expect(readFileSync(join(root, 'zones', 'procs', 'payload', 'cgroup.procs'), 'utf8')).toBe('4242');
    expect(cg.pids()).toEqual([4242]);
  });

  test('the payload is delegated: the directory and the files the kernel lists as delegatable', () => {
    const payload = join(root, 'zones', 'deleg', 'payload');
    mkdirSync(payload, { recursive: true });
    for (const f of ['cgroup.procs', 'cgroup.threads', 'cgroup.subtree_control', 'memory.max']) writeFileSync(join(payload, f), '');
    zoneCgroup('deleg', { root }).create({}, { uid: 3_000_001, gid: 3_000_002 });
    const owner = (f: string) => [statSync(join(payload, f)).uid, statSync(join(payload, f)).gid];
    for (const f of ['', 'cgroup.procs', 'cgroup.threads', 'cgroup.subtree_control']) expect(owner(f)).toEqual([3_000_001, 3_000_002]);
    expect(owner('memory.max')).toEqual([0, 0]);
  });

  test('a host without the hierarchies a zone needs says which', () => {
    const bare = mkdtempSync(join(tmpdir(), 'cg-none-'));
    try {
      expect(zoneCgroup('z', { root: bare, version: 2 }).missing()).toEqual([`a cgroup2 hierarchy at ${bare}`]);
      writeFileSync(join(bare, 'cgroup.controllers'), 'cpu memory\n');
      expect(zoneCgroup('z', { root: bare }).missing()).toEqual([`the pids controller (${join(bare, 'cgroup.controllers')})`]);
      rmSync(join(bare, 'cgroup.controllers'));
      for (const h of ['memory', 'pids']) {
        mkdirSync(join(bare, h));
        writeFileSync(join(bare, h, 'cgroup.procs'), '');
      }
      expect(zoneCgroup('z', { root: bare }).missing()).toEqual([
        `the devices hierarchy (${join(bare, 'devices')})`,
        `the freezer hierarchy (${join(bare, 'freezer')})`,
      ]);
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });
});

/** The hybrid host's cgroup2 mount (no controllers there, but the core files are real). */
const unified = ['/sys/fs/cgroup/unified', '/sys/fs/cgroup'].find((d) => existsSync(join(d, 'cgroup.max.descendants')));
const dv2 = process.getuid?.() === 0 && unified !== undefined ? describe : describe.skip;

dv2('cgroup v2, on the real cgroup2 hierarchy', () => {
  const parent = `zones-desc-${process.pid}`;
  afterAll(() => {
    const cg = zoneCgroup('z', { root: unified!, parent, version: 2 });
    cg.destroy();
    rmdirSync(join(unified!, parent));
  });

  test("the zone's root cannot make more cgroups than the cap, even with the payload delegated to it", () => {
    const cg = zoneCgroup('z', { root: unified!, parent, version: 2 });
    cg.create({}, { uid: 3_100_000, gid: 3_100_000 });
    const payload = cg.payloadPaths[0]!;
    for (let i = 1; i < ZONE_MAX_DESCENDANTS; i++) mkdirSync(join(payload, `c${i}`));
    // one level deeper counts too: the cap is on the whole subtree
    mkdirSync(join(payload, 'c1', 'last'));
    let code = '';
    try {
      mkdirSync(join(payload, 'c1', 'one-more'));
    } catch (e) {
      code = (e as NodeJS.ErrnoException).code ?? '';
    }
    expect(code).toBe('EAGAIN');
    // host-owned: the zone's root (the payload's owner) cannot raise it
    expect(statSync(join(cg.paths[0]!, 'cgroup.max.descendants')).uid).toBe(0);
    expect(statSync(payload).uid).toBe(3_100_000);
  });
});
