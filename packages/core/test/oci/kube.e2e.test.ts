/**
 * `zoneadm export -t kube` against a real consumer of the format: `podman kube play` on this host
 * (docs/scale.md#kubernetes). A busybox zone configured and installed with our tools is exported
 * as an image and as a manifest; the profile is placed where the manifest says, podman plays the
 * Pod, and the test reads from the host what landed: the zone's init as PID 1, its capabilities,
 * its memory and CPU caps in the container's cgroups, its user namespace, its seccomp filter, its
 * hostname and a read-only lofs. Everything podman makes lives in the harness's private storage
 * (podman.ts) and is removed after, also on failure.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAll } from 'js-yaml';
import { parseLimitpriv, LINUX_CAPABILITIES } from '../../src/model/privileges.js';
import { podmanHarness, podmanMissing, type Podman } from './podman.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = resolve(here, '../../../..');
const ZONECFG = join(repo, 'bin/zonecfg');
const ZONEADM = join(repo, 'bin/zoneadm');

const missing = podmanMissing() ?? (existsSync('/usr/bin/busybox') || existsSync('/bin/busybox') ? undefined : 'busybox-static is not installed');
if (missing) console.warn(`kube.e2e: skipped: ${missing}`);
const d = missing ? describe.skip : describe;

const ZONE = `kube${process.pid}`;
const LIMITPRIV = 'default,-proc_owner';
/** Host ids for the Pod's user namespace, outside the range our zones take theirs from (store/idmap.ts). */
const ID_BLOCK = 2_000_000_000 + (process.pid % 100) * 65536;

let base: string;
let root: string;
let pm: Podman | undefined;
let manifest: string;
const env = () => ({ ZONES_ROOT: root, PATH: process.env.PATH });
const zonecfg = (...args: string[]) => execa(ZONECFG, args, { env: env(), reject: false, input: '' });
const zoneadm = (...args: string[]) => execa(ZONEADM, args, { env: env(), reject: false, input: '' });

/** The CapEff mask of a list of CAP_ names. */
function capMask(caps: readonly string[]): bigint {
  return caps.reduce((m, c) => m | (1n << BigInt(LINUX_CAPABILITIES.indexOf(c as (typeof LINUX_CAPABILITIES)[number]))), 0n);
}

const capField = (status: string, name: string): string => new RegExp(`^${name}:\\s*([0-9a-f]+)$`, 'm').exec(status)![1]!;

/** A cgroup file of a host pid, for the v1 controller `ctl` (this host) or the v2 hierarchy. */
function cgroupFile(pid: number, ctl: string, v1: string, v2: string): string {
  const lines = readFileSync(`/proc/${pid}/cgroup`, 'utf8').trim().split('\n');
  const own = lines.map((l) => l.split(':')).find(([, ctls]) => ctls!.split(',').includes(ctl));
  if (own) return readFileSync(join('/sys/fs/cgroup', own[1]!, own[2]!, v1), 'utf8').trim();
  const unified = lines.map((l) => l.split(':')).find(([id]) => id === '0')!;
  return readFileSync(join('/sys/fs/cgroup', unified[2]!, v2), 'utf8').trim();
}

