/**
 * The zone runtime for real: namespaces, mounts, cgroups and the native supervisor, as root,
 * under a temporary ZONES_ROOT. Every zone a test boots is halted in afterAll even on failure,
 * and only its own processes, cgroups and files are touched.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZoneStore } from '../../src/store/zone-store.js';
import { defaultTemplate } from '../../src/store/templates.js';
import { consoleLogPath, runDir } from '../../src/store/paths.js';
import type { Resource } from '../../src/model/types.js';
import { capabilityNames } from '../../src/platform/capabilities.js';
import { processAlive, processStatusField } from '../../src/platform/proc.js';
import { prepareSparseRoot } from './sparse-root.js';
import {
  bootZone,
  connectConsole,
  ConsoleBusyError,
  haltZone,
  readyZone,
  zoneCgroupFor,
  zoneadmdPath,
  zoneRuntimeInfo,
  zoneRuntimeState,
  type ConsoleConnection,
} from '../../src/runtime/index.js';

const canRun = process.getuid?.() === 0 && existsSync(zoneadmdPath());
const d = canRun ? describe : describe.skip;
if (!canRun) console.warn('runtime tests skipped: need root and packages/core/native/bin/zoneadmd (npm run build:native)');

const base = mkdtempSync(join(tmpdir(), 'zones-rt-'));
const root = join(base, 'zr');
const zones = join(base, 'zones');
const store = new ZoneStore(root);
const opts = { root };
const made: string[] = [];
const MIN = ['-i', 'zsched'];
const SH = ['-i', '/bin/sh'];
const tag = `rt${process.pid % 100000}`;

/** A sparse zone: /usr inherited, top-level links as on the host, a copy of the host's /etc. */
function makeZone(suffix: string, extra: { limitpriv?: string; resources?: Resource[] } = {}): string {
  const name = `${tag}${suffix}`;
  const cfg = defaultTemplate(name);
  cfg.globals.zonepath = join(zones, name);
  if (extra.limitpriv) cfg.globals.limitpriv = extra.limitpriv;
  cfg.resources.push(...(extra.resources ?? []));
  store.save(cfg);
  prepareSparseRoot(cfg.globals.zonepath);
  store.setState(name, 'installed');
  made.push(name);
  return name;
}

function mountinfo(pid: number | 'self'): { point: string; opts: string }[] {
  return readFileSync(`/proc/${pid}/mountinfo`, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(' '))
    .map((f) => ({ point: f[4]!, opts: `${f[5]},${f.slice(f.indexOf("-") + 1).join(",")}` }));
}

