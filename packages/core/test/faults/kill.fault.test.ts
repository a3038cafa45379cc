/**
 * kill -9 of every long-running zoneadm subcommand at its fault points (core/src/fault-points.ts).
 * The real bin runs through packages/zoneadm/test/fixtures/zoneadm-faults.mjs, which holds it
 * still at the point named by the test; the test then kills it with SIGKILL. After each kill:
 * no hang (every command under a timeout), no stack trace, `zoneadm list -cv` shows a state zoneadm
 * can recover from, the recovery command works, and the zone is whole, at the old state or the
 * new one. Zones are set up through the store in-process (an install by hand) and booted with
 * core's bootZone, to keep the suite short; every zone is halted in afterAll by exact name.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execa, type ResultPromise } from 'execa';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZoneStore } from '@zones/core/store/zone-store';
import { IdmapStore, blockText, idmapKey } from '@zones/core/store/idmap';
import { blankTemplate } from '@zones/core/store/templates';
import { bootZone, haltZone, zoneCgroupFor, zoneRuntimeInfo, zoneadmdPath } from '@zones/core/runtime/index';
import { FAULT_POINTS, type FaultPointName } from '@zones/core/fault-points';
import type { ZoneState } from '@zones/core/model/states';
import { traceLines } from './trace.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const BIN = resolve(here, '../../../zoneadm/test/fixtures/zoneadm-faults.mjs');

const base = mkdtempSync(join(tmpdir(), 'zoneadm-faults-'));
chmodSync(base, 0o755);
const root = join(base, 'zr');
const zones = join(base, 'zones');
const template = join(base, 'template');
const store = new ZoneStore(root);
const made: string[] = [];

const isRoot = process.getuid?.() === 0;
const canBoot = isRoot && existsSync(zoneadmdPath()) && zoneCgroupFor('probe', { root }).missing().length === 0;
if (!canBoot) console.warn('kill.fault: the lifecycle cases are skipped: need root, the native zoneadmd and the cgroup hierarchies');
const dBoot = canBoot ? describe : describe.skip;

type Run = { exitCode?: number; signal?: string; stdout: string; stderr: string; timedOut: boolean };

function zoneadm(args: string[], env: Record<string, string> = {}): ResultPromise {
  return execa('node', [BIN, ...args], {
    env: { ZONES_ROOT: root, ZONES_TEST_TEMPLATE: template, ...env },
    reject: false, stdin: 'ignore', timeout: 25_000, killSignal: 'SIGKILL',
  });
}

/** What a zoneadm run must never print: a stack trace, Node's banner, an error class at line start. */
function expectClean(what: string, r: Run): void {
  const text = `${r.stdout}\n${r.stderr}`;
  const bad = traceLines(text);
  expect([what, r.timedOut, bad]).toEqual([what, false, []]);
}

