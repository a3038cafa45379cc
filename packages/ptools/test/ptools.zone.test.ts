/**
 * The process tools as child processes against two zones the test boots with core's bootZone
 * (root only): a `sleep` started in each through zlogin, one on the host; zps, zpgrep, zpkill and
 * zprstat tell them apart by zone, and a process of zone a that makes cgroups named after zone b
 * and renames itself after b's init still shows as a's. Every zone is halted, every process the
 * test started ended by pid, the temporary ZONES_ROOT removed, in afterAll, also on failure.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZoneStore } from '@zones/core/store/zone-store';
import { defaultTemplate } from '@zones/core/store/templates';
import { bootZone, haltZone, zoneadmdPath } from '@zones/core/runtime/index';
import { zoneCgroupFor, zoneRuntimeInfo } from '@zones/core/runtime/state';
import { zoneCgroupParent } from '@zones/core/runtime/cgroup-parent';
import { zenterPath } from '@zones/core/zlogin/login';
import { prepareSparseRoot } from '../../core/test/runtime/sparse-root.js';
import { traceLines } from '../../core/test/faults/trace.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const ZLOGIN = resolve(here, '../../zlogin/bin/run.js');
const REPO = resolve(here, '../../..');
const canRun = process.getuid?.() === 0 && existsSync(zoneadmdPath()) && existsSync(zenterPath());
const d = canRun ? describe : describe.skip;
if (!canRun) console.warn('ptools zone tests skipped: need root and the native helpers (npm run build:native)');

const base = mkdtempSync(join(tmpdir(), 'ptools-zone-'));
const root = join(base, 'zr');
const store = new ZoneStore(root);
const tag = `zp${process.pid % 100000}`;
const A = `${tag}a`;
const B = `${tag}b`;
const made: string[] = [];
let hostSleep: ChildProcess | undefined;

function tool(name: string, args: string[]) {
  const r = spawnSync('node', [resolve(here, `../bin/${name}.js`), ...args], { encoding: 'utf8', env: { ...process.env, ZONES_ROOT: root }, timeout: 20_000 });
  expect(traceLines(r.stdout + r.stderr)).toEqual([]);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function zloginRun(zone: string, cmd: string) {
  return spawnSync('node', [ZLOGIN, zone, cmd], { encoding: 'utf8', env: { ...process.env, ZONES_ROOT: root }, timeout: 20_000 });
}

function zlogin(zone: string, cmd: string) {
  const r = zloginRun(zone, cmd);
  expect(r.status).toBe(0);
  return r.stdout;
}

/** The host pids of a zone's processes whose comm is `comm`, from the zone's cgroup (the ground truth). */
function zonePids(zone: string, comm: string): number[] {
  return zoneCgroupFor(zone, { root })
    .pids()
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === comm;
      } catch {
        return false;
      }
    })
    .sort((x, y) => x - y);
}

