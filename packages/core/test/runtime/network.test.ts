/**
 * Zone networking for real (root only). The zones are booted by zoneadm run inside a network
 * namespace of this test's own (`ip netns exec`): that namespace plays the global zone's network
 * stack, so the bridge the exclusive-IP boots create, and the address the shared-IP zone adds,
 * never touch the host's. Traffic flows only between zones this test boots, over that bridge,
 * which carries no address and which no physical interface joins. The namespace (and with it the
 * bridge) and every zone are removed in afterAll, also on failure; only names made here (with
 * this process's pid) are touched.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZoneStore } from '../../src/store/zone-store.js';
import { defaultTemplate } from '../../src/store/templates.js';
import type { Resource } from '../../src/model/types.js';
import { planZoneNetwork } from '../../src/platform/network.js';
import { bootZone, haltZone, zoneadmdPath, ZoneRuntimeError } from '../../src/runtime/index.js';
import { prepareSparseRoot } from './sparse-root.js';
import { remountHostCgroups } from './host-cgroups.js';

const canRun = process.getuid?.() === 0 && existsSync(zoneadmdPath()) && spawnSync('ip', ['-V']).status === 0;
const d = canRun ? describe : describe.skip;
if (!canRun) console.warn('network tests skipped: need root, iproute2 and the native supervisor');

const ZONEADM = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../zoneadm/bin/run.js');
const base = mkdtempSync(join(tmpdir(), 'zones-net-'));
const root = join(base, 'zr');
const store = new ZoneStore(root);
const opts = { root };
const tag = `nt${process.pid % 100000}`;
const BRIDGE = `ztb${process.pid % 100000}`;
const NETNS = `zones-test-${process.pid}`;
const made: string[] = [];
const MIN = ['-i', 'zsched'];
let netnsMade = false;

function makeZone(suffix: string, ipType: 'shared' | 'exclusive', nets: Resource['props'][]): string {
  const name = `${tag}${suffix}`;
  const cfg = defaultTemplate(name);
  cfg.globals.zonepath = join(base, 'zones', name);
  cfg.globals['ip-type'] = ipType;
  for (const props of nets) cfg.resources.push({ type: 'net', props });
  store.save(cfg);
  prepareSparseRoot(cfg.globals.zonepath);
  store.setState(name, 'installed');
  made.push(name);
  return name;
}

/** A command in the zone's network namespace (host tools: the sparse zone's /usr is the host's). */
function inNet(pid: number, ...cmd: string[]) {
  return spawnSync('nsenter', ['-t', String(pid), '-n', '--', ...cmd], { encoding: 'utf8', timeout: 10_000 });
}

const ip = (...args: string[]) => execFileSync('ip', args, { encoding: 'utf8' });

beforeAll(() => {
  mkdirSync(join(base, 'zones'), { recursive: true, mode: 0o755 });
  if (!canRun) return;
  ip('netns', 'add', NETNS);
  netnsMade = true;
});

