/**
 * zonestat's bin against zones booted for real (root only): two exclusive-IP zones on a test
 * bridge, one with capped-cpu 0.5 and max-lwps, a busy loop in it. zonestat reports the loop near
 * its cap, its tasks against max-lwps, the [total] line, the bytes of ping traffic between the
 * zones, and a cap changed in the zone's cgroup (what `zoneadm apply` does) at its next run.
 * zoneadm and zonestat run in a network namespace of this test's own (`ip netns exec`, the
 * host's cgroup hierarchies mounted again inside), so the bridge (no address, no physical port)
 * and the veths never touch the host's; traffic flows only between the two zones. Every zone is
 * halted and the namespace removed in afterAll, also on failure.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZoneStore } from '@zones/core/store/zone-store';
import { defaultTemplate } from '@zones/core/store/templates';
import type { Resource } from '@zones/core/model/types';
import { zoneadmdPath } from '@zones/core/runtime/index';
import { zoneCgroupFor } from '@zones/core/runtime/state';
import { prepareSparseRoot } from '../../core/test/runtime/sparse-root.js';
import { remountHostCgroups } from '../../core/test/runtime/host-cgroups.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const ZONESTAT = resolve(here, '../bin/run.js');
const ZONEADM = resolve(here, '../../zoneadm/bin/run.js');
const ZLOGIN = resolve(here, '../../zlogin/bin/run.js');
const canRun = process.getuid?.() === 0 && existsSync(zoneadmdPath()) && spawnSync('ip', ['-V']).status === 0 && existsSync('/sys/fs/cgroup/cpu/cgroup.procs');
const d = canRun ? describe : describe.skip;
if (!canRun) console.warn('zonestat zone tests skipped: need root on a cgroup v1 host, iproute2 and the native supervisor');

const base = mkdtempSync(join(tmpdir(), 'zonestat-zone-'));
const root = join(base, 'zr');
const store = new ZoneStore(root);
const tag = `zs${process.pid % 100000}`;
const BRIDGE = `zsb${process.pid % 100000}`;
const NETNS = `zones-zstest-${process.pid}`;
const made: string[] = [];
let netnsMade = false;
const rctl = (name: string, limit: number): Resource => ({ type: 'rctl', props: { name, value: [{ priv: 'privileged', limit: String(limit), action: 'deny' }] } });

function makeZone(suffix: string, address: string, resources: Resource[]): string {
  const name = `${tag}${suffix}`;
  const cfg = defaultTemplate(name);
  cfg.globals.zonepath = join(base, 'zones', name);
  cfg.globals['ip-type'] = 'exclusive';
  cfg.resources.push({ type: 'net', props: { physical: BRIDGE, 'allowed-address': address } }, ...resources);
  store.save(cfg);
  prepareSparseRoot(cfg.globals.zonepath);
  store.setState(name, 'installed');
  made.push(name);
  return name;
}

/** A bin in the test's network namespace, with the host's cgroup hierarchies mounted again. */
function inNetns(bin: string, ...args: string[]) {
  const r = spawnSync('ip', ['netns', 'exec', NETNS, 'sh', '-c', `${remountHostCgroups()}exec node "$@"`, 'sh', bin, ...args], {
    env: { ...process.env, ZONES_ROOT: root },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const zonestat = (...args: string[]) => inNetns(ZONESTAT, ...args);
const initPid = (zone: string) => Number(readFileSync(join(root, 'var/run/zones', zone, 'init.pid'), 'utf8'));
/** `-p` lines of one resource, split into fields, by zone name */
const lines = (out: string, resource: string) =>
  new Map(out.split('\n').filter((l) => l.split(':')[1] === resource).map((l) => [l.split(':')[resource === 'summary' ? 2 : resource === 'network' ? 3 : resource === 'processor-set' ? 4 : 3]!, l.split(':')]));

let a = '';
let b = '';

beforeAll(() => {
  if (!canRun) return;
  mkdirSync(join(base, 'zones'), { recursive: true, mode: 0o755 });
  spawnSync('ip', ['netns', 'add', NETNS]);
  netnsMade = true;
  a = makeZone('a', '192.0.2.11/24', [rctl('zone.cpu-cap', 50), rctl('zone.max-lwps', 100)]);
  b = makeZone('b', '192.0.2.12/24', []);
  for (const z of [a, b]) {
    const r = inNetns(ZONEADM, '-z', z, 'boot', '--', '-i', 'zsched');
    if (r.status !== 0) throw new Error(`boot ${z}: ${r.stderr}`);
  }
  // the busy loop, left running in the zone (halt ends it)
  const loop = spawnSync('node', [ZLOGIN, a, 'sh -c "while :; do :; done" </dev/null >/dev/null 2>&1 &'], { env: { ...process.env, ZONES_ROOT: root }, timeout: 20_000 });
  if (loop.status !== 0) throw new Error(`zlogin: ${loop.stderr}`);
}, 60_000);

afterAll(() => {
  for (const z of made) if (netnsMade) inNetns(ZONEADM, '-z', z, 'halt');
  if (netnsMade) spawnSync('ip', ['netns', 'del', NETNS]);
  rmSync(base, { recursive: true, force: true });
}, 60_000);

d('zonestat on running zones', () => {
  test('the busy zone near its 0.5 CPU cap, its tasks against max-lwps, the [total] and global lines', () => {
    const r = zonestat('-p', '-z', a, '-r', 'summary,psets,lwps,processes', '1', '1');
    expect([r.status, r.stderr]).toEqual([0, '']);
    const summary = lines(r.stdout, 'summary');
    expect([...summary.keys()]).toEqual(['[resource]', '[total]', '[system]', a]);
    const pset = lines(r.stdout, 'processor-set').get(a)!;
    // interval:processor-set:default-pset:pset_default:ZONE:used:%used:cap:%cap:...
    expect(pset[7]).toBe('0.50');
    const used = Number(pset[5]);
    expect(used).toBeGreaterThan(0.3);
    expect(used).toBeLessThan(0.6);
    expect(Number(pset[8]!.replace('%', ''))).toBeGreaterThan(60);
    const lwps = lines(r.stdout, 'lwps').get(a)!;
    // interval:lwps:system-limit:ZONE:used:%used:cap:%cap: zsched and the shell of the loop at least
    expect(Number(lwps[4])).toBeGreaterThanOrEqual(2);
    expect(lwps[6]).toBe('100');
    const procs = lines(r.stdout, 'processes').get(a)!;
    expect(Number(procs[4])).toBeGreaterThanOrEqual(2);
    expect(procs[6]).toBe('100'); // Linux has one task cap for both
    // without -z: every zone and the global zone, sorted by CPU used (the busy one first)
    const all = zonestat('1', '1');
    expect(all.status).toBe(0);
    const names = all.stdout.split('\n').slice(5).map((l) => l.trim().split(' ')[0]).filter(Boolean);
    expect(names[0]).toBe('[total]');
    expect(names).toEqual(expect.arrayContaining(['[system]', 'global', a, b]));
    expect(names.indexOf(a)).toBeLessThan(names.indexOf(b));
  }, 30_000);

  test('an exclusive-IP zone\'s network bytes grow with traffic between the zones', async () => {
    const ping = spawn('nsenter', ['-t', String(initPid(a)), '-n', '--', 'busybox', 'ping', '-c', '12', '-i', '0.1', '-s', '1000', '-W', '5', '192.0.2.12'], { stdio: 'ignore' });
    const done = new Promise<number | null>((res) => ping.on('exit', (c) => res(c)));
    const r = zonestat('-p', '-r', 'network,summary', '1', '1');
    expect(await done).toBe(0);
    expect([r.status, r.stderr]).toEqual([0, '']);
    // interval:network:<zone view>:ZONE:rbytes:obytes:bytes:...
    const net = lines(r.stdout, 'network');
    expect(net.get('[resource]')).toEqual(['interval', 'network', BRIDGE, '[resource]', 'n/a', 'up', 'etherstub']);
    const kb = (s: string) => (s.endsWith('K') ? Number(s.slice(0, -1)) * 1000 : Number(s));
    for (const z of [a, b]) {
      const l = net.get(z)!;
      expect(kb(l[4]!)).toBeGreaterThan(5000); // received: the echo requests or replies of ~1 s of pings
      expect(kb(l[5]!)).toBeGreaterThan(5000);
    }
    const summary = lines(r.stdout, 'summary');
    expect(kb(summary.get(a)![13]!)).toBeGreaterThan(10_000);
    expect(kb(summary.get('[total]')![13]!)).toBeGreaterThan(20_000);
    expect(summary.get('global')![13]).toBe('-');
  }, 30_000);

  test('a zone booted while zonestat runs shows from the next sample, one halted goes', async () => {
    const c = makeZone('c', '192.0.2.13/24', []);
    const run = new Promise<string>((res) => {
      const p = spawn('ip', ['netns', 'exec', NETNS, 'sh', '-c', `${remountHostCgroups()}exec node "$@"`, 'sh', ZONESTAT, '-p', '-P', 'zones', '1', '4'], {
        env: { ...process.env, ZONES_ROOT: root },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      p.stdout.on('data', (d) => (out += d));
      p.on('exit', () => res(out));
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect(inNetns(ZONEADM, '-z', c, 'boot', '--', '-i', 'zsched').status).toBe(0);
    await new Promise((r) => setTimeout(r, 1200));
    expect(inNetns(ZONEADM, '-z', c, 'halt').status).toBe(0);
    const intervals = (await run).trim().split('\n').map((l) => l.split(':')[2]);
    // four intervals of a (and b, and global); c in one to three of them, not after its halt
    expect(intervals.filter((z) => z === a)).toHaveLength(4);
    const seen = intervals.filter((z) => z === c).length;
    expect(seen).toBeGreaterThanOrEqual(1);
    expect(seen).toBeLessThanOrEqual(3);
  }, 30_000);

  test('a cap changed in the zone\'s cgroup (as zoneadm apply does) shows in the next report', () => {
    const cg = zoneCgroupFor(a, { root });
    const dir = (ctrl: string) => cg.paths.find((p) => p.includes(`/cgroup/${ctrl}/`))!;
    writeFileSync(join(dir('cpu'), 'cpu.cfs_quota_us'), '150000');
    writeFileSync(join(dir('pids'), 'pids.max'), '200');
    const r = zonestat('-p', '-z', a, '-r', 'psets,lwps', '1', '1');
    expect(r.status).toBe(0);
    expect(lines(r.stdout, 'processor-set').get(a)![7]).toBe('1.50');
    expect(lines(r.stdout, 'lwps').get(a)![6]).toBe('200');
  }, 30_000);
});
