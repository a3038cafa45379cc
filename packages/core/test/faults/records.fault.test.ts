/**
 * Fault injection on a zone's host-side records (run files, zone ids, cgroups, addresses, links):
 * every way a zone can lose its bookkeeping (its init exits by itself, its supervisor is killed,
 * its run directory is removed, its run files are truncated or hold garbage), then the next
 * `zoneadm halt`, `boot` or `uninstall -F`. The rule asserted per case: no stack trace, no hang
 * (every command under a timeout), the zone reads right meanwhile (never ID 0, never a second
 * instance), and afterwards nothing of the zone is left on the host. A pid file naming another
 * process (a host one, another zone's init) must never make zoneadm act on it.
 *
 * zoneadm runs inside a network namespace of this test's own (`ip netns exec`, with the host's
 * cgroup hierarchies mounted again: host-cgroups.ts), which plays the global zone's network: the
 * shared-IP addresses go on a bridge made here (no address, no port), the exclusive-IP zones'
 * bridges are made by their boots. The namespace, the processes started here and every zone are
 * removed in afterAll, also on failure; only names made here (with this process's pid) are touched.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZoneStore } from '../../src/store/zone-store.js';
import { defaultTemplate } from '../../src/store/templates.js';
import type { Resource } from '../../src/model/types.js';
import { processAlive, processStatusField } from '../../src/platform/proc.js';
import { zoneadmdPath, zoneCgroupFor, zoneCgroupOptions, haltZone } from '../../src/runtime/index.js';
import { prepareSparseRoot } from '../runtime/sparse-root.js';
import { remountHostCgroups } from '../runtime/host-cgroups.js';
import { traceLines } from './trace.js';

const canRun = process.getuid?.() === 0 && existsSync(zoneadmdPath()) && spawnSync('ip', ['-V']).status === 0;
const d = canRun ? describe : describe.skip;
if (!canRun) console.warn('records fault tests skipped: need root, iproute2 and the native supervisor');

const ZONEADM = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../zoneadm/bin/run.js');
const ZONECFG = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../zonecfg/bin/run.js');
const base = mkdtempSync(join(tmpdir(), 'zones-rec-'));
const root = join(base, 'zr');
const store = new ZoneStore(root);
const opts = { root };
const id = process.pid % 100000;
const tag = `rf${id}`;
/** The admin's bridge: shared-IP addresses go on it; no zone may ever remove it. */
const ADMIN_BR = `zfa${id}`;
/** A bridge no one made: the exclusive-IP boots create it, the last halt must remove it. */
const ZONE_BR = `zfz${id}`;
const NETNS = `zones-rec-${process.pid}`;
const MIN = ['-i', 'zsched'];
const runBase = join(root, 'var/run/zones');
const made: string[] = [];
const children: ChildProcess[] = [];
let netnsMade = false;
let seq = 0;
let addr = 10;

type Kind = 'plain' | 'shared' | 'exclusive';

