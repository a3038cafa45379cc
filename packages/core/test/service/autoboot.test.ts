/**
 * The zones service's start and stop (core/src/service/autoboot.ts) with the zone operations
 * replaced by recording ones: which zones, how many at once, what is reported. No zone is booted
 * (the real runs: packages/zoneadm/test/zonesvc.e2e.test.ts).
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { startPlan, startZones, stopZones, BOOT_PARALLEL, type ZoneOpResult, type ZoneOps } from '../../src/service/autoboot.js';
import { addZone, makeEnv, type Env } from '../zoneadm/helpers.js';

let env: Env;
beforeEach(() => {
  env = makeEnv();
});
afterEach(() => env.cleanup());

function autobootZone(name: string, autoboot: boolean, state: 'installed' | 'configured' = 'installed'): void {
  addZone(env, name, { state });
  const cfg = env.store.load(name)!;
  cfg.globals.autoboot = String(autoboot);
  env.store.save(cfg);
}

/** Ops that take `ms` each, fail for the zones in `fail`, throw for those in `crash`, and record concurrency. */
function fakeOps(opts: { ms?: number; fail?: string[]; crash?: string[] } = {}) {
  const calls: string[] = [];
  let running = 0;
  let peak = 0;
  const op = (what: string) => async (zone: string): Promise<ZoneOpResult> => {
    calls.push(`${what} ${zone}`);
    running++;
    peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, opts.ms ?? 5));
    running--;
    if (opts.crash?.includes(zone)) throw new Error('spawn /usr/bin/node ENOENT');
    if (opts.fail?.includes(zone)) return { ok: false, stdout: '', stderr: `zoneadm: zone '${zone}': broken\n` };
    return { ok: true, stdout: '', stderr: '' };
  };
  const ops: ZoneOps = { boot: op('boot'), halt: op('halt') };
  return { ops, calls, peak: () => peak };
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) }, out, err };
}

describe('zonesvc start', () => {
  test('only installed zones with autoboot=true, in index order', async () => {
    autobootZone('z1', true);
    autobootZone('z2', false);
    autobootZone('z3', true, 'configured');
    autobootZone('z4', true);
    expect(await startPlan(env.root)).toEqual({ boot: ['z1', 'z4'], up: [], unreadable: [] });
  });

  test(`at most ${BOOT_PARALLEL} boots at once, every zone booted`, async () => {
    const names = Array.from({ length: 9 }, (_, i) => `p${i}`);
    for (const n of names) autobootZone(n, true);
    const f = fakeOps({ ms: 30 });
    const c = capture();
    expect(await startZones(env.root, f.ops, c.io)).toBe(0);
    expect(f.calls.sort()).toEqual(names.map((n) => `boot ${n}`).sort());
    expect(f.peak()).toBe(BOOT_PARALLEL);
    expect(c.out.join('')).toBe(`Booting zones: ${names.join(' ')}.\n`);
    expect(c.err).toEqual([]);
  });

  test('a failed boot and one that could not run are reported, the others still booted; exit 1', async () => {
    for (const n of ['a', 'b', 'c', 'd']) autobootZone(n, true);
    const f = fakeOps({ fail: ['b'], crash: ['c'] });
    const c = capture();
    expect(await startZones(env.root, f.ops, c.io)).toBe(1);
    expect(f.calls.sort()).toEqual(['boot a', 'boot b', 'boot c', 'boot d']);
    expect(c.err.join('').split('\n').sort()).toEqual(
      ['', "zoneadm: zone 'b': broken", "zonesvc: zone 'c': spawn /usr/bin/node ENOENT", "zonesvc: 2 of 4 zones failed to boot: 'b', 'c'"].sort(),
    );
  });

  test('an unreadable configuration is reported and fails the start; the other zones boot', async () => {
    autobootZone('ok', true);
    autobootZone('bad', true);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(env.store.configPath('bad'), 'zonename: [unclosed\n');
    const f = fakeOps();
    const c = capture();
    expect(await startZones(env.root, f.ops, c.io)).toBe(1);
    expect(f.calls).toEqual(['boot ok']);
    expect(c.err.join('')).toMatch(/^zonesvc: zone 'bad': .+\n$/);
  });

  test('nothing to boot: silent, exit 0', async () => {
    autobootZone('off', false);
    const f = fakeOps();
    const c = capture();
    expect(await startZones(env.root, f.ops, c.io)).toBe(0);
    expect([f.calls, c.out, c.err]).toEqual([[], [], []]);
  });
});

describe('zonesvc stop', () => {
  test('no zone in the kernel: nothing run, silent, exit 0', async () => {
    autobootZone('z', true);
    const f = fakeOps();
    const c = capture();
    expect(await stopZones(env.root, f.ops, c.io, 75)).toBe(0);
    expect([f.calls, c.out, c.err]).toEqual([[], [], []]);
  });
});
