/**
 * The zones service for real (docs/autoboot.md): `bin/zonesvc start|stop` against a temporary
 * ZONES_ROOT with real sparse zones, then the same through the command lines of the systemd unit
 * and of the init script it writes (this host's PID 1 is not systemd: the entry point is what
 * runs, as systemd or init would run it). The zones use the minimal init (`bootargs -i zsched`,
 * which ends on the shutdown request) or `/bin/sleep` as init (which ignores it). Every zone is
 * halted in afterAll, also when a test fails; processes are only ever touched by their exact pid.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execa } from 'execa';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'ini';
import { haltZone, zoneCgroupFor, zoneadmdPath } from '@zones/core/runtime/index';
import { processAlive } from '@zones/core/platform/proc';
import { traceLines } from '../../core/test/faults/trace.js';
import { zoneRunFiles } from './run-files.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = resolve(here, '../../..');
const bin = (t: string) => join(repo, 'bin', t);

const canRun = process.getuid?.() === 0 && existsSync(zoneadmdPath());
const d = canRun ? describe : describe.skip;
if (!canRun) console.warn('zonesvc e2e tests skipped: need root and the native zoneadmd (npm run build:native)');

const base = mkdtempSync(join(tmpdir(), 'zonesvc-e2e-'));
const root = join(base, 'zr');
const zones = join(base, 'zones');
const tag = `sv${process.pid % 100000}`;
const [A, B, C, D] = ['a', 'b', 'c', 'd'].map((s) => `${tag}${s}`) as [string, string, string, string];
const made: string[] = [];
const env = { ZONES_ROOT: root };
const run = (t: string, ...args: string[]) => execa(bin(t), args, { env, reject: false, input: '' });
const zonesvc = (...args: string[]) => run('zonesvc', ...args);

const { runFile, initPid, supervisorPid } = zoneRunFiles(root);

/** The zones zoneadm lists as in the kernel, global left out. */
async function up(): Promise<string[]> {
  const r = await run('zoneadm', 'list');
  expect(r.exitCode).toBe(0);
  return r.stdout.split('\n').filter((z) => z !== 'global').sort();
}

/** Nothing of the zone is left on the host: its processes, its cgroup, its run directory. */
function expectGone(z: string, pids: readonly number[]): void {
  for (const p of pids) expect([z, p, processAlive(p)]).toEqual([z, p, false]);
  expect([z, zoneCgroupFor(z, { root }).exists()]).toEqual([z, false]);
  expect([z, existsSync(join(root, 'var/run/zones', z))]).toEqual([z, false]);
}

async function configure(z: string, autoboot: boolean, bootargs = '-i zsched'): Promise<void> {
  const zp = join(zones, z);
  const r = await run('zonecfg', '-z', z, `create; set zonepath=${zp}; set autoboot=${autoboot}; set bootargs="${bootargs}"; commit`);
  expect([r.exitCode, r.stderr]).toEqual([0, '']);
  made.push(z);
  mkdirSync(zp, { mode: 0o700 });
}

async function install(z: string): Promise<void> {
  const i = await run('zoneadm', '-z', z, 'install');
  expect([z, i.exitCode, i.stderr]).toEqual([z, 0, '']);
}

beforeAll(async () => {
  if (!canRun) return;
  mkdirSync(zones, { recursive: true, mode: 0o755 });
  // configured one after the other (the index order, which start follows), installed at once
  await configure(A, true);
  await configure(B, true);
  await configure(C, false);
  await Promise.all([A, B, C].map(install));
}, 60_000);

afterAll(async () => {
  for (const z of made) await haltZone(z, { root }).catch(() => undefined);
  for (const z of made) expect(zoneCgroupFor(z, { root }).exists()).toBe(false);
  rmSync(base, { recursive: true, force: true });
}, 60_000);