function inZone(pid: number, ...cmd: string[]): string {
  return execFileSync('nsenter', ['-t', String(pid), '-m', '-u', '-i', '-p', '-r', '-w', ...cmd], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function waitFor(what: string, cond: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function collect(c: ConsoleConnection): { text: () => string } {
  let out = '';
  c.socket.on('error', () => undefined); // a failing test reports its expectation, not a reset socket
  c.onData((b) => (out += b.toString()));
  return { text: () => out };
}

function rssKiB(pid: number): number {
  return Number((processStatusField(pid, 'VmRSS') ?? '0').split(/\s+/)[0]);
}

beforeAll(() => {
  mkdirSync(zones, { recursive: true, mode: 0o755 });
});

afterAll(async () => {
  for (const name of made) {
    await haltZone(name, opts).catch(() => undefined);
  }
  // Nothing of a zone is mounted in the host namespace; make sure before removing the files.
  expect(mountinfo('self').filter((m) => m.point.startsWith(base))).toEqual([]);
  rmSync(base, { recursive: true, force: true });
}, 60_000);

d('zone runtime (real namespaces)', () => {
  test('boot with the minimal init, then halt', async () => {
    const name = makeZone('a');
    const hostName = hostname();
    const t0 = performance.now();
    const z = await bootZone(name, { ...opts, bootargs: MIN });
    const ms = performance.now() - t0;
    const rss = rssKiB(z.supervisorPid);
    console.log(`boot ${ms.toFixed(1)} ms; supervisor VmRSS ${rss} kB; zoneid ${z.zoneid}`);

    expect(z.zoneid).toBeGreaterThanOrEqual(1);
    expect(zoneRuntimeState(name, opts)).toBe('running');
    // PID 1 of its own pid namespace
    expect(processStatusField(z.initPid, 'NSpid')!.split(/\s+/)).toEqual([String(z.initPid), '1']);
    // in the zone's cgroup
    expect(zoneCgroupFor(name, opts).pids()).toContain(z.initPid);
    // hostname = zone name inside, host unchanged
    expect(inZone(z.initPid, 'hostname').trim()).toBe(name);
    expect(hostname()).toBe(hostName);
    // /usr inherited read-only and nodev; /proc/sys and /sys read-only
    const mi = mountinfo(z.initPid);
    const usr = mi.find((m) => m.point === '/usr');
    expect(usr?.opts).toMatch(/(^|,)ro(,|$)/);
    expect(usr?.opts).toMatch(/nodev/);
    expect(mi.find((m) => m.point === '/proc/sys')?.opts).toMatch(/(^|,)ro(,|$)/);
    expect(mi.find((m) => m.point === '/sys')?.opts).toMatch(/(^|,)ro(,|$)/);
    expect(() => inZone(z.initPid, 'touch', '/usr/zones-test-should-fail')).toThrow();
    // dangerous /proc files masked where they exist
    for (const f of ['sysrq-trigger', 'kcore', 'kallsyms', 'keys', 'timer_list']) {
      if (!existsSync(`/proc/${f}`)) continue;
      expect(mi.some((m) => m.point === `/proc/${f}`)).toBe(true);
      expect(inZone(z.initPid, 'cat', `/proc/${f}`)).toBe('');
    }
    // /dev: a tmpfs with the basic nodes, a private devpts, ptmx link, console
    expect(mi.find((m) => m.point === '/dev')?.opts).toMatch(/tmpfs/);
    expect(mi.find((m) => m.point === '/dev/pts')?.opts).toMatch(/ptmxmode=0?666/);
    expect(inZone(z.initPid, 'readlink', '/dev/ptmx').trim()).toBe('pts/ptmx');
    expect(inZone(z.initPid, 'ls', '/dev').split('\n')).toEqual(
      expect.arrayContaining(['null', 'zero', 'full', 'random', 'urandom', 'tty', 'console', 'pts']),
    );
    // the old root is gone: no mount of the host's tree remains inside
    expect(mi.some((m) => m.point.startsWith(base))).toBe(false);
    // capabilities cut to the zone's set
    const bnd = capabilityNames(processStatusField(z.initPid, 'CapBnd')!);
    for (const c of ['CAP_SYS_MODULE', 'CAP_SYS_TIME', 'CAP_MKNOD', 'CAP_SYS_BOOT', 'CAP_SYS_RAWIO']) expect(bnd).not.toContain(c);
    expect(bnd).toContain('CAP_SYS_ADMIN');
    expect(capabilityNames(processStatusField(z.initPid, 'CapEff')!)).toEqual(bnd);
    // what init prints reaches the console log
    await waitFor('console log', () => readFileSync(consoleLogPath(name, root), 'utf8').includes(`zone '${name}' booted`));
    // runtime files
    for (const f of ['zoneadmd.pid', 'init.pid', 'state', 'zoneid', 'console.sock']) expect(existsSync(join(runDir(name, root), f))).toBe(true);
    // nothing mounted in the host namespace
    expect(mountinfo('self').some((m) => m.point.startsWith(base))).toBe(false);
    // a second boot is refused
    await expect(bootZone(name, { ...opts, bootargs: MIN })).rejects.toMatchObject({ code: 'Z_ALREADY_BOOTED' });

    await haltZone(name, opts);
    expect(processAlive(z.initPid)).toBe(false);
    await waitFor('supervisor exit', () => !processAlive(z.supervisorPid), 2000);
    expect(zoneRuntimeState(name, opts)).toBeUndefined();
    expect(existsSync(runDir(name, root))).toBe(false);
    expect(zoneCgroupFor(name, opts).exists()).toBe(false);
    await expect(haltZone(name, opts)).rejects.toMatchObject({ code: 'Z_ALREADY_HALTED' });
  }, 30_000);

  test('limitpriv=default,sys_time keeps CAP_SYS_TIME; fs and device resources', async () => {
    const shared = join(base, 'shared');
    mkdirSync(join(shared, 'sub'), { recursive: true });
    writeFileSync(join(shared, 'hello'), 'from the global zone\n');
    const name = makeZone('t', {
      limitpriv: 'default,sys_time',
      resources: [
        { type: 'fs', props: { dir: '/mnt/shared', special: shared, type: 'lofs', options: ['ro', 'nosuid'] } },
        { type: 'fs', props: { dir: '/mnt/nosub', special: shared, type: 'lofs', options: ['ro', 'nosub'] } },
        { type: 'fs', props: { dir: '/scratch', special: 'swap', type: 'tmpfs', options: ['noexec', 'size=1m'] } },
        { type: 'device', props: { match: '/dev/loop[01]' } },
      ],
    });
    // a mount below the special: the recursive lofs shows it, the nosub one does not
    execFileSync('mount', ['-t', 'tmpfs', 'zt-sub', join(shared, 'sub')]);
    try {
      writeFileSync(join(shared, 'sub', 'inner'), 'below\n');
      const z = await bootZone(name, { ...opts, bootargs: MIN });
      const bnd = capabilityNames(processStatusField(z.initPid, 'CapBnd')!);
      expect(bnd).toContain('CAP_SYS_TIME');
      expect(bnd).not.toContain('CAP_SYS_MODULE');
      const mi = mountinfo(z.initPid);
      expect(mi.find((m) => m.point === '/mnt/shared')?.opts).toMatch(/^ro,nosuid/);
      expect(inZone(z.initPid, 'cat', '/mnt/shared/hello')).toBe('from the global zone\n');
      expect(inZone(z.initPid, 'cat', '/mnt/shared/sub/inner')).toBe('below\n');
      expect(mi.find((m) => m.point === '/mnt/nosub')?.opts).toMatch(/^ro,/);
      expect(inZone(z.initPid, 'ls', '/mnt/nosub/sub')).toBe('');
      expect(mi.find((m) => m.point === '/scratch')?.opts).toMatch(/noexec.*tmpfs.*size=1024k/);
      const devs = inZone(z.initPid, 'ls', '/dev').split('\n');
      for (const n of ['loop0', 'loop1']) if (existsSync(`/dev/${n}`)) expect(devs).toContain(n);
      expect(devs).not.toContain('loop2');
      await haltZone(name, opts);
    } finally {
      execFileSync('umount', [join(shared, 'sub')]);
    }
  }, 30_000);

  test('the init: -i PATH that the zone lacks fails the boot; without -i, the minimal init when it has no /sbin/init', async () => {
    const name = makeZone('n');
    await expect(bootZone(name, { ...opts, bootargs: ['-i', '/no/such/init'] })).rejects.toThrow(
      'exec /no/such/init: No such file or directory',
    );
    expect(zoneRuntimeState(name, opts)).toBeUndefined();
    const zroot = join(zones, name, 'root');
    rmSync(join(zroot, 'sbin'));
    mkdirSync(join(zroot, 'sbin'));
    const z = await bootZone(name, { ...opts, bootargs: [] });
    await waitFor('console log', () => readFileSync(consoleLogPath(name, root), 'utf8').includes(`zone '${name}' booted`));
    expect(readFileSync(`/proc/${z.initPid}/comm`, 'utf8').trim()).toBe('zsched');
    await haltZone(name, opts);
  }, 30_000);

  test('console: a shell on the console, typing, resize, one client at a time', async () => {
    const name = makeZone('c');
    const z = await bootZone(name, { ...opts, bootargs: SH });
    const con = await connectConsole(name, opts);
    try {
      const out = collect(con);
      con.write('echo hello-$((6*7))\n');
      await waitFor('shell output', () => out.text().includes('hello-42'));
      con.resize(40, 123);
      con.write('stty size\n');
      await waitFor('window size', () => out.text().includes('40 123'));
      await expect(connectConsole(name, opts)).rejects.toEqual(new ConsoleBusyError(process.pid));
      await expect(connectConsole(name, opts)).rejects.toThrow(`Console is already in use by process ID ${process.pid}.`);
      await waitFor('console log', () => readFileSync(consoleLogPath(name, root), 'utf8').includes('hello-42'));
    } finally {
      con.close();
    }
    // once the holder leaves, the next client gets in
    await waitFor('console released', () => true);
    let again: ConsoleConnection | undefined;
    for (let i = 0; i < 50 && !again; i++) {
      again = await connectConsole(name, opts).catch(async () => {
        await new Promise((r) => setTimeout(r, 10));
        return undefined;
      });
    }
    expect(again).toBeDefined();
    again!.close();
    expect(z.initPid).toBeGreaterThan(0);
    await haltZone(name, opts);
  }, 30_000);

  test('a zone that never reads its console cannot stall the supervisor: its output still flows, halt still works', async () => {
    const name = makeZone('n');
    const script = 'stty raw -echo; sleep 1; while :; do echo tick-$$; /bin/sleep 0.2; done'; // raw: a full queue holds the writer back
    await bootZone(name, { ...opts, bootargs: ['-i', '/bin/sh', '-c', script] });
    const con = await connectConsole(name, opts);
    try {
      const out = collect(con);
      con.write('x'.repeat(1 << 20)); // far more than the pty's input queue holds
      await waitFor('output after the flood', () => out.text().includes('tick-'), 15_000);
      const seen = out.text().length;
      await waitFor('more output', () => out.text().slice(seen).includes('tick-'), 5000);
    } finally {
      con.close();
    }
    await haltZone(name, opts);
  }, 40_000);

  test('halt kills a double-forked process', async () => {
    const name = makeZone('f');
    await bootZone(name, { ...opts, bootargs: SH });
    const cg = zoneCgroupFor(name, opts);
    const con = await connectConsole(name, opts);
    const out = collect(con);
    con.write('( (setsid sleep 987 </dev/null >/dev/null 2>&1 &) & ) ; echo forked-$((1+1))\n');
    await waitFor('fork', () => out.text().includes('forked-2'));
    // the background subshell may print before its grandchild has exec'd sleep
    const isSleeper = (p: number) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8') === 'sleep\u0000987\u0000';
      } catch {
        return false;
      }
    };
    let sleeper: number | undefined;
    await waitFor('the double-forked sleep', () => (sleeper = cg.pids().find(isSleeper)) !== undefined);
    con.close();
    await haltZone(name, opts);
    expect(processAlive(sleeper!)).toBe(false);
    expect(cg.exists()).toBe(false);
  }, 30_000);

  test('kill -9 of the supervisor: halt still stops the zone and cleans up', async () => {
    const name = makeZone('k');
    const z = await bootZone(name, { ...opts, bootargs: MIN });
    const cg = zoneCgroupFor(name, opts);
    // A process entered the way zlogin enters (cgroup, then namespaces) and double-forked away.
    const join = cg.paths.map((p) => `echo $$ > ${p}/cgroup.procs`).join('; ');
    execFileSync('sh', ['-c', `${join}; exec nsenter -t ${z.initPid} -m -u -i -p -r -w sh -c '(setsid sleep 986 </dev/null >/dev/null 2>&1 &)'`]);
    await waitFor('the sleeper', () => cg.pids().some((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8') === 'sleep\u0000986\u0000'));
    const sleeper = cg.pids().find((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8') === 'sleep\u0000986\u0000')!;
    process.kill(z.supervisorPid, 'SIGKILL');
    await waitFor('supervisor death', () => !processAlive(z.supervisorPid));
    const info = zoneRuntimeInfo(name, opts);
    expect(info).toMatchObject({ state: 'running', supervisorAlive: false, initPid: z.initPid });
    await haltZone(name, opts);
    expect(processAlive(z.initPid)).toBe(false);
    expect(processAlive(sleeper)).toBe(false);
    expect(cg.exists()).toBe(false);
    expect(existsSync(runDir(name, root))).toBe(false);
    expect(zoneRuntimeState(name, opts)).toBeUndefined();
  }, 30_000);

  test('a zone whose cgroup is gone still halts: its init is known by its pid namespace, and takes the rest with it', async () => {
    const name = makeZone('g');
    const z = await bootZone(name, { ...opts, bootargs: SH });
    const con = await connectConsole(name, opts);
    const out = collect(con);
    con.write('(setsid sleep 985 </dev/null >/dev/null 2>&1 &); echo forked-$((2+1))\n');
    await waitFor('fork', () => out.text().includes('forked-3'));
    con.close();
    const cg = zoneCgroupFor(name, opts);
    const find = () => cg.pids().find((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8') === 'sleep\u0000985\u0000');
    await waitFor('the sleeper to exec', () => find() !== undefined);
    const sleeper = find()!;
    // Every process of the zone moved out to the host's root cgroups, the zone's removed.
    for (const pid of cg.pids()) for (const p of cg.paths) writeFileSync(join(p, '..', '..', 'cgroup.procs'), String(pid));
    cg.destroy();
    expect(cg.exists()).toBe(false);
    expect(zoneRuntimeState(name, opts)).toBe('running');
    await haltZone(name, opts);
    expect(processAlive(z.initPid)).toBe(false);
    expect(processAlive(sleeper)).toBe(false);
    expect(zoneRuntimeState(name, opts)).toBeUndefined();
  }, 30_000);

  test('a symlink the zone planted in a mount point\'s path leads inside the zone root, never to the host', async () => {
    const outside = join(base, 'outside');
    mkdirSync(outside);
    const shared = join(base, 'shared-sym');
    mkdirSync(shared, { recursive: true });
    const name = makeZone('y', { resources: [{ type: 'fs', props: { dir: '/mnt/esc/data', special: shared, type: 'lofs', options: ['ro'] } }] });
    // as the zone's root could have left it: /mnt/esc -> <a host directory>, which the zone lacks
    mkdirSync(join(zones, name, 'root', 'mnt'), { recursive: true });
    symlinkSync(outside, join(zones, name, 'root', 'mnt', 'esc'));
    await expect(bootZone(name, { ...opts, bootargs: MIN })).rejects.toThrow(
      'call to zoneadmd failed: /mnt/esc/data: mnt/esc is a symbolic link to nothing in the zone root',
    );
    expect(existsSync(join(outside, 'data'))).toBe(false);
    // once the zone has that path itself, the mount goes there, still inside the root
    mkdirSync(join(zones, name, 'root', outside), { recursive: true });
    await bootZone(name, { ...opts, bootargs: MIN });
    expect(existsSync(join(outside, 'data'))).toBe(false);
    expect(existsSync(join(zones, name, 'root', outside, 'data'))).toBe(true);
    expect(mountinfo(zoneRuntimeInfo(name, opts)!.initPid).some((m) => m.point === join(outside, 'data'))).toBe(true);
    await haltZone(name, opts);
  }, 30_000);

  test('nested writable fs: what the zone left in an outer one cannot carry an inner mount out of the root', async () => {
    const outer = join(base, 'nest-outer');
    const inner = join(base, 'nest-inner');
    const victim = join(base, 'nest-victim');
    for (const d of [outer, inner, victim]) mkdirSync(d, { recursive: true });
    const name = makeZone('n', {
      resources: [
        { type: 'fs', props: { dir: '/data', special: outer, type: 'lofs' } },
        { type: 'fs', props: { dir: '/data/www/html', special: inner, type: 'lofs' } },
      ],
    });
    // as the zone's root could leave /data between boots: /data/www/html -> a host directory
    mkdirSync(join(outer, 'www'));
    symlinkSync(victim, join(outer, 'www', 'html'));
    mkdirSync(join(zones, name, 'root', victim), { recursive: true }); // and that path inside the zone too
    const z = await bootZone(name, { ...opts, bootargs: MIN });
    const hostMounts = readFileSync(`/proc/${z.supervisorPid}/mountinfo`, 'utf8').split('\n').map((l) => l.split(' ')[4]);
    expect(hostMounts).not.toContain(victim);
    // inside the zone: the inner mount went to <root>/<victim>, the zone's own directory of that name
    expect(mountinfo(z.initPid).some((m) => m.point === victim)).toBe(true);
    await haltZone(name, opts);
  }, 30_000);

  test('a zone root on a filesystem that cannot be idmapped: the boot says which, nothing is left', async () => {
    const name = makeZone('i');
    const zroot = join(zones, name, 'root');
    // the root itself is the mount point (a symbolic link to one is refused before this check)
    const saved = join(base, `${name}-root`);
    execFileSync('mv', [zroot, saved]);
    mkdirSync(zroot);
    execFileSync('mount', ['-t', 'ramfs', 'zt-ramfs', zroot]);
    try {
      execFileSync('cp', ['-a', `${saved}/.`, zroot]);
      const err = await bootZone(name, { ...opts, bootargs: MIN }).catch((e: Error) => e);
      expect(err).toMatchObject({ code: 'Z_IDMAP' });
      expect((err as Error).message).toBe(
        `${zroot} is on a ramfs filesystem, which cannot be idmapped: a zone's root, inherit-pkg-dirs and fs resources must be on one that can (ext4, xfs, btrfs, tmpfs...; docs/security.md)`,
      );
      expect(zoneRuntimeState(name, opts)).toBeUndefined();
      expect(zoneCgroupFor(name, opts).exists()).toBe(false);
    } finally {
      execFileSync('umount', [zroot]);
    }
  }, 30_000);

  test('ready, then boot; a stale run directory reads as not running and is cleaned', async () => {
    const name = makeZone('r');
    const r = await readyZone(name, opts);
    expect(zoneRuntimeState(name, opts)).toBe('ready');
    expect(processStatusField(r.initPid, 'NSpid')!.split(/\s+/)).toEqual([String(r.initPid), '1']);
    await expect(readyZone(name, opts)).rejects.toMatchObject({ code: 'Z_ALREADY_READY' });
    const b = await bootZone(name, { ...opts, bootargs: MIN });
    expect(b.initPid).toBe(r.initPid);
    expect(b.zoneid).toBe(r.zoneid);
    expect(zoneRuntimeState(name, opts)).toBe('running');
    await waitFor('console log', () => readFileSync(consoleLogPath(name, root), 'utf8').includes(`zone '${name}' booted`));
    await haltZone(name, opts);

    // a crash left the run directory behind, its pids long gone
    const dir = runDir(name, root);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'zoneadmd.pid'), '999999\n');
    writeFileSync(join(dir, 'init.pid'), '999998\n');
    writeFileSync(join(dir, 'state'), 'running\n');
    writeFileSync(join(dir, 'zoneid'), '1\n');
    expect(zoneRuntimeState(name, opts)).toBeUndefined();
    expect(existsSync(dir)).toBe(false);
  }, 30_000);

  test('the console log is rotated to <log>.0 past ZONES_CONSOLE_LOG_MAX, losing nothing at the switch', async () => {
    const name = makeZone('l');
    const log = consoleLogPath(name, root);
    process.env.ZONES_CONSOLE_LOG_MAX = '20000';
    try {
      const script = 'i=0; while [ $i -lt 3000 ]; do echo console-line-$i; i=$((i+1)); done; exec /bin/sleep 1000';
      await bootZone(name, { ...opts, bootargs: ['-i', '/bin/sh', '-c', script] });
      await waitFor('the last line', () => existsSync(log) && readFileSync(log, 'utf8').includes('console-line-2999\r\n'));
    } finally {
      delete process.env.ZONES_CONSOLE_LOG_MAX;
    }
    await haltZone(name, opts);
    const older = readFileSync(`${log}.0`, 'utf8');
    const current = readFileSync(log, 'utf8');
    expect(older.length).toBeGreaterThanOrEqual(20000);
    expect(current.length).toBeLessThan(20000 + 4096);
    const nums = [...(older + current).matchAll(/console-line-(\d+)\r\n/g)].map((m) => Number(m[1]));
    expect(nums.at(-1)).toBe(2999);
    expect(nums.every((n, i) => i === 0 || n === nums[i - 1]! + 1)).toBe(true); // contiguous across the switch
  }, 30_000);

  test('boot time (median of 5) and supervisor memory', async () => {
    const name = makeZone('b');
    const times: number[] = [];
    let rss = 0;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const z = await bootZone(name, { ...opts, bootargs: MIN });
      times.push(performance.now() - t0);
      rss = Math.max(rss, rssKiB(z.supervisorPid));
      await haltZone(name, opts);
    }
    times.sort((a, b) => a - b);
    console.log(`bootZone median ${times[2]!.toFixed(1)} ms (${times.map((t) => t.toFixed(1)).join(', ')}); supervisor VmRSS ${rss} kB`);
  }, 60_000);
});