/** Runs `args` and kills it (SIGKILL) once it holds at `point`; fails if it ends without reaching it. */
async function killAt(args: string[], point: FaultPointName): Promise<void> {
  const ready = join(base, `ready-${point.replace(':', '-')}-${args.join('-').replace(/\//g, '_')}`);
  rmSync(ready, { force: true });
  const child = zoneadm(args, { ZONES_TEST_FAULT: point, ZONES_TEST_FAULT_READY: ready });
  let ended = false;
  const done = child.then((r) => {
    ended = true;
    return r;
  });
  const end = Date.now() + 25_000;
  while (!existsSync(ready) && !ended && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  if (!existsSync(ready)) {
    child.kill('SIGKILL');
    const r = (await done) as unknown as Run;
    throw new Error(`zoneadm ${args.join(' ')} ended without reaching ${point}: exit ${r.exitCode}\n${r.stderr}`);
  }
  child.kill('SIGKILL');
  const r = (await done) as unknown as Run;
  expect([point, r.signal]).toEqual([point, 'SIGKILL']);
}

async function run(args: string[]): Promise<Run> {
  const r = (await zoneadm(args)) as unknown as Run;
  expectClean(args.join(' '), r);
  return r;
}

async function ok(args: string[]): Promise<Run> {
  const r = await run(args);
  expect([args.join(' '), r.exitCode, r.stderr]).toEqual([args.join(' '), 0, expect.any(String)]);
  return r;
}

/** The STATUS column of `zoneadm list -cv` for `z`. */
async function listed(z: string): Promise<string | undefined> {
  const r = await run(['list', '-cv']);
  expect(r.exitCode).toBe(0);
  return r.stdout.split('\n').map((l) => l.trim().split(/\s+/)).find((f) => f[1] === z)?.[2];
}

/** A configured zone `z` (its zonepath under zones/, not created). */
function configured(z: string): string {
  const c = blankTemplate(z);
  c.globals.zonepath = join(zones, z);
  store.save(c);
  made.push(z);
  return c.globals.zonepath;
}

/** An installed zone, installed by hand: zonepath 0700, root a copy of the template. */
function installed(z: string): string {
  const zp = configured(z);
  mkdirSync(zp, { mode: 0o700 });
  cpSync(template, join(zp, 'root'), { recursive: true });
  chmodSync(join(zp, 'root'), 0o755);
  store.setState(z, 'installed');
  return zp;
}

const state = (z: string): ZoneState | undefined => new ZoneStore(root).get(z)?.state;
const whole = (zp: string) => existsSync(join(zp, 'root/etc/motd'));

/** Nothing of `z` in the kernel: no run directory, no cgroup, no supervisor or init alive. */
function expectDown(z: string): void {
  expect([z, zoneRuntimeInfo(z, { root }), zoneCgroupFor(z, { root }).anyExists(), existsSync(join(root, 'var/run/zones', z))]).toEqual([
    z, undefined, false, false,
  ]);
}

beforeAll(() => {
  mkdirSync(zones, { mode: 0o755 });
  mkdirSync(join(template, 'etc'), { recursive: true });
  writeFileSync(join(template, 'etc/motd'), 'hello\n');
});

afterAll(async () => {
  for (const z of made) {
    if (zoneRuntimeInfo(z, { root }) || zoneCgroupFor(z, { root }).anyExists()) {
      await haltZone(z, { root }).catch(() => undefined);
    }
  }
  rmSync(base, { recursive: true, force: true });
}, 60_000);

test('every fault point of the table is one this suite kills at', () => {
  const used = new Set(CASES.map((c) => c.point));
  expect(Object.values(FAULT_POINTS).flat().filter((p) => !used.has(p))).toEqual([]);
});

interface Case {
  point: FaultPointName;
}
const CASES: Case[] = [];
const at = (...points: FaultPointName[]) => {
  for (const p of points) CASES.push({ point: p });
  return points;
};

describe('kill -9 of the operations on disk', () => {
  test.concurrent.each(at('install:verified', 'install:incomplete', 'install:installed-files'))('install at %s', async (point) => {
    const z = `i${point.split(':')[1]!.slice(0, 6)}`;
    configured(z);
    await killAt(['-z', z, 'install'], point);
    const s = await listed(z);
    expect(['configured', 'incomplete']).toContain(s);
    if (s === 'incomplete') {
      expect((await run(['-z', z, 'install'])).stderr).toBe(`zoneadm: zone '${z}': zone is incomplete; uninstall required.`);
      await ok(['-z', z, 'uninstall', '-F']);
    }
    await ok(['-z', z, 'install']);
    expect(state(z)).toBe('installed');
  }, 90_000);

  test.concurrent.each(at('uninstall:incomplete', 'uninstall:removed'))('uninstall at %s', async (point) => {
    const z = `u${point.split(':')[1]!.slice(0, 6)}`;
    const zp = installed(z);
    await killAt(['-z', z, 'uninstall', '-F'], point);
    expect(await listed(z)).toBe('incomplete');
    await ok(['-z', z, 'uninstall', '-F']);
    expect([state(z), existsSync(join(zp, 'root'))]).toEqual(['configured', false]);
  }, 90_000);

  test.concurrent.each(at('clone:verified', 'clone:incomplete', 'clone:copied', 'clone:identity'))('clone at %s', async (point) => {
    const tag = point.split(':')[1]!.slice(0, 6);
    const src = `cs${tag}`;
    const szp = installed(src);
    const z = `ct${tag}`;
    const tzp = configured(z);
    await killAt(['-z', z, 'clone', src], point);
    const s = await listed(z);
    expect(['configured', 'incomplete']).toContain(s);
    expect([state(src), whole(szp)]).toEqual(['installed', true]);
    if (s === 'incomplete') await ok(['-z', z, 'uninstall', '-F']);
    await ok(['-z', z, 'clone', src]);
    expect([state(z), whole(tzp), readFileSync(join(tzp, 'root/etc/hostname'), 'utf8')]).toEqual(['installed', true, `${z}\n`]);
  }, 90_000);

  test.concurrent.each(at('move:journal', 'move:emptied-target', 'move:after-rename', 'move:saved'))('move at %s', async (point) => {
    const z = `m${point.split(':')[1]!.slice(0, 6)}`;
    const from = installed(z);
    const to = join(zones, `${z}-new`);
    await killAt(['-z', z, 'move', to], point);
    expect(await listed(z)).toBe('installed');
    // The next command finishes or undoes the move: the zone is whole where its configuration says.
    await ok(['-z', z, 'verify']);
    const zp = store.load(z)!.globals.zonepath;
    expect([[from, to].includes(zp), store.get(z)!.zonepath, whole(zp)]).toEqual([true, zp, true]);
    expect(existsSync(join(root, 'etc/zones', `.${z}.move`))).toBe(false);
    // ... and it can be moved on (or back).
    const next = zp === to ? from : to;
    await ok(['-z', z, 'move', next]);
    expect([store.get(z)!.zonepath, whole(next), existsSync(zp)]).toEqual([next, true, false]);
  }, 90_000);

  test.concurrent.each(at('move:after-copy'))('move across file systems at %s', async (point) => {
    const z = 'mxcopy';
    const from = installed(z);
    const other = join(base, 'otherfs');
    mkdirSync(other, { mode: 0o755 });
    await execa('mount', ['-t', 'tmpfs', '-o', 'mode=0755,size=16m', 'zonefault', other]);
    try {
      const to = join(other, z);
      await killAt(['-z', z, 'move', to], point);
      expect(await listed(z)).toBe('installed');
      await ok(['-z', z, 'verify']);
      expect([store.get(z)!.zonepath, whole(from), existsSync(to)]).toEqual([from, true, false]);
      await ok(['-z', z, 'move', to]);
      expect([store.get(z)!.zonepath, whole(to), existsSync(from)]).toEqual([to, true, false]);
      await ok(['-z', z, 'move', from]);
    } finally {
      await execa('umount', [other]);
    }
  }, 90_000);

  test.concurrent.each(at('detach:manifest'))('detach at %s', async (point) => {
    const z = 'dmanif';
    const zp = installed(z);
    await killAt(['-z', z, 'detach'], point);
    expect(await listed(z)).toBe('installed');
    await ok(['-z', z, 'detach']);
    expect([state(z), existsSync(join(zp, 'SUNWdetached.yaml'))]).toEqual(['configured', true]);
  }, 90_000);

  test.concurrent.each(at('attach:idmap'))('attach at %s, the zone given a new id block', async (point) => {
    // The manifest asks for the block another zone holds here: attach reserves the next free one.
    const holder = 'aholdr';
    configured(holder);
    const held = new IdmapStore(root).allocate(idmapKey(store.get(holder)!));
    const z = 'aidmap';
    const zp = installed(z);
    await ok(['-z', z, 'detach']);
    const mp = join(zp, 'SUNWdetached.yaml');
    writeFileSync(mp, `${readFileSync(mp, 'utf8')}idmap:\n  uid: ${held.uid}\n  gid: ${held.gid}\n  count: 65536\n`);
    const key = idmapKey(store.get(z)!);
    await killAt(['-z', z, 'attach'], point);
    // configured, owning one block (never the holder's); nothing else changed
    expect(await listed(z)).toBe('configured');
    const got = new IdmapStore(root).lookup(key)!;
    // (other cases of this suite run at the same time and hold blocks too: every block has its zone)
    const orphans = () => [...new IdmapStore(root).read().keys()].filter((k) => !new ZoneStore(root).list().some((e) => idmapKey(e) === k));
    expect([got.uid === held.uid, orphans()]).toEqual([false, []]);
    // attach again keeps that block, says so again, and finishes
    const r = await ok(['-z', z, 'attach']);
    expect(r.stderr).toBe(
      `zoneadm: zone '${z}': WARNING: id block ${blockText(held)} cannot be kept: it is in use by zone '${holder}' on this system; the zone now uses ${blockText(got)}.`,
    );
    expect([state(z), new IdmapStore(root).lookup(key), orphans()]).toEqual(['installed', got, []]);
    // and deleting the zone gives the block back
    store.remove(z);
    expect(new IdmapStore(root).read().has(key)).toBe(false);
  }, 90_000);

  test.concurrent.each(at('attach:installed'))('attach at %s', async (point) => {
    const z = 'ainst';
    const zp = installed(z);
    await ok(['-z', z, 'detach']);
    await killAt(['-z', z, 'attach'], point);
    // installed with a stale manifest: detach replaces it, attach takes it again
    expect(await listed(z)).toBe('installed');
    await ok(['-z', z, 'detach']);
    await ok(['-z', z, 'attach']);
    expect([state(z), existsSync(join(zp, 'SUNWdetached.yaml')), whole(zp)]).toEqual(['installed', false, true]);
  }, 90_000);

  test.concurrent.each(at('export:rootfs'))('export -t oci-bundle at %s', async (point) => {
    const z = 'expbundle';
    const zp = installed(z);
    // an init of the zone's own: the bundle's runtime has no built-in one
    mkdirSync(join(zp, 'root/sbin'));
    writeFileSync(join(zp, 'root/sbin/init'), '#!/bin/sh\nexec sleep 1000\n', { mode: 0o755 });
    const out = join(base, 'exported');
    await killAt(['-z', z, 'export', '-t', 'oci-bundle', out], point);
    // the zone is as it was; the bundle is not there, only the hidden work directory of the killed export
    expect([await listed(z), existsSync(out)]).toEqual(['installed', false]);
    const stale = () => readdirSync(base).filter((n) => n.startsWith('.exported.partial-'));
    expect(stale()).toHaveLength(1);
    // the next export removes it and writes the bundle
    await ok(['-z', z, 'export', '-t', 'oci-bundle', out]);
    expect([stale(), existsSync(join(out, 'config.json')), existsSync(join(out, 'rootfs/etc/motd'))]).toEqual([[], true, true]);
  }, 90_000);

  test.concurrent.each(at('export:image-layer'))('export -t oci-image at %s', async (point) => {
    const z = 'eimage';
    installed(z);
    const dir = join(base, 'image-out');
    await killAt(['-z', z, 'export', '-t', 'oci-image', dir], point);
    // No DIR that looks complete; the hidden sibling is what the next export to DIR removes.
    const partials = () => readdirSync(base).filter((n) => n.startsWith('.image-out.partial-'));
    expect([await listed(z), existsSync(dir), partials().length]).toEqual(['installed', false, 1]);
    const again = await ok(['-z', z, 'export', '-t', 'oci-image', dir]);
    expect([readdirSync(dir).sort(), partials()]).toEqual([['blobs', 'index.json', 'oci-layout'], []]);
    // This root has no init: the image gets no entrypoint, and the export says so.
    expect(again.stderr).toBe(`zoneadm: zone '${z}': WARNING: the zone has no executable /sbin/init; the image has no entrypoint: give podman a command to run`);
  }, 90_000);
});

dBoot('kill -9 of the lifecycle', () => {
  /** After the kill: the zone is either down or running (never half up), and halt brings it down. */
  async function recoverByHaltAndBoot(z: string): Promise<void> {
    const s = await listed(z);
    expect(['installed', 'ready', 'running']).toContain(s);
    await ok(['-z', z, 'halt']);
    expect(await listed(z)).toBe('installed');
    expectDown(z);
    await ok(['-z', z, 'boot', '--', '-i', 'zsched']);
    expect(await listed(z)).toBe('running');
    await ok(['-z', z, 'halt']);
    expectDown(z);
  }

  test.concurrent.each(at('boot:rundir', 'boot:cgroup', 'boot:started'))('boot at %s', async (point) => {
    const z = `b${point.split(':')[1]!.slice(0, 6)}`;
    installed(z);
    await killAt(['-z', z, 'boot', '--', '-i', 'zsched'], point);
    await recoverByHaltAndBoot(z);
  }, 90_000);

  test.concurrent.each(['boot:rundir', 'boot:started'] as FaultPointName[])('ready at %s', async (point) => {
    const z = `r${point.split(':')[1]!.slice(0, 6)}`;
    installed(z);
    await killAt(['-z', z, 'ready'], point);
    await recoverByHaltAndBoot(z);
  }, 90_000);

  test.concurrent.each(at('halt:killed', 'halt:cleaned'))('halt at %s', async (point) => {
    const z = `h${point.split(':')[1]!.slice(0, 6)}`;
    installed(z);
    await bootZone(z, { root, bootargs: ['-i', 'zsched'] });
    await killAt(['-z', z, 'halt'], point);
    await recoverByHaltAndBoot(z);
  }, 90_000);

  test.concurrent.each(['reboot:halted', 'boot:cgroup'] as FaultPointName[])('reboot at %s', async (point) => {
    const z = `rb${point.split(':')[1]!.slice(0, 6)}`;
    installed(z);
    await bootZone(z, { root, bootargs: ['-i', 'zsched'] });
    await killAt(['-z', z, 'reboot', '--', '-i', 'zsched'], point);
    await recoverByHaltAndBoot(z);
  }, 90_000);
  at('reboot:halted');

  // shutdown -r: the zone's init leaves on SIGTERM, then the boot again is killed
  test.concurrent.each(['shutdown:signalled', 'boot:cgroup'] as FaultPointName[])('shutdown -r at %s', async (point) => {
    const z = `sd${point.split(':')[1]!.slice(0, 6)}`;
    installed(z);
    await bootZone(z, { root, bootargs: ['-i', 'zsched'] });
    await killAt(['-z', z, 'shutdown', '-r', '--', '-i', 'zsched'], point);
    await recoverByHaltAndBoot(z);
  }, 90_000);
  at('shutdown:signalled');
});