/** zoneadm in the test's network namespace, with the host's cgroup hierarchies it needs. */
function zoneadm(zone: string, ...args: string[]) {
  const env = { ...process.env, ZONES_ROOT: root };
  const cmd = `${remountHostCgroups()}exec node "$@"`;
  const r = spawnSync('ip', ['netns', 'exec', NETNS, 'sh', '-c', cmd, 'sh', ZONEADM, '-z', zone, ...args], {
    env,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const initPid = (zone: string) => Number(readFileSync(join(root, 'var/run/zones', zone, 'init.pid'), 'utf8'));
/** The ports of the test bridge, in the test's namespace. */
const bridgePorts = () =>
  ip('-n', NETNS, '-o', 'link', 'show', 'master', BRIDGE)
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(': ')[1]!.split('@')[0]!)
    .sort();

afterAll(async () => {
  for (const name of made) {
    if (netnsMade) zoneadm(name, 'halt');
    await haltZone(name, opts).catch(() => undefined);
  }
  if (netnsMade) spawnSync('ip', ['netns', 'del', NETNS]);
  rmSync(base, { recursive: true, force: true });
}, 60_000);

describe('network plan', () => {
  test('exclusive: one veth per net, eth0.. inside, host names unique per zone and short enough', () => {
    const cfg = defaultTemplate('z');
    cfg.globals['ip-type'] = 'exclusive';
    cfg.resources.push({ type: 'net', props: { physical: 'br0', 'allowed-address': '192.0.2.1/24', defrouter: '192.0.2.254' } });
    cfg.resources.push({ type: 'net', props: { physical: 'br1' } });
    const a = planZoneNetwork(cfg, '/\0z');
    expect(a.shared).toEqual([]);
    expect(a.exclusive.map((n) => [n.bridge, n.zoneIf, n.allowedAddress, n.defrouter])).toEqual([
      ['br0', 'eth0', '192.0.2.1/24', '192.0.2.254'],
      ['br1', 'eth1', undefined, undefined],
    ]);
    for (const n of a.exclusive) expect(n.hostIf).toMatch(/^zn[0-9a-f]{8}\d$/);
    const b = planZoneNetwork(cfg, '/other\0z');
    expect(b.exclusive[0]!.hostIf).not.toBe(a.exclusive[0]!.hostIf);
  });

  test('shared: the addresses, a host address without a prefix', () => {
    const cfg = defaultTemplate('z');
    cfg.resources.push({ type: 'net', props: { physical: 'br0', address: '192.0.2.7' } });
    cfg.resources.push({ type: 'net', props: { physical: 'br0', address: '2001:db8::7/64' } });
    expect(planZoneNetwork(cfg, 'k')).toEqual({
      exclusive: [],
      shared: [
        { physical: 'br0', address: '192.0.2.7/32' },
        { physical: 'br0', address: '2001:db8::7/64' },
      ],
    });
  });
});

d('exclusive-IP zones on a bridge (real veth pairs)', () => {
  test('two zones reach each other over the bridge; defrouter; lo up; halt removes their interfaces', async () => {
    const a = makeZone('a', 'exclusive', [{ physical: BRIDGE, 'allowed-address': '192.0.2.1/24', defrouter: '192.0.2.254' }]);
    const b = makeZone('b', 'exclusive', [{ physical: BRIDGE, 'allowed-address': '192.0.2.2/24' }]);
    for (const z of [a, b]) expect(zoneadm(z, 'boot', '--', ...MIN)).toEqual({ status: 0, stdout: '', stderr: '' });
    const za = { initPid: initPid(a) };
    const zb = { initPid: initPid(b) };
    // the bridge: made by the first boot, up, no address (not even IPv6 link-local), the two host
    // ends as its only ports, and no address on them either
    expect(ip('-n', NETNS, '-d', 'link', 'show', 'dev', BRIDGE)).toMatch(/state UP[^]*\bbridge\b/);
    const ends = planZoneNetwork(store.load(a)!, `${root}\0${a}`).exclusive.map((n) => n.hostIf);
    for (const dev of [BRIDGE, ...ends]) expect(ip('-n', NETNS, '-o', 'addr', 'show', 'dev', dev)).toBe('');
    expect(bridgePorts()).toEqual(expect.arrayContaining(ends));
    expect(bridgePorts()).toHaveLength(2);

    const addrA = inNet(za.initPid, 'ip', '-o', '-4', 'addr', 'show');
    expect(addrA.stdout).toMatch(/^\d+: lo +inet 127\.0\.0\.1\/8 /m);
    expect(addrA.stdout).toMatch(/^\d+: eth0 +inet 192\.0\.2\.1\/24 /m);
    expect(inNet(za.initPid, 'ip', 'route', 'show', 'default').stdout).toMatch(/^default via 192\.0\.2\.254 dev eth0/m);
    expect(inNet(za.initPid, 'ip', 'link', 'show', 'eth0').stdout).toMatch(/state UP|LOWER_UP/);
    // traffic only between the two zones
    const ping = inNet(za.initPid, 'busybox', 'ping', '-c', '1', '-W', '5', '192.0.2.2');
    expect([ping.status, ping.stdout]).toEqual([0, expect.stringMatching(/1 packets received/)]);
    const back = inNet(zb.initPid, 'busybox', 'ping', '-c', '1', '-W', '5', '192.0.2.1');
    expect(back.status).toBe(0);

    expect(zoneadm(a, 'halt')).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(bridgePorts()).toHaveLength(1); // b's end alone
    // the bridge the first boot made goes with the last zone on it (docs/architecture.md#networking-platformnetworkts)
    expect(zoneadm(b, 'halt')).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(spawnSync('ip', ['-n', NETNS, 'link', 'show', 'dev', BRIDGE]).status).not.toBe(0);
  }, 60_000);

  test('ready sets the interfaces up before init; a physical that is not a bridge is refused', async () => {
    const r = makeZone('r', 'exclusive', [{ physical: BRIDGE, 'allowed-address': '192.0.2.3/24' }]);
    expect(zoneadm(r, 'ready').status).toBe(0);
    expect(inNet(initPid(r), 'ip', '-o', '-4', 'addr', 'show', 'eth0').stdout).toMatch(/192\.0\.2\.3\/24/);
    expect(zoneadm(r, 'halt').status).toBe(0);

    const bad = makeZone('x', 'exclusive', [{ physical: 'lo' }]);
    const err = await bootZone(bad, { ...opts, bootargs: MIN }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZoneRuntimeError);
    expect((err as Error).message).toBe(
      "could not configure the zone's network: lo is not a bridge: an exclusive-IP zone's physical names the bridge its interface joins",
    );
    // nothing of it is left running
    const again = await haltZone(bad, opts).catch((e: Error) => e.message);
    expect(again).toBe('zone is already halted');
  }, 60_000);
});

d('a zone is never uncontained', () => {
  test("boot refuses when it cannot place the zone in its cgroups ('ip netns exec' hides cgroupfs)", () => {
    const z = makeZone('u', 'shared', []);
    const env = { ...process.env, ZONES_ROOT: root };
    const r = spawnSync('ip', ['netns', 'exec', NETNS, 'node', ZONEADM, '-z', z, 'boot', '--', ...MIN], { env, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`^zoneadm: zone '${z}': cannot place the zone in its cgroups: this host lacks the devices hierarchy \\(/sys/fs/cgroup/devices\\), .* \\(cgroupfs must be mounted at /sys/fs/cgroup; 'ip netns exec' hides it\\)\n$`),
    );
    expect(existsSync(join(root, 'var/run/zones', z))).toBe(false);
  });
});

d('shared-IP zone (inside a network namespace of the test)', () => {
  test('boot adds the address to physical, labelled with the zone id; halt removes it', async () => {
    const s = makeZone('s', 'shared', [{ physical: 'ztd0', address: '192.0.2.9/24' }]);
    ip('-n', NETNS, 'link', 'add', 'ztd0', 'type', 'bridge');
    const boot = zoneadm(s, 'boot', '--', '-i', 'zsched');
    expect([boot.status, boot.stderr]).toEqual([0, '']);
    expect(ip('-n', NETNS, '-o', '-4', 'addr', 'show', 'dev', 'ztd0')).toMatch(/inet 192\.0\.2\.9\/24 .*scope global ztd0:\d+/);
    const halt = zoneadm(s, 'halt');
    expect([halt.status, halt.stderr]).toEqual([0, '']);
    expect(ip('-n', NETNS, '-o', '-4', 'addr', 'show', 'dev', 'ztd0')).toBe('');
    // a zone that halts by itself (its init exits): its supervisor takes the address away
    expect(zoneadm(s, 'boot', '--', '-i', 'zsched').status).toBe(0);
    process.kill(initPid(s), 'SIGTERM'); // zsched exits on SIGTERM; the supervisor tears the zone down
    for (let i = 0; i < 200 && existsSync(join(root, 'var/run/zones', s)); i++) await new Promise((r) => setTimeout(r, 10));
    expect(ip('-n', NETNS, '-o', '-4', 'addr', 'show', 'dev', 'ztd0')).toBe('');
    expect(zoneadm(s, 'halt')).toEqual({ status: 0, stdout: '', stderr: `zoneadm: zone '${s}': zone is already halted\n` });
    expect(ip('-n', NETNS, '-o', '-4', 'addr', 'show', 'dev', 'ztd0')).toBe('');
    // a physical that does not exist: the boot fails and adds nothing
    store.save({ ...store.load(s)!, resources: [{ type: 'net', props: { physical: 'ztnone0', address: '192.0.2.9/24' } }] });
    const nope = zoneadm(s, 'boot', '--', '-i', 'zsched');
    expect([nope.status, nope.stderr]).toEqual([1, `zoneadm: zone '${s}': could not configure the zone's network: ztnone0: no such interface\n`]);
  }, 60_000);
});
