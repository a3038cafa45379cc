/**
 * ready / boot / halt / reboot / shutdown through the real bin/zoneadm, on a sparse zone made by
 * the real installer, as root, under a temporary ZONES_ROOT. The zone uses the built-in minimal
 * init (`-i zsched`): a sparse zone inherits the host's systemd as /sbin/init through /usr.
 * Every zone booted here is halted in afterAll (haltZone) even when a test fails; processes are
 * only ever touched by their exact pid.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { haltZone, zoneCgroupFor, zoneadmdPath } from '@zones/core/runtime/index';
import { processAlive } from '@zones/core/platform/proc';
import { ZoneStore } from '@zones/core/store/zone-store';
import { zoneRunFiles } from './run-files.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = resolve(here, '../../..');
const ZONECFG = join(repo, 'bin/zonecfg');
const ZONEADM = join(repo, 'bin/zoneadm');

const canRun = process.getuid?.() === 0 && existsSync(zoneadmdPath());
const d = canRun ? describe : describe.skip;
if (!canRun) console.warn('lifecycle tests skipped: need root and the native zoneadmd (npm run build:native)');

const base = mkdtempSync(join(tmpdir(), 'zoneadm-lc-'));
const root = join(base, 'zr');
const zones = join(base, 'zones');
const tag = `lc${process.pid % 100000}`;
const Z = `${tag}a`;
const made: string[] = [];
const env = () => ({ ZONES_ROOT: root });
const zonecfg = (...args: string[]) => execa(ZONECFG, args, { env: env(), reject: false, input: '' });
const zoneadm = (...args: string[]) => execa(ZONEADM, args, { env: env(), reject: false, input: '' });
const zerr = (z: string, m: string) => `zoneadm: zone '${z}': ${m}`;

const { runFile, initPid, supervisorPid } = zoneRunFiles(root);
const argv0 = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
const cgroup = (z: string) => zoneCgroupFor(z, { root });
const persisted = (z: string) => new ZoneStore(root).get(z)?.state;

async function configure(z: string, extra = ''): Promise<string> {
  const zp = join(zones, z);
  const r = await zonecfg('-z', z, `create; set zonepath=${zp}${extra}; commit`);
  expect([r.exitCode, r.stderr]).toEqual([0, '']);
  made.push(z);
  return zp;
}

/** Everything of a halted zone is gone: its init, its supervisor, its cgroup, its run directory. */
function expectGone(z: string, pids: number[]): void {
  for (const p of pids) expect([p, processAlive(p)]).toEqual([p, false]);
  expect(cgroup(z).exists()).toBe(false);
  expect(existsSync(join(root, 'var/run/zones', z))).toBe(false);
}

async function listRow(z: string, flags = '-v'): Promise<string | undefined> {
  const r = await zoneadm('list', flags);
  expect(r.exitCode).toBe(0);
  return r.stdout.split('\n').find((l) => (flags.includes('p') ? l.split(':')[1] === z : l.split(/\s+/).includes(z)));
}

beforeAll(async () => {
  if (!canRun) return;
  mkdirSync(zones, { recursive: true, mode: 0o755 });
  const zp = await configure(Z);
  mkdirSync(zp, { mode: 0o700 });
  const r = await zoneadm('-z', Z, 'install');
  expect([r.exitCode, r.stderr]).toEqual([0, '']);
}, 60_000);

afterAll(async () => {
  for (const z of made) await haltZone(z, { root }).catch(() => undefined);
  for (const z of made) expect(cgroup(z).exists()).toBe(false);
  rmSync(base, { recursive: true, force: true });
}, 60_000);