d('zonesvc start / stop (real zones)', () => {
  test('start boots exactly the autoboot zones, which answer zlogin; a second start leaves them alone', async () => {
    const r = await zonesvc('start');
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([0, `Booting zones: ${A} ${B}.`, '']);
    expect(await up()).toEqual([A, B]);
    for (const z of [A, B]) expect((await run('zlogin', z, 'true')).exitCode).toBe(0);
    const inits = [initPid(A), initPid(B)];
    const again = await zonesvc('start');
    expect([again.exitCode, again.stdout, again.stderr]).toEqual([0, '', '']);
    expect([initPid(A), initPid(B)]).toEqual(inits);
    const st = await zonesvc('status');
    expect(st.stdout).toContain(`autoboot zones under ${root}:\n  ${A.padEnd(16)} running\n  ${B.padEnd(16)} running`);
    expect(st.stdout).not.toContain(C);
  }, 30_000);

  test('stop -t 2: the zone whose init ends on the request shuts down, the one that ignores it is halted after 2 s; nothing left', async () => {
    // B's init becomes one that ignores the shutdown request (sleep as PID 1 has no handler)
    expect((await run('zoneadm', '-z', B, 'halt')).exitCode).toBe(0);
    expect((await run('zoneadm', '-z', B, 'boot', '--', '-i', '/bin/sleep', '1000')).exitCode).toBe(0);
    const pids = { [A]: [initPid(A), supervisorPid(A)], [B]: [initPid(B), supervisorPid(B)] };
    const t0 = Date.now();
    const r = await zonesvc('stop', '-t', '2');
    const took = Date.now() - t0;
    expect([r.exitCode, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toBe(`Shutting down running zones (for up to 2 seconds): ${A} ${B}.\nZones failed to shutdown; trying to halt: ${B}.`);
    expect(took).toBeGreaterThanOrEqual(2000);
    expect(took).toBeLessThan(15_000);
    // A went down at the request, as its console says; B did not
    expect(readFileSync(join(root, 'var/log/zones', `${A}.console.log`), 'utf8')).toMatch(/zsched: zone '.*' halting on signal 15/);
    expect(await up()).toEqual([]);
    expectGone(A, pids[A]!);
    expectGone(B, pids[B]!);
    const again = await zonesvc('stop');
    expect([again.exitCode, again.stdout, again.stderr]).toEqual([0, '', '']);
  }, 30_000);

  test('zonesvc killed -9 in the middle of a start and of a stop: start and stop again finish the job', async () => {
    const killedAfter = (args: string[], line: RegExp) =>
      new Promise<NodeJS.Signals | null>((res) => {
        const p = spawn(bin('zonesvc'), args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
        p.stdout.on('data', (d: Buffer) => line.test(String(d)) && p.kill('SIGKILL'));
        p.on('exit', (_code, signal) => res(signal));
      });
    // the zoneadm runs the killed zonesvc had started (if it got that far) go on by themselves
    const zoneadmRuns = () =>
      readdirSync('/proc').filter((p) => {
        try {
          return /^\d+$/.test(p) && readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' ').includes(`zoneadm/bin/run.js -R ${root} -z`);
        } catch {
          return false;
        }
      });
    const settle = async () => {
      for (let i = 0; i < 200 && zoneadmRuns().length > 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(zoneadmRuns()).toEqual([]);
    };
    expect(await killedAfter(['start'], /^Booting zones/)).toBe('SIGKILL');
    await settle();
    const again = await zonesvc('start');
    expect([again.exitCode, again.stderr]).toEqual([0, '']);
    expect(await up()).toEqual([A, B]);
    expect(await killedAfter(['stop', '-t', '2'], /^Shutting down/)).toBe('SIGKILL');
    await settle();
    const s = await zonesvc('stop', '-t', '2');
    expect([s.exitCode, s.stderr]).toEqual([0, '']);
    expect(await up()).toEqual([]);
    for (const z of [A, B]) expectGone(z, []);
  }, 30_000);

  test('a broken autoboot zone is reported and the others still boot; exit 1', async () => {
    await configure(D, true);
    await install(D);
    rmSync(join(zones, D, 'root'), { recursive: true, force: true });
    const r = await zonesvc('start');
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe(`Booting zones: ${A} ${B} ${D}.`);
    const err = r.stderr.split('\n');
    expect(err.filter((l) => l.startsWith(`zoneadm: zone '${D}': `)).length).toBeGreaterThanOrEqual(1);
    expect(err[err.length - 1]).toBe(`zonesvc: 1 of 3 zones failed to boot: '${D}'`);
    expect(traceLines(r.stderr)).toEqual([]);
    expect(await up()).toEqual([A, B]);
    const s = await zonesvc('stop', '-t', '5');
    expect([s.exitCode, s.stderr]).toEqual([0, '']);
    expect(await up()).toEqual([]);
    // D out of the way for what follows
    expect((await run('zonecfg', '-z', D, 'set autoboot=false; commit')).exitCode).toBe(0);
  }, 30_000);

  test('the systemd unit and the init script run the same entry point: start and stop through their own command lines', async () => {
    const unitDir = join(base, 'systemd');
    expect((await zonesvc('install', '-d', unitDir, '-t', '5')).exitCode).toBe(0);
    const unit = parse(readFileSync(join(unitDir, 'zones.service'), 'utf8')) as Record<string, Record<string, string>>;
    // what systemd would run, without its environment: the root comes from the command line
    const exec = (line: string) => {
      const [cmd, ...args] = line.split(' ');
      return execa(cmd!, args, { reject: false, extendEnv: false, env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } });
    };
    const s = await exec(unit.Service!.ExecStart!);
    expect([s.exitCode, s.stdout, s.stderr]).toEqual([0, `Booting zones: ${A} ${B}.`, '']);
    expect(await up()).toEqual([A, B]);
    const pids = [A, B].flatMap((z) => [initPid(z), supervisorPid(z)]);
    const t = await exec(unit.Service!.ExecStop!);
    expect([t.exitCode, t.stderr]).toEqual([0, '']);
    expect(await up()).toEqual([]);
    for (const p of pids) expect(processAlive(p)).toBe(false);

    const initDir = join(base, 'init.d');
    expect((await zonesvc('install', '--init', 'sysv', '-d', initDir, '-t', '5')).exitCode).toBe(0);
    const script = join(initDir, 'zones');
    expect((await execa('sh', ['-n', script], { reject: false })).exitCode).toBe(0);
    const clean = { reject: false, extendEnv: false, env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } } as const;
    const ss = await execa(script, ['start'], clean);
    expect([ss.exitCode, ss.stdout, ss.stderr]).toEqual([0, `Booting zones: ${A} ${B}.`, '']);
    expect(await up()).toEqual([A, B]);
    for (const z of [A, B]) expect((await run('zlogin', z, 'true')).exitCode).toBe(0);
    const pids2 = [A, B].flatMap((z) => [initPid(z), supervisorPid(z)]);
    const st = await execa(script, ['stop'], clean);
    expect([st.exitCode, st.stderr]).toEqual([0, '']);
    expect(st.stdout).toBe(`Shutting down running zones (for up to 5 seconds): ${A} ${B}.`);
    expect(await up()).toEqual([]);
    for (const z of [A, B]) expectGone(z, []);
    for (const p of pids2) expect(processAlive(p)).toBe(false);
  }, 30_000);
});