const alive = (pid: number) => {
  try {
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

async function waitFor(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  if (!canRun) return;
  mkdirSync(join(base, 'zones'), { recursive: true, mode: 0o755 });
  for (const name of [A, B]) {
    const cfg = defaultTemplate(name);
    cfg.globals.zonepath = join(base, 'zones', name);
    // this checkout, read-only, so that the bins can be tried from inside a zone
    if (name === A) cfg.resources.push({ type: 'fs', props: { dir: REPO, special: REPO, type: 'lofs', options: ['ro'] } });
    store.save(cfg);
    made.push(name);
    prepareSparseRoot(cfg.globals.zonepath);
    store.setState(name, 'installed');
    await bootZone(name, { root, bootargs: ['-i', 'zsched'] });
  }
  zlogin(A, 'sleep 6001 </dev/null >/dev/null 2>&1 &');
  zlogin(B, 'sleep 6002 </dev/null >/dev/null 2>&1 &');
  hostSleep = spawn('sleep', ['6003'], { stdio: 'ignore' });
  await waitFor(() => zonePids(A, 'sleep').length === 1 && zonePids(B, 'sleep').length === 1, 'the sleeps in both zones');
}, 90_000);

afterAll(async () => {
  hostSleep?.kill('SIGKILL');
  for (const name of made) await haltZone(name, { root }).catch(() => undefined);
  rmSync(base, { recursive: true, force: true });
}, 60_000);

d('process tools against two running zones', () => {
  test('zps -z a lists the processes of a and not those of b', () => {
    const r = tool('zps', ['-z', A, '-o', 'zone,pid,args']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').slice(1);
    const [a] = zonePids(A, 'sleep');
    const [b] = zonePids(B, 'sleep');
    expect(lines.every((l) => l.trim().startsWith(`${A} `))).toBe(true);
    expect(lines.some((l) => l.trim().split(/\s+/)[1] === String(a))).toBe(true);
    expect(lines.some((l) => l.trim().split(/\s+/)[1] === String(b))).toBe(false);
  });

  test('zps -e -o zone,pid,comm shows both zones and the host with the right zone names; -Z heads the listing with ZONE', () => {
    const r = tool('zps', ['-e', '-o', 'zone,zoneid,pid,comm']);
    expect(r.code).toBe(0);
    const rows = new Map(r.stdout.trim().split('\n').slice(1).map((l) => {
      const [zone, zoneid, pid] = l.trim().split(/\s+/);
      return [Number(pid), { zone, zoneid: Number(zoneid) }];
    }));
    expect(rows.get(zonePids(A, 'sleep')[0]!)).toEqual({ zone: A, zoneid: zoneRuntimeInfo(A, { root })!.zoneid });
    expect(rows.get(zonePids(B, 'sleep')[0]!)).toEqual({ zone: B, zoneid: zoneRuntimeInfo(B, { root })!.zoneid });
    expect(rows.get(hostSleep!.pid!)).toEqual({ zone: 'global', zoneid: 0 });
    expect(rows.get(process.pid)).toEqual({ zone: 'global', zoneid: 0 });
    expect(tool('zps', ['-Z', '-p', String(hostSleep!.pid)]).stdout).toMatch(/^ {4}ZONE {3}PID TTY {9}TIME CMD\n {2}global +\d+ \? +0:00 sleep\n$/);
  });

  test('zpgrep -z a sleep finds exactly the sleep of a; by zone id too', () => {
    const a = zonePids(A, 'sleep');
    expect(tool('zpgrep', ['-z', A, 'sleep'])).toEqual({ code: 0, stdout: `${a.join('\n')}\n`, stderr: '' });
    expect(tool('zpgrep', ['-z', String(zoneRuntimeInfo(B, { root })!.zoneid), '-f', 'sleep 6002'])).toEqual({ code: 0, stdout: `${zonePids(B, 'sleep').join('\n')}\n`, stderr: '' });
    expect(tool('zpgrep', ['-z', A, '-f', 'sleep 6002'])).toEqual({ code: 1, stdout: '', stderr: '' });
  });

  test('zprstat -Z 1 1: a line for each zone with its id and process count', () => {
    const r = tool('zprstat', ['-Z', '1', '1']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('ZONEID    NPROC  SWAP   RSS MEMORY      TIME  CPU ZONE                        ');
    for (const z of [A, B]) {
      const id = zoneRuntimeInfo(z, { root })!.zoneid;
      const n = zoneCgroupFor(z, { root }).pids().length;
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^ {0,5}${id} +${n} .*% ${z} *$`)));
    }
    expect(lines).toContainEqual(expect.stringMatching(/^ {5}0 +\d+ .*% global *$/));
    expect(lines).toContainEqual(expect.stringMatching(/^Total: \d+ processes, \d+ lwps, load averages: /));
  });

  test("a process of a in a cgroup named after b's, renamed after b's init, stays a's", async () => {
    const parent = zoneCgroupParent(root);
    // What the zone's root may do: cgroups below its payload (its /sys/fs/cgroup), its own comm.
    zlogin(
      A,
      `cg=/sys/fs/cgroup/pids/${parent}/${B}/payload; mkdir -p $cg && ` +
        `sh -c 'echo $$ > '$cg'/cgroup.procs; printf zsched > /proc/self/comm; sleep 6004' </dev/null >/dev/null 2>&1 &`,
    );
    await waitFor(() => zonePids(A, 'zsched').length === 2, "the impostor in a's cgroup");
    const impostor = zonePids(A, 'zsched').find((p) => readFileSync(`/proc/${p}/cgroup`, 'utf8').includes(`/${B}/payload`))!;
    expect(readFileSync(`/proc/${impostor}/cgroup`, 'utf8')).toMatch(new RegExp(`:pids:/${parent}/${A}/payload/${parent}/${B}/payload\\n`));
    const row = tool('zps', ['-p', String(impostor), '-o', 'zone=', '-o', 'fname=']).stdout.trim().split(/\s+/);
    expect(row).toEqual([A, 'zsched']);
    expect(tool('zpgrep', ['-z', B, '-x', 'zsched']).stdout).not.toMatch(new RegExp(`\\b${impostor}\\b`));
    expect(tool('zpgrep', ['-z', A, '-x', 'zsched']).stdout.split('\n')).toContain(String(impostor));
  });

  test('inside a zone, even as its root, every tool refuses: the other zones are out of its sight', () => {
    const sleeps = [...zonePids(A, 'sleep'), ...zonePids(B, 'sleep')];
    for (const [t, args, status] of [['zps', '-e', 1], ['zpgrep', 'sleep', 3], ['zpkill', '-9 sleep', 3], ['zprstat', '-Z 1 1', 1]] as const) {
      const r = zloginRun(A, `node ${REPO}/packages/ptools/bin/${t}.js ${args}`);
      expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status, stdout: '', stderr: `${t}: '${t}' may only be used from the global zone\n` });
    }
    expect(sleeps.every(alive)).toBe(true);
  });

  test("zpkill -z a sleep ends a's sleeps and leaves b's and the host's alone", async () => {
    const a = zonePids(A, 'sleep');
    const b = zonePids(B, 'sleep');
    expect(a.length).toBeGreaterThan(0);
    expect(tool('zpkill', ['-z', A, 'sleep'])).toEqual({ code: 0, stdout: '', stderr: '' });
    await waitFor(() => a.every((p) => !alive(p)), "a's sleeps to end");
    expect(b.every(alive)).toBe(true);
    expect(alive(hostSleep!.pid!)).toBe(true);
    expect(tool('zpkill', ['-z', A, 'sleep'])).toEqual({ code: 1, stdout: '', stderr: '' });
    expect(tool('zpkill', ['-KILL', '-z', B, '-x', 'sleep'])).toEqual({ code: 0, stdout: '', stderr: '' });
    await waitFor(() => b.every((p) => !alive(p)), "b's sleep to end");
    expect(alive(hostSleep!.pid!)).toBe(true);
  });
});