d('zoneadm boot / halt / ready / reboot / shutdown (real zones)', () => {
  test('boot -- -i zsched: running with a zone id in every list form; boot again is a no-op', async () => {
    const r = await zoneadm('-z', Z, 'boot', '--', '-i', 'zsched');
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([0, '', '']);
    const id = Number(runFile(Z, 'zoneid'));
    expect(id).toBeGreaterThanOrEqual(1);
    expect(argv0(initPid(Z))).toBe('zsched');
    const zp = join(zones, Z);
    expect(await listRow(Z, '-v')).toBe(
      `${String(id).padStart(4)} ${Z.padEnd(16)} ${'running'.padEnd(10)} ${zp.padEnd(30)} ${'native'.padEnd(8)} shared`,
    );
    expect(await listRow(Z, '-p')).toMatch(new RegExp(`^${id}:${Z}:running:${zp}:[0-9a-f-]{36}:native:shared:0$`));
    for (const f of ['', '-i', '-c', '-cv', '-ip']) {
      const out = (await zoneadm('list', ...(f ? [f] : []))).stdout.split('\n');
      // kernel zones first: global (0), then this one
      expect(out[f.includes('v') ? 1 : 0]).toMatch(/(^|\s|:)global(\s|:|$)/);
      expect(out[f.includes('v') ? 2 : 1]).toContain(Z);
    }
    // -z through oclif and the fast path agree
    expect((await zoneadm('-z', Z, 'list', '-p')).stdout).toMatch(new RegExp(`^${id}:${Z}:running:`));

    const again = await zoneadm('-z', Z, 'boot', '--', '-i', 'zsched');
    expect([again.exitCode, again.stderr]).toEqual([0, zerr(Z, 'zone is already booted')]);
  }, 30_000);

  test('a running zone cannot be uninstalled, cloned from, moved or detached', async () => {
    const u = await zoneadm('-z', Z, 'uninstall', '-F');
    expect([u.exitCode, u.stderr]).toEqual([1, zerr(Z, 'uninstall operation is invalid for running zones.')]);
    expect(persisted(Z)).toBe('installed');
    const m = await zoneadm('-z', Z, 'move', join(zones, 'elsewhere'));
    expect([m.exitCode, m.stderr]).toEqual([1, zerr(Z, 'move operation is invalid for running zones.')]);
    const dt = await zoneadm('-z', Z, 'detach');
    expect([dt.exitCode, dt.stderr]).toEqual([1, zerr(Z, 'detach operation is invalid for running zones.')]);
    const mk = await zoneadm('-z', Z, 'mark', 'incomplete');
    expect(mk.exitCode).toBe(1);
    const target = `${tag}c`;
    await configure(target);
    const c = await zoneadm('-z', target, 'clone', Z);
    expect([c.exitCode, c.stderr]).toEqual([1, zerr(target, 'clone operation is invalid for running zones.')]);
    expect(persisted(target)).toBe('configured');
    expect(existsSync(join(root, 'var/run/zones', Z))).toBe(true);
  }, 30_000);

  test('halt: installed, every process and the cgroup gone; halt again is a no-op', async () => {
    const pids = [initPid(Z), supervisorPid(Z)];
    const h = await zoneadm('-z', Z, 'halt');
    expect([h.exitCode, h.stdout, h.stderr]).toEqual([0, '', '']);
    expectGone(Z, pids);
    expect(await listRow(Z, '-iv')).toMatch(new RegExp(`^ {3}- ${Z} +installed `));
    expect(await listRow(Z, '-v')).toBeUndefined();
    const again = await zoneadm('-z', Z, 'halt');
    expect([again.exitCode, again.stderr]).toEqual([0, zerr(Z, 'zone is already halted')]);
    const rb = await zoneadm('-z', Z, 'reboot');
    expect([rb.exitCode, rb.stderr]).toEqual([1, zerr(Z, 'not running')]);
    const sd = await zoneadm('-z', Z, 'shutdown');
    expect([sd.exitCode, sd.stderr]).toEqual([1, zerr(Z, 'not running')]);
  }, 30_000);

  test('ready, then boot from ready; reboot gives a new init', async () => {
    const r = await zoneadm('-z', Z, 'ready');
    expect([r.exitCode, r.stderr]).toEqual([0, '']);
    expect(await listRow(Z, '-v')).toMatch(new RegExp(`^ +\\d+ ${Z} +ready `));
    const again = await zoneadm('-z', Z, 'ready');
    expect([again.exitCode, again.stderr]).toEqual([0, zerr(Z, 'zone is already ready')]);
    const rb = await zoneadm('-z', Z, 'reboot');
    expect([rb.exitCode, rb.stderr]).toEqual([1, zerr(Z, "reboot operation is invalid for zones in state 'ready'")]);
    const u = await zoneadm('-z', Z, 'uninstall', '-F');
    expect([u.exitCode, u.stderr]).toEqual([1, zerr(Z, 'uninstall operation is invalid for ready zones.')]);

    const b = await zoneadm('-z', Z, 'boot', '--', '-i', 'zsched');
    expect([b.exitCode, b.stderr]).toEqual([0, '']);
    expect(await listRow(Z, '-v')).toMatch(new RegExp(`^ +\\d+ ${Z} +running `));
    const first = initPid(Z);
    expect(argv0(first)).toBe('zsched');

    const re = await zoneadm('-z', Z, 'reboot', '--', '-i', 'zsched');
    expect([re.exitCode, re.stderr]).toEqual([0, '']);
    const second = initPid(Z);
    expect(second).not.toBe(first);
    expect(processAlive(first)).toBe(false);
    expect(argv0(second)).toBe('zsched');
    expect(await listRow(Z, '-v')).toMatch(new RegExp(`^ +\\d+ ${Z} +running `));
  }, 30_000);

  test('shutdown with the minimal init completes quickly; the configured bootargs; shutdown -r', async () => {
    const pids = [initPid(Z), supervisorPid(Z)];
    const t0 = Date.now();
    const s = await zoneadm('-z', Z, 'shutdown');
    expect([s.exitCode, s.stdout, s.stderr]).toEqual([0, '', '']);
    expect(Date.now() - t0).toBeLessThan(5000);
    expectGone(Z, pids);
    expect(readFileSync(join(root, 'var/log/zones', `${Z}.console.log`), 'utf8')).toMatch(/zsched: zone '.*' halting on signal 15/);

    // bootargs from the configuration when none are given
    expect((await zonecfg('-z', Z, 'set bootargs="-i zsched"; commit')).exitCode).toBe(0);
    expect((await zoneadm('-z', Z, 'boot')).exitCode).toBe(0);
    const first = initPid(Z);
    expect(argv0(first)).toBe('zsched');
    const sr = await zoneadm('-z', Z, 'shutdown', '-r');
    expect([sr.exitCode, sr.stderr]).toEqual([0, '']);
    const second = initPid(Z);
    expect(second).not.toBe(first);
    expect(processAlive(first)).toBe(false);
    expect(await listRow(Z, '-v')).toMatch(new RegExp(`^ +\\d+ ${Z} +running `));
    const bad = await zoneadm('-z', Z, 'shutdown', '--', '-s');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/^usage:\tshutdown \[-r \[-- boot_arguments\]\]/);
  }, 30_000);

  test('shutdown of an init that ignores the request: progress, then halted after the timeout', async () => {
    if (runFile(Z, 'init.pid') !== undefined) expect((await zoneadm('-z', Z, 'halt')).exitCode).toBe(0);
    // sleep as PID 1 has no handler: signals from the host are dropped
    expect((await zoneadm('-z', Z, 'boot', '--', '-i', '/bin/sleep', '1000')).exitCode).toBe(0);
    const pids = [initPid(Z), supervisorPid(Z)];
    const t0 = Date.now();
    const pending = execa(ZONEADM, ['-z', Z, 'shutdown'], { env: { ...env(), ZONES_SHUTDOWN_TIMEOUT: '2' }, reject: false, input: '' });
    await new Promise((r) => setTimeout(r, 700));
    // the shutdown holds the zone's operation lock while it waits
    const h = await zoneadm('-z', Z, 'halt');
    expect([h.exitCode, h.stderr]).toEqual([1, zerr(Z, 'another zoneadm may have an operation in progress.')]);
    const s = await pending;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2000);
    expect(s.exitCode).toBe(0);
    expect(s.stdout).toMatch(new RegExp(`^Waiting for zone ${Z} to shut down \\(\\d+s left\\): 1 process still running: sleep$`));
    expect(s.stderr).toBe(zerr(Z, 'did not shut down within 2 seconds; halting it.'));
    expectGone(Z, pids);
    expect((await zoneadm('-z', Z, 'boot', '--', '-i', 'zsched')).exitCode).toBe(0);
  }, 30_000);

  test('the supervisor killed with -9: the zone still runs, and halt still stops everything', async () => {
    if (runFile(Z, 'init.pid') === undefined) expect((await zoneadm('-z', Z, 'boot', '--', '-i', 'zsched')).exitCode).toBe(0);
    const init = initPid(Z);
    const sup = supervisorPid(Z);
    process.kill(sup, 'SIGKILL');
    for (let i = 0; i < 200 && processAlive(sup); i++) await new Promise((r) => setTimeout(r, 10));
    expect(processAlive(sup)).toBe(false);
    expect(processAlive(init)).toBe(true);
    expect(await listRow(Z, '-v')).toMatch(new RegExp(`^ +\\d+ ${Z} +running `));
    const h = await zoneadm('-z', Z, 'halt');
    expect([h.exitCode, h.stderr]).toEqual([0, '']);
    expectGone(Z, [init, sup]);
  }, 30_000);

  test('a double-forked process inside the zone is killed by halt', async () => {
    expect((await zoneadm('-z', Z, 'boot', '--', '-i', 'zsched')).exitCode).toBe(0);
    const init = initPid(Z);
    const cg = cgroup(Z);
    // Join the zone's cgroup, enter its namespaces, and leave an orphan behind (reparented to init).
    const joins = cg.paths.map((p) => `echo $$ > ${p}/cgroup.procs`).join('; ');
    execFileSync('sh', ['-c', `${joins}; exec nsenter -t ${init} -a sh -c '(setsid sleep 1000 </dev/null >/dev/null 2>&1 &) ; exit 0'`], {
      stdio: 'ignore',
    });
    // The subshells that did the double fork take a moment to exec sleep and to exit.
    let strays: number[] = [];
    for (let i = 0; i < 250; i++) {
      strays = cg.pids().filter((p) => p !== init);
      if (strays.length >= 1 && strays.every((p) => argv0(p) === 'sleep')) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(strays.length).toBeGreaterThanOrEqual(1);
    for (const p of strays) expect(argv0(p)).toBe('sleep');
    const h = await zoneadm('-z', Z, 'halt');
    expect([h.exitCode, h.stderr]).toEqual([0, '']);
    expectGone(Z, [init, ...strays]);
  }, 30_000);

  // A sparse zone's /sbin/init is the host's systemd (through /usr), running as the zone's root in
  // its user namespace, with a cgroup tree of its own to manage.
  (existsSync('/lib/systemd/systemd') ? test : test.skip)('plain boot runs systemd to its targets; its cgroups stay in the zone\'s payload; shutdown', async () => {
    const z = `${tag}s`;
    const zp = await configure(z);
    mkdirSync(zp, { mode: 0o700 });
    expect((await zoneadm('-z', z, 'install')).exitCode).toBe(0);
    expect((await zoneadm('-z', z, 'boot')).exitCode).toBe(0);
    expect(argv0(initPid(z))).toMatch(/systemd|init/);
    // basic.target: what every service waits for. Whether the zone gets further (running, or
    // degraded) depends on the services of the host's /etc it copied (a database, LXC...).
    const t0 = Date.now();
    let state = '';
    while (state !== 'active' && Date.now() - t0 < 40_000) {
      await new Promise((r) => setTimeout(r, 200));
      state = (await execa(join(repo, 'bin/zlogin'), [z, 'systemctl is-active basic.target'], { env: env(), reject: false })).stdout.trim();
    }
    console.log(`systemd in a sparse zone: basic.target ${state} after ${Date.now() - t0} ms`);
    expect(state).toBe('active');
    const sys = await execa(join(repo, 'bin/zlogin'), [z, 'systemctl is-system-running'], { env: env(), reject: false });
    expect(sys.stdout.trim()).toMatch(/^(starting|running|degraded)$/);
    // systemd made its cgroups (init.scope, system.slice) under the payload, nowhere else
    const named = cgroup(z).paths.find((p) => p.includes('/systemd/'))!;
    expect(existsSync(join(named, 'payload', 'init.scope'))).toBe(true);
    expect(readFileSync(`/proc/${initPid(z)}/cgroup`, 'utf8')).toMatch(new RegExp(`^\\d+:name=systemd:/zones\\.[0-9a-f]+/${z}/payload/init\\.scope$`, 'm'));
    const pids = [initPid(z), supervisorPid(z)];
    const sd = await zoneadm('-z', z, 'shutdown');
    expect(sd.exitCode).toBe(0);
    expectGone(z, pids);
    expect(persisted(z)).toBe('installed');
  }, 60_000);
});
