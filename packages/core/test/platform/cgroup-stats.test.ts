/**
 * ZoneCgroup.stats(): the zone's use and caps read back from the kernel, the same record on v1
 * and v2 (docs/reference.md#9-zonestat). v2 against a cgroup2-shaped tree; v1 for real (root on a
 * v1 host): a busy process in a capped cgroup, and a cap changed in the cgroup read at once.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectCgroupVersion, zoneCgroup, type ZoneCgroup } from '../../src/platform/cgroups/index.js';
import { cpuList, keepStatFilesOpen, limitValue, readStat, sweepStatFiles } from '../../src/platform/cgroups/stats.js';
import { sharesOfV1, sharesOfV2, v1Shares, v2Weight } from '../../src/platform/cgroups/limits.js';

describe('helpers', () => {
  test('cpuset lists, kernel "no limit" values, weight back to shares', () => {
    expect(cpuList('0-2,5')).toEqual([0, 1, 2, 5]);
    expect(cpuList('')).toEqual([]);
    expect([limitValue('max'), limitValue('9223372036854771712'), limitValue('-1'), limitValue('1024')]).toEqual([undefined, undefined, undefined, 1024]);
    for (const s of [1, 3, 1024, 10000]) expect([sharesOfV1(v1Shares(s)), sharesOfV2(v2Weight(s))]).toEqual([s, s]);
  });
});

describe('v2, against a cgroup-like tree', () => {
  let root = '';
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'cg2-stats-'));
    writeFileSync(join(root, 'cgroup.controllers'), 'cpuset cpu io memory pids\n');
    writeFileSync(join(root, 'cgroup.subtree_control'), '');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('usage from cpu.stat, memory.current minus inactive_file, pids.current; caps from cpu.max, memory.max, pids.max', () => {
    const cg = zoneCgroup('web', { root });
    cg.create();
    const dir = cg.paths[0]!;
    const files: Record<string, string> = {
      'cpu.stat': 'usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\n',
      'cpu.max': '50000 100000\n',
      'cpu.weight': `${v2Weight(30)}\n`,
      'cpuset.cpus': '',
      'cpuset.cpus.effective': '0-1\n',
      'memory.current': String(300 * 2 ** 20),
      'memory.stat': `anon 1000\nfile 5000\ninactive_file ${100 * 2 ** 20}\nactive_file 10\n`,
      'memory.max': String(256 * 2 ** 20),
      'memory.swap.current': String(2 ** 20),
      'memory.swap.max': String(64 * 2 ** 20),
      'pids.current': '7\n',
      'pids.max': '300\n',
    };
    for (const [f, v] of Object.entries(files)) writeFileSync(join(dir, f), v);
    expect(cg.stats()).toMatchObject({
      cpuUsageNs: 2_500_000_000,
      cpuCap: 0.5,
      cpus: [0, 1],
      memoryBytes: 200 * 2 ** 20,
      memoryLimitBytes: 256 * 2 ** 20,
      memorySwapBytes: 201 * 2 ** 20,
      memorySwapLimitBytes: 320 * 2 ** 20,
      tasks: 7,
      tasksMax: 300,
    });
    expect(cg.stats().cpuShares).toBe(30);
    // No cap: `max` everywhere
    for (const [f, v] of [['cpu.max', 'max 100000'], ['memory.max', 'max'], ['pids.max', 'max']]) writeFileSync(join(dir, f!), v!);
    const s = cg.stats();
    expect([s.cpuCap, s.memoryLimitBytes, s.tasksMax]).toEqual([undefined, undefined, undefined]);
  });

  test('a zone whose cgroup is gone reads as nothing known', () => {
    const s = zoneCgroup('gone', { root }).stats();
    expect(Object.values(s).filter((v) => v !== undefined && !(Array.isArray(v) && v.length === 0))).toEqual([]);
  });
});

const tag = `zst${process.pid}`;
const isRootOnV1 = process.getuid?.() === 0 && detectCgroupVersion() === 1 && existsSync('/sys/fs/cgroup/cpuacct/cgroup.procs');
const t1 = isRootOnV1 ? test : test.skip;

describe('v1, for real', () => {
  let cg: ZoneCgroup | undefined;
  let busy: ChildProcess | undefined;
  afterAll(async () => {
    busy?.kill('SIGKILL');
    if (cg) {
      await cg.killAll().catch(() => undefined);
      cg.destroy();
    }
    for (const ctrl of readdirSync('/sys/fs/cgroup')) {
      try {
        rmdirSync(join('/sys/fs/cgroup', ctrl, `zones-${tag}`));
      } catch {
        // not made or already gone
      }
    }
  });

  t1('a busy loop under a 0.5 CPU cap: cpuacct counts it, the cap and pids are read back, a new cap shows at once', async () => {
    cg = zoneCgroup('z', { parent: `zones-${tag}` });
    cg.create({ cpuQuota: { quotaUs: 50_000, periodUs: 100_000 }, pidsMax: 50, memoryBytes: 64 * 2 ** 20 });
    // joined while it sleeps: what it execs then is charged to the cgroup
    busy = spawn('sh', ['-c', 'sleep 0.2; exec sh -c "while :; do :; done"'], { stdio: 'ignore' });
    cg.join(busy.pid!);
    await new Promise((r) => setTimeout(r, 300));
    const s0 = cg.stats();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 1000));
    const s1 = cg.stats();
    const cpus = (s1.cpuUsageNs! - s0.cpuUsageNs!) / 1e6 / (performance.now() - t0);
    expect(cpus).toBeGreaterThan(0.2);
    expect(cpus).toBeLessThan(0.6);
    expect(s1).toMatchObject({ cpuCap: 0.5, tasks: 1, tasksMax: 50, memoryLimitBytes: 64 * 2 ** 20 });
    expect(s1.cpus!.length).toBeGreaterThan(0);
    expect(s1.memoryBytes).toBeGreaterThan(0);
    // what `zoneadm apply` does: the cgroup's files, nothing else
    writeFileSync(join('/sys/fs/cgroup/cpu', `zones-${tag}`, 'z', 'cpu.cfs_quota_us'), '150000');
    writeFileSync(join('/sys/fs/cgroup/pids', `zones-${tag}`, 'z', 'pids.max'), 'max');
    const s2 = cg.stats();
    expect([s2.cpuCap, s2.tasksMax]).toEqual([1.5, undefined]);
  });

  t1('files kept open: a rewritten value is read, a cgroup made again under the same name is reopened, the sweep closes what was not read', () => {
    const dir = join('/sys/fs/cgroup/pids', `zones-${tag}`, 'kept');
    const fds = () => readdirSync('/proc/self/fd').length;
    mkdirSync(dir, { recursive: true });
    try {
      keepStatFilesOpen();
      const before = fds();
      writeFileSync(join(dir, 'pids.max'), '10');
      expect(readStat(dir, 'pids.max')).toBe('10');
      expect(fds()).toBe(before + 1);
      writeFileSync(join(dir, 'pids.max'), '20');
      expect(readStat(dir, 'pids.max')).toBe('20');
      rmdirSync(dir); // the open file does not keep the cgroup
      mkdirSync(dir);
      writeFileSync(join(dir, 'pids.max'), '30');
      expect(readStat(dir, 'pids.max')).toBe('30');
      sweepStatFiles(); // read in this round: kept
      expect(fds()).toBe(before + 1);
      sweepStatFiles(); // not read since: closed
      expect(fds()).toBe(before);
    } finally {
      rmdirSync(dir);
    }
  });
});