function makeZone(kind: Kind): string {
  const name = `${tag}${kind[0]}${seq++}`;
  const cfg = defaultTemplate(name);
  cfg.globals.zonepath = join(base, 'zones', name);
  if (kind === 'exclusive') cfg.globals['ip-type'] = 'exclusive';
  const nets: Resource['props'][] =
    kind === 'shared' ? [{ physical: ADMIN_BR, address: `192.0.2.${addr++}` }] : kind === 'exclusive' ? [{ physical: ZONE_BR }] : [];
  for (const props of nets) cfg.resources.push({ type: 'net', props });
  store.save(cfg);
  prepareSparseRoot(cfg.globals.zonepath);
  store.setState(name, 'installed');
  made.push(name);
  return name;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** zoneadm in the test's network namespace, as an admin types it (under a timeout: a hang fails). */
function zoneadm(...args: string[]): Run {
  return inNetns(ZONEADM, args);
}

function inNetns(bin: string, args: string[]): Run {
  const cmd = `${remountHostCgroups()}exec node "$@"`;
  const r = spawnSync('ip', ['netns', 'exec', NETNS, 'sh', '-c', cmd, 'sh', bin, ...args], {
    env: { ...process.env, ZONES_ROOT: root },
    encoding: 'utf8',
    timeout: 30_000,
  });
  const out = { status: r.status, stdout: r.stdout, stderr: r.stderr };
  expect(r.error).toBeUndefined(); // a timeout
  expectNoTrace(out);
  return out;
}

function expectNoTrace(r: Run): void {
  expect(traceLines(`${r.stdout}\n${r.stderr}`)).toEqual([]);
}

const ip = (...args: string[]) => spawnSync('ip', ['-n', NETNS, ...args], { encoding: 'utf8' }).stdout ?? '';
const readRun = (zone: string, file: string) => readFileSync(join(runBase, zone, file), 'utf8').trim();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, cond: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

function boot(zone: string, ...bootargs: string[]): { init: number; supervisor: number; zoneid: number } {
  expect(zoneadm('-z', zone, 'boot', '--', ...(bootargs.length ? bootargs : MIN))).toEqual({ status: 0, stdout: '', stderr: '' });
  return { init: Number(readRun(zone, 'init.pid')), supervisor: Number(readRun(zone, 'zoneadmd.pid')), zoneid: Number(readRun(zone, 'zoneid')) };
}

/** The zone's line of `zoneadm list -p`: [id, state]. */
function listed(zone: string, run: (args: string[]) => Run = (a) => zoneadm(...a)): [string, string] {
  const r = run(['list', '-cp']);
  expect(r.status).toBe(0);
  const line = r.stdout.split('\n').find((l) => l.split(':')[1] === zone);
  const f = line?.split(':') ?? [];
  return [f[0] ?? '?', f[2] ?? '?'];
}

/** Processes of the zone's cgroup that are PID 1 of a pid namespace: its inits. */
function inits(zone: string): number[] {
  const cg = zoneCgroupFor(zone, opts);
  if (!cg.anyExists()) return [];
  return cg.pids().filter((p) => {
    const ns = processStatusField(p, 'NSpid')?.split(/\s+/);
    return ns?.length === 2 && ns[1] === '1';
  });
}

/** Everything a zone of this root may have left on the host; [] when clean. */
function leftovers(extraPids: number[] = []): string[] {
  const out: string[] = [];
  const parent = zoneCgroupOptions(opts).parent!;
  for (const h of readdirSync('/sys/fs/cgroup')) {
    if (existsSync(join('/sys/fs/cgroup', h, parent))) out.push(`cgroup ${h}/${parent}`);
  }
  try {
    for (const f of readdirSync(runBase)) if (!f.endsWith('.zoneadm.lock')) out.push(`run file ${f}`);
  } catch {
    // no run directory at all
  }
  for (const line of ip('-o', 'addr', 'show', 'dev', ADMIN_BR).split('\n')) {
    if (/inet 192\.0\.2\./.test(line)) out.push(`address ${line.trim().split(/\s+/)[3]}`);
  }
  for (const line of ip('-o', 'link', 'show').split('\n')) {
    const name = line.split(': ')[1]?.split('@')[0];
    if (name && (name.startsWith('zn') || name === ZONE_BR)) out.push(`link ${name}`);
  }
  if (!ip('-o', 'link', 'show', 'dev', ADMIN_BR).includes(ADMIN_BR)) out.push(`the admin's bridge ${ADMIN_BR} was removed`);
  for (const p of extraPids) if (processAlive(p)) out.push(`process ${p}`);
  return out;
}

/** A host process that no zone owns: no pid file naming it may get it killed. */
function hostProcess(): number {
  const c = spawn('sleep', ['600'], { stdio: 'ignore' });
  children.push(c);
  return c.pid!;
}

beforeAll(() => {
  mkdirSync(join(base, 'zones'), { recursive: true, mode: 0o755 });
  chmodSync(base, 0o755); // the unprivileged list below must reach ZONES_ROOT
  if (!canRun) return;
  spawnSync('ip', ['netns', 'add', NETNS]);
  netnsMade = true;
  ip('link', 'add', ADMIN_BR, 'type', 'bridge');
  ip('link', 'set', ADMIN_BR, 'up');
});

/** Ends a zone of this test whatever state its records are in: zoneadm first, then by hand. */
async function endZone(name: string): Promise<void> {
  if (netnsMade) {
    spawnSync('ip', ['netns', 'exec', NETNS, 'sh', '-c', `${remountHostCgroups()}exec node "$@"`, 'sh', ZONEADM, '-z', name, 'halt'], {
      env: { ...process.env, ZONES_ROOT: root },
      timeout: 30_000,
    });
  }
  await haltZone(name, opts).catch(() => undefined);
  const cg = zoneCgroupFor(name, opts);
  if (cg.anyExists()) {
    await cg.killAll().catch(() => undefined);
    try {
      cg.destroy();
    } catch {
      // reported by the leak check
    }
  }
  cg.removeEmptyParent();
}

/** What a failed case left, removed so that the next case starts clean (its own assertions came first). */
function scrub(): void {
  try {
    for (const f of readdirSync(runBase)) if (!f.endsWith('.zoneadm.lock')) rmSync(join(runBase, f), { recursive: true, force: true });
  } catch {
    // none
  }
  if (!netnsMade) return;
  for (const line of ip('-o', 'addr', 'show', 'dev', ADMIN_BR).split('\n')) {
    const a = /inet (192\.0\.2\.\d+\/\d+)/.exec(line)?.[1];
    if (a) ip('addr', 'del', a, 'dev', ADMIN_BR);
  }
  for (const line of ip('-o', 'link', 'show').split('\n')) {
    const name = line.split(': ')[1]?.split('@')[0];
    if (name && (name.startsWith('zn') || name === ZONE_BR)) ip('link', 'del', name);
  }
}

let caseStart = 0;
beforeEach(() => {
  caseStart = made.length;
});
afterEach(async () => {
  for (const name of made.slice(caseStart)) await endZone(name);
  scrub();
}, 120_000);

afterAll(async () => {
  for (const name of made) await endZone(name);
  scrub();
  for (const c of children) c.kill('SIGKILL');
  if (netnsMade) spawnSync('ip', ['netns', 'del', NETNS]);
  rmSync(base, { recursive: true, force: true });
}, 120_000);

/** The recovery commands after a zone halted behind zoneadm's back. */
const RECOVERIES: Record<string, (zone: string) => void> = {
  halt: (zone) => {
    expect(zoneadm('-z', zone, 'halt')).toEqual({ status: 0, stdout: '', stderr: `zoneadm: zone '${zone}': zone is already halted\n` });
  },
  'boot, then halt': (zone) => {
    boot(zone);
    expect(zoneadm('-z', zone, 'halt')).toEqual({ status: 0, stdout: '', stderr: '' });
  },
  'uninstall -F': (zone) => {
    expect(zoneadm('-z', zone, 'uninstall', '-F')).toMatchObject({ status: 0, stderr: '' });
  },
  'uninstall -F, then zonecfg delete -F': (zone) => {
    expect(zoneadm('-z', zone, 'uninstall', '-F')).toMatchObject({ status: 0, stderr: '' });
    expect(inNetns(ZONECFG, ['-z', zone, 'delete', '-F'])).toEqual({ status: 0, stdout: '', stderr: '' });
  },
  'zonecfg delete -F': (zone) => {
    expect(inNetns(ZONECFG, ['-z', zone, 'delete', '-F'])).toEqual({ status: 0, stdout: '', stderr: '' });
  },
};

d('the next halt, boot or uninstall undoes every record', () => {
  describe.each(['plain', 'shared', 'exclusive'] as const)('a %s zone whose init exits by itself', (kind) => {
    test.each(Object.keys(RECOVERIES))('then %s', async (recovery) => {
      const z = makeZone(kind);
      const b = boot(z);
      process.kill(b.init, 'SIGTERM'); // zsched exits on it, as the zone's own halt makes it
      await waitFor('the supervisor to finish', () => !processAlive(b.supervisor));
      expect(listed(z)).toEqual(['-', 'installed']);
      // The supervisor alone undid all but the network record (and an exclusive-IP zone's bridge),
      // which the next zoneadm command finishes.
      const early = leftovers().filter((l) => l !== `run file .${z}.net` && !(kind === 'exclusive' && /^(link|run file \.bridge)/.test(l)));
      expect(early).toEqual([]);
      RECOVERIES[recovery]!(z);
      expect(leftovers([b.init, b.supervisor])).toEqual([]);
    });
  });

  test.each(['plain', 'shared', 'exclusive'] as const)('a %s zone whose supervisor is killed -9: boot says booted, halt ends it', async (kind) => {
    const z = makeZone(kind);
    const b = boot(z);
    process.kill(b.supervisor, 'SIGKILL');
    await waitFor('the supervisor to die', () => !processAlive(b.supervisor));
    expect(listed(z)).toEqual([String(b.zoneid), 'running']);
    expect(zoneadm('-z', z, 'boot', '--', ...MIN)).toEqual({ status: 0, stdout: '', stderr: `zoneadm: zone '${z}': zone is already booted\n` });
    expect(inits(z)).toEqual([b.init]);
    expect(zoneadm('-z', z, 'halt')).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(leftovers([b.init])).toEqual([]);
  });

  test.each(['plain', 'shared', 'exclusive'] as const)('a %s zone whose run directory is removed: one instance, its own id, halt ends it', async (kind) => {
    const z = makeZone(kind);
    const b = boot(z);
    const caps = readRun(z, 'caps');
    rmSync(join(runBase, z), { recursive: true, force: true });
    expect(listed(z)).toEqual([String(b.zoneid), 'running']);
    expect(zoneadm('-z', z, 'boot', '--', ...MIN)).toEqual({ status: 0, stdout: '', stderr: `zoneadm: zone '${z}': zone is already booted\n` });
    expect(inits(z)).toEqual([b.init]);
    expect(processAlive(b.supervisor)).toBe(true);
    // its run files written again from the live zone
    expect([readRun(z, 'init.pid'), readRun(z, 'zoneadmd.pid'), readRun(z, 'zoneid'), readRun(z, 'state'), readRun(z, 'caps')]).toEqual([
      String(b.init), String(b.supervisor), String(b.zoneid), 'running', caps,
    ]);
    expect(listed(z)).toEqual([String(b.zoneid), 'running']);
    // Another zone booted meanwhile does not get the lost zone's id.
    const other = makeZone('plain');
    const o = boot(other);
    expect(o.zoneid).not.toBe(b.zoneid);
    expect(o.zoneid).toBeGreaterThan(0);
    expect(zoneadm('-z', z, 'halt')).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(zoneadm('-z', other, 'halt')).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(leftovers([b.init, b.supervisor, o.init, o.supervisor])).toEqual([]);
  });

  test('a zone whose run directory and zone id record are both removed gets a new id, never 0', async () => {
    const z = makeZone('shared');
    const b = boot(z);
    rmSync(join(runBase, z), { recursive: true, force: true });
    rmSync(join(runBase, `.zoneid.${b.zoneid}`), { force: true });
    expect(listed(z)[0]).not.toBe('0'); // nothing left to tell it is running: not listed as the global zone's id either
    expect(zoneadm('-z', z, 'boot', '--', ...MIN).stderr).toBe(`zoneadm: zone '${z}': zone is already booted\n`);
    const [again] = listed(z);
    expect(Number(again)).toBeGreaterThan(0);
    expect(zoneadm('-z', z, 'halt')).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(leftovers([b.init, b.supervisor])).toEqual([]);
  });

  const files = ['zoneadmd.pid', 'init.pid', 'zoneid', 'state', 'pidns', 'caps'];
  test.each(files)('%s truncated: the zone reads right, halt ends it', async (file) => {
    const z = makeZone('shared');
    const b = boot(z);
    writeFileSync(join(runBase, z, file), '');
    expect(listed(z)).toEqual([String(b.zoneid), 'running']);
    expect(zoneadm('-z', z, 'halt')).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(leftovers([b.init, b.supervisor])).toEqual([]);
  });

  test.each([['0'], ['garbage'], ['-1'], ['99999999999999999999']])('zoneid %s: never shown, never leaked', async (value) => {
    const z = makeZone('shared');
    const b = boot(z);
    writeFileSync(join(runBase, z, 'zoneid'), `${value}\n`);
    expect(listed(z)).toEqual([String(b.zoneid), 'running']);
    expect(zoneadm('-z', z, 'halt')).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(leftovers([b.init, b.supervisor])).toEqual([]);
  });

  test('zoneadmd.pid naming a live host process: halt never kills it', async () => {
    const z = makeZone('plain');
    const b = boot(z);
    const victim = hostProcess();
    writeFileSync(join(runBase, z, 'zoneadmd.pid'), `${victim}\n`);
    expect(listed(z)).toEqual([String(b.zoneid), 'running']);
    expect(zoneadm('-z', z, 'halt')).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(processAlive(victim)).toBe(true);
    expect(leftovers([b.init, b.supervisor])).toEqual([]);
  });

  test('init.pid naming a live host process, with pidns gone: halt never kills it', async () => {
    const z = makeZone('plain');
    const b = boot(z);
    const victim = hostProcess();
    writeFileSync(join(runBase, z, 'init.pid'), `${victim}\n`);
    rmSync(join(runBase, z, 'pidns'));
    expect(listed(z)).toEqual([String(b.zoneid), 'running']);
    expect(zoneadm('-z', z, 'halt')).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(processAlive(victim)).toBe(true);
    expect(leftovers([b.init, b.supervisor])).toEqual([]);
  });

  test('a host process in both pid files: halt ends the zone, never that process', async () => {
    const z = makeZone('plain');
    const b = boot(z);
    const victim = hostProcess();
    for (const f of ['init.pid', 'zoneadmd.pid']) writeFileSync(join(runBase, z, f), `${victim}\n`);
    rmSync(join(runBase, z, 'pidns'));
    expect(listed(z)).toEqual([String(b.zoneid), 'running']);
    expect(zoneadm('-z', z, 'halt')).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(processAlive(victim)).toBe(true);
    expect(leftovers([b.init, b.supervisor])).toEqual([]);
  });

  test('zoneadmd.pid truncated, .booting naming a live host process long after its boot: halt ends the zone, never that process', async () => {
    const z = makeZone('plain');
    const b = boot(z);
    const victim = hostProcess();
    process.kill(b.supervisor, 'SIGKILL'); // nothing tidies the run directory behind halt's back
    await waitFor('the supervisor to die', () => !processAlive(b.supervisor));
    writeFileSync(join(runBase, z, 'zoneadmd.pid'), '');
    writeFileSync(join(runBase, z, '.booting'), `${victim}\n`);
    const old = new Date(Date.now() - 10 * 60_000);
    utimesSync(join(runBase, z, '.booting'), old, old);
    expect(listed(z)).toEqual([String(b.zoneid), 'running']);
    expect(zoneadm('-z', z, 'halt')).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(processAlive(victim)).toBe(true);
    expect(leftovers([b.init, b.supervisor])).toEqual([]);
  });

  test('a zone whose init is gone and whose supervisor lingers: shutting_down, shutdown refused, halt ends it', async () => {
    const z = makeZone('plain');
    const dir = join(runBase, z);
    mkdirSync(dir, { recursive: true });
    // A supervisor that lost its init and has not exited (a stand-in with its command line).
    const lingering = spawn('bash', ['-c', 'sleep 600; :', 'zoneadmd', '--rundir', dir], { stdio: 'ignore' });
    children.push(lingering);
    await waitFor('the stand-in supervisor', () => readFileSync(`/proc/${lingering.pid}/cmdline`, 'utf8').includes('--rundir'));
    writeFileSync(join(dir, 'zoneadmd.pid'), `${lingering.pid}\n`);
    writeFileSync(join(dir, 'state'), 'running\n');
    expect(listed(z)).toEqual(['-', 'shutting_down']);
    expect(zoneadm('-z', z, 'shutdown')).toEqual({
      status: 1,
      stdout: '',
      stderr: `zoneadm: zone '${z}': shutdown operation is invalid for zones in state 'shutting_down'\n`,
    });
    expect(zoneadm('-z', z, 'halt')).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(leftovers([lingering.pid!])).toEqual([]);
  });

  test("init.pid and pidns of another zone's init: halting one zone leaves the other running", async () => {
    const a = makeZone('plain');
    const other = makeZone('plain');
    const ba = boot(a);
    const bo = boot(other);
    for (const f of ['init.pid', 'pidns']) writeFileSync(join(runBase, a, f), readFileSync(join(runBase, other, f)));
    expect(zoneadm('-z', a, 'halt')).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(processAlive(bo.init)).toBe(true);
    expect(listed(other)).toEqual([String(bo.zoneid), 'running']);
    expect(zoneadm('-z', other, 'halt')).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(leftovers([ba.init, ba.supervisor, bo.init, bo.supervisor])).toEqual([]);
  });

  test("the zone's root fills its pid space, its supervisor is killed and its run directory removed: halt still ends every process", async () => {
    const z = makeZone('plain');
    const script = 'i=0; while [ $i -lt 100 ]; do (sleep 600 &); i=$((i+1)); done; exec sleep 600';
    const b = boot(z, '-i', '/bin/sh', '-c', script);
    await waitFor('the zone to fill up', () => zoneCgroupFor(z, opts).pids().length > 100, 10_000);
    const pids = zoneCgroupFor(z, opts).pids();
    process.kill(b.supervisor, 'SIGKILL');
    rmSync(join(runBase, z), { recursive: true, force: true });
    expect(listed(z)[1]).toBe('running');
    expect(zoneadm('-z', z, 'halt')).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(leftovers([b.init, ...pids])).toEqual([]);
  });
});

d('bridges made by exclusive-IP boots', () => {
  test('the last zone using a bridge it made removes it; an admin bridge stays', async () => {
    const a = makeZone('exclusive');
    const b = makeZone('exclusive');
    boot(a);
    boot(b);
    expect(ip('-o', 'link', 'show', 'dev', ZONE_BR)).toContain(ZONE_BR);
    expect(zoneadm('-z', a, 'halt').status).toBe(0);
    expect(ip('-o', 'link', 'show', 'dev', ZONE_BR)).toContain(ZONE_BR); // b still uses it
    expect(zoneadm('-z', b, 'halt').status).toBe(0);
    expect(leftovers()).toEqual([]);
  });

  test('a bridge the admin made, even one named like ours, is never removed', async () => {
    ip('link', 'add', ZONE_BR, 'type', 'bridge');
    try {
      const a = makeZone('exclusive');
      boot(a);
      expect(zoneadm('-z', a, 'halt').status).toBe(0);
      expect(ip('-o', 'link', 'show', 'dev', ZONE_BR)).toContain(ZONE_BR);
    } finally {
      ip('link', 'del', ZONE_BR);
    }
    expect(leftovers()).toEqual([]);
  });
});

d('zoneadm list as an unprivileged user', () => {
  test('shows a running zone as running, with its id; the console socket and the seccomp filter stay private', async () => {
    const z = makeZone('plain');
    const b = boot(z);
    const asNobody = (args: string[]): Run => {
      const r = spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'node', ZONEADM, ...args], {
        env: { ...process.env, ZONES_ROOT: root },
        encoding: 'utf8',
        timeout: 30_000,
      });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    expect(listed(z, asNobody)).toEqual([String(b.zoneid), 'running']);
    const v = asNobody(['list', '-v']);
    expect(v.stdout).toMatch(new RegExp(`^ +${b.zoneid} ${z} +running `, 'm'));
    const nobody = spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'sh', '-c', `ls ${join(runBase, z)}; cat ${join(runBase, z, 'seccomp')}`], { encoding: 'utf8' });
    expect(nobody.stdout).toBe(''); // neither the listing nor the filter
    expect(zoneadm('-z', z, 'halt').status).toBe(0);
    expect(leftovers([b.init, b.supervisor])).toEqual([]);
  });
});