d('export -t kube under podman kube play', () => {
  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'zones-kube-'));
    chmodSync(base, 0o755);
    root = join(base, 'zr');
    const zones = join(base, 'zones');
    mkdirSync(zones, { mode: 0o755 });
    mkdirSync(join(base, 'data'));
    writeFileSync(join(base, 'data/hello'), 'from the host\n');
    execFileSync(join(repo, 'fixtures/build-busybox-root.sh'), [join(base, 'fixture')], { stdio: 'ignore' });
    const cfg = join(base, `${ZONE}.cfg`);
    writeFileSync(
      cfg,
      [
        'create -b',
        `set zonepath=${join(zones, ZONE)}`,
        `set limitpriv=${LIMITPRIV}`,
        'add capped-memory',
        'set physical=96m',
        'end',
        'add capped-cpu',
        'set ncpus=0.5',
        'end',
        'add fs',
        'set dir=/data',
        `set special=${join(base, 'data')}`,
        'set type=lofs',
        'add options ro',
        'end',
        '',
      ].join('\n'),
    );
    const c = await zonecfg('-z', ZONE, '-f', cfg);
    expect(c.stderr).toBe('');
    const i = await zoneadm('-z', ZONE, 'install', '-d', join(base, 'fixture/busybox-root.tar'));
    expect(i.exitCode).toBe(0);
    const img = await zoneadm('-z', ZONE, 'export', '-t', 'oci-image', join(base, 'image'));
    expect(img.stderr).toBe('');
    expect(img.exitCode).toBe(0);
    const k = await zoneadm('-z', ZONE, 'export', '-t', 'kube');
    expect(k.stderr).toBe('');
    expect(k.exitCode).toBe(0);
    manifest = join(base, `${ZONE}.yaml`);
    writeFileSync(manifest, k.stdout);
    pm = podmanHarness();
    // The image under the name the manifest runs without -i.
    const store = `containers-storage:[vfs@${join(pm.dir, 'root')}+${join(pm.dir, 'run')}]localhost/zones/${ZONE}:latest`;
    const copy = await execa('skopeo', ['copy', '-q', `oci:${join(base, 'image')}:${ZONE}`, store], { reject: false });
    expect(copy.stderr).toBe('');
    expect(copy.exitCode).toBe(0);
  }, 120_000);

  afterAll(async () => {
    pm?.cleanup();
    if (root) {
      await zoneadm('-z', ZONE, 'uninstall', '-F');
      await zonecfg('-z', ZONE, 'delete', '-F');
    }
    if (base) rmSync(base, { recursive: true, force: true });
  }, 60_000);

  test("the Pod runs the zone's init with its capabilities, caps, user namespace, seccomp filter and mounts", async () => {
    const p = pm!;
    // What an admin does on every node, with the commands of docs/scale.md#the-seccomp-profile-on-the-nodes.
    mkdirSync(join(base, 'seccomp'));
    const placed = await execa(
      'sh',
      ['-c', `f=$(sed -n 's/^ *localhostProfile: //p' "$1" | head -1)
awk '/^---$/ { p = 0 } p { sub(/^    /, ""); print } /\\.json: \\|$/ { p = 1 }' "$1" > "$2/$f"`, 'sh', manifest, join(base, 'seccomp')],
      { reject: false },
    );
    expect(placed.exitCode).toBe(0);
    const docs = loadAll(readFileSync(manifest, 'utf8')) as Record<string, any>[];
    const [file, profile] = Object.entries(docs.find((x) => x.kind === 'ConfigMap')!.data as Record<string, string>)[0]!;
    expect(readFileSync(join(base, 'seccomp', file), 'utf8')).toBe(profile);
    const play = (userns: string[]) =>
      p.podman(['kube', 'play', '--network', 'none', '--seccomp-profile-root', join(base, 'seccomp'), ...userns, manifest]);
    // hostUsers: false is podman's --userns=auto, which takes its ids from /etc/subuid's "containers"
    // entry; without one (this host) the test names the block itself.
    let r = play([]);
    if (r.status !== 0) {
      expect(r.stderr).toMatch(/subuid|available IDs/);
      p.podman(['pod', 'rm', '-f', '-t', '0', ZONE]);
      r = play(['--userns', `auto:uidmapping=0:${ID_BLOCK}:65536,gidmapping=0:${ID_BLOCK}:65536`]);
    }
    expect(r.stderr).not.toMatch(/^Error/m);
    expect(r.status).toBe(0);
    const ctr = `${ZONE}-zone`;
    let pid = 0;
    for (let n = 0; n < 50 && pid === 0; n++) {
      pid = Number(p.podman(['inspect', ctr, '--format', '{{.State.Pid}}']).stdout.trim()) || 0;
      if (pid === 0) await new Promise((res) => setTimeout(res, 100));
    }
    expect(pid).toBeGreaterThan(0);

    // The zone's init (the image's entrypoint: busybox's /sbin/init) is PID 1 of the Pod.
    // (busybox init names itself `init` in its argv.)
    expect(readFileSync(`/proc/${pid}/comm`, 'utf8')).toBe('init\n');
    expect(readlinkSync(`/proc/${pid}/exe`)).toMatch(/\/bin\/busybox$/);
    const priv = parseLimitpriv(LIMITPRIV, 'shared');
    if (!priv.ok) throw new Error(priv.errors.join('; '));
    // Exactly the zone's set, as far as this host's own bounding set allows (it may lack cap_sys_resource).
    const hostBounding = BigInt(`0x${capField(readFileSync('/proc/self/status', 'utf8'), 'CapBnd')}`);
    const capEff = BigInt(`0x${capField(readFileSync(`/proc/${pid}/status`, 'utf8'), 'CapEff')}`);
    expect(capEff).toBe(capMask(priv.capabilities) & hostBounding);
    expect(priv.capabilities).not.toContain('CAP_KILL');
    // Root of the zone is a host id of the block, not the host's root.
    expect(readFileSync(`/proc/${pid}/uid_map`, 'utf8').trim().split(/\s+/)[0]).toBe('0');
    expect(readFileSync(`/proc/${pid}/uid_map`, 'utf8').trim().split(/\s+/)[1]).not.toBe('0');
    expect(cgroupFile(pid, 'memory', 'memory.limit_in_bytes', 'memory.max')).toBe(String(96 * 1024 * 1024));
    const quota = cgroupFile(pid, 'cpu', 'cpu.cfs_quota_us', 'cpu.max').split(' ')[0];
    expect(quota).toBe('50000');

    const exec = (...cmd: string[]) => p.podman(['exec', ctr, ...cmd]);
    expect(exec('hostname').stdout.trim()).toBe(ZONE);
    expect(exec('cat', '/data/hello').stdout).toBe('from the host\n');
    expect(exec('touch', '/data/x').stderr).toMatch(/Read-only file system/);
    // The zone's filter, not podman's default: a forced unmount is EACCES (model/seccomp.ts), not ENOENT.
    expect(exec('umount', '-f', '/no-such-mount').stderr).toMatch(/Permission denied/);

    const down = p.podman(['kube', 'down', manifest], { timeoutMs: 30_000 });
    expect(down.status).toBe(0);
    expect(p.podman(['pod', 'exists', ZONE]).status).not.toBe(0);
  }, 90_000);
});
