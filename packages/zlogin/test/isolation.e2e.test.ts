/**
 * The seeds' isolation exercises on real zones: two sparse zones installed by the real installer,
 * booted by the runtime with the minimal init, probed through the real zlogin. Everything this
 * suite starts is ended by exact pid; the zones are halted and ZONES_ROOT removed in afterAll.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bootZone, haltZone } from '@zones/core/runtime/index';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = resolve(here, '../../..');
const base = mkdtempSync(join(tmpdir(), 'isolation-'));
const env = { ...process.env, ZONES_ROOT: base };
const tag = `iso${process.pid % 100000}`;
const A = `${tag}a`;
const B = `${tag}b`;
const T = `${tag}t`;
const booted: string[] = [];
const started: number[] = [];

function zlogin(zone: string, cmd: string) {
  const r = spawnSync(join(repo, 'bin/zlogin'), [zone, cmd], { env, encoding: 'utf8', input: '', timeout: 20_000 });
  return { code: r.status, out: r.stdout.trim(), err: r.stderr.trim() };
}
/** The effective capability mask of a fresh process in the zone. */
function capEff(zone: string): bigint {
  const line = zlogin(zone, 'grep CapEff /proc/self/status').out;
  return BigInt('0x' + line.split(/\s+/)[1]);
}
const CAP = { SYS_MODULE: 16, SYS_RAWIO: 17, SYS_BOOT: 22, SYS_TIME: 25, MKNOD: 27 };
const has = (mask: bigint, cap: number) => ((mask >> BigInt(cap)) & 1n) === 1n;

async function makeZone(name: string, extra = '') {
  const zp = join(base, 'zones', name);
  execFileSync(join(repo, 'bin/zonecfg'), ['-z', name, `create; set zonepath=${zp}${extra}`], { env });
  execFileSync(join(repo, 'bin/zoneadm'), ['-z', name, 'install'], { env }); // (stdio 'ignore' reads as closed: docs/architecture.md#output-faults)
  await bootZone(name, { root: base, bootargs: ['-i', 'zsched'] });
  booted.push(name);
}

beforeAll(async () => {
  mkdirSync(join(base, 'zones'));
  await makeZone(A);
  await makeZone(B);
  await makeZone(T, '; set limitpriv="default,sys_time"');
}, 120_000);

afterAll(async () => {
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  for (const z of booted) await haltZone(z, { root: base }).catch(() => undefined);
  rmSync(base, { recursive: true, force: true });
});

/** Host pids of processes whose full command line is exactly `cmd`. */
function hostPids(cmd: string): number[] {
  const r = spawnSync('pgrep', ['-x', '-f', cmd], { encoding: 'utf8' });
  return r.stdout.split('\n').filter(Boolean).map(Number);
}

describe('Exercise 1: processes', () => {
  test('a process in zone A is invisible from zone B, and both zones are visible from the global zone', () => {
    const marker = `sleep 31${process.pid % 1000}1`;
    expect(zlogin(A, `${marker} >/dev/null 2>&1 &`).code).toBe(0);
    const pids = hostPids(marker);
    started.push(...pids);
    expect(pids).toHaveLength(1);
    expect(zlogin(A, 'ps -eo args').out.split('\n')).toContain(marker);
    expect(zlogin(B, 'ps -eo args').out.split('\n')).not.toContain(marker);
    // B cannot name it either: the host pid does not exist in B's pid namespace.
    expect(zlogin(B, `kill -0 ${pids[0]}`).code).not.toBe(0);
  });

  test('a zone cannot see or signal host processes', () => {
    // The zone's own init is its PID 1; the test runner (a host process) is neither listed nor reachable.
    expect(zlogin(A, 'ps -eo pid,comm').out).toMatch(/^\s*1 zsched$/m);
    expect(zlogin(A, `kill -0 ${process.pid}`).code).not.toBe(0);
    expect(zlogin(A, 'ps -eo pid,args').out).not.toContain('jest');
  });
});

describe('Exercise 2: pkill in the global zone kills zone processes', () => {
  test('pkill with the exact command line', () => {
    const marker = `sleep 31${process.pid % 1000}2`;
    zlogin(B, `${marker} >/dev/null 2>&1 &`);
    const pids = hostPids(marker);
    started.push(...pids);
    expect(pids).toHaveLength(1);
    expect(spawnSync('pkill', ['-x', '-f', marker]).status).toBe(0);
    expect(zlogin(B, 'ps -eo args').out.split('\n')).not.toContain(marker);
  });
});

describe('names, mounts and roots stay in the zone', () => {
  test('a hostname set in a zone leaves the host alone', () => {
    const before = hostname();
    expect(zlogin(A, 'hostname renamed-in-zone && hostname').out).toBe('renamed-in-zone');
    expect(hostname()).toBe(before);
    expect(zlogin(B, 'hostname').out).toBe(B);
  });

  test('a mount made in a zone is invisible outside', () => {
    const r = zlogin(A, 'mkdir -p /mnt/zt && mount -t tmpfs zone-test-tmpfs /mnt/zt && grep -c zone-test-tmpfs /proc/mounts');
    expect(r.out).toBe('1');
    expect(readFileSync('/proc/self/mounts', 'utf8')).not.toContain('zone-test-tmpfs');
    expect(zlogin(B, 'grep -c zone-test-tmpfs /proc/mounts').out).toBe('0');
  });

  test('a chroot ../../.. escape from the zone root stays in the zone', () => {
    // A file only the global zone has; an escape would find it at the same path.
    const marker = join(base, 'host-only-marker');
    writeFileSync(marker, 'host\n');
    const escape = `mkdir "/tmp/jail"; chroot "/tmp/jail"; chdir ".." for 1..64; chroot "."; print -e "${marker}" ? "ESCAPED" : "contained"`;
    const r = zlogin(A, `perl -e '${escape}'`);
    expect(r.out).toBe('contained');
    expect(existsSync(marker)).toBe(true);
  });
});

describe('privileges (limitpriv)', () => {
  test('by default a zone root lacks CAP_SYS_MODULE, CAP_SYS_TIME, CAP_MKNOD, CAP_SYS_BOOT, CAP_SYS_RAWIO', () => {
    const eff = capEff(A);
    for (const cap of Object.values(CAP)) expect(has(eff, cap)).toBe(false);
  });

  test('and so cannot set the clock, load a module, mknod a disk, poke sysrq or reboot the host', () => {
    const date = zlogin(A, 'date -s "2001-01-01 00:00:00"');
    expect(date.code).not.toBe(0);
    expect(date.err).toMatch(/not permitted/i);
    // init_module(NULL, 0, "") and reboot(0,0,0,0): EPERM without the capability (EINVAL/EFAULT with it).
    // EPERM, or ENOSYS (38) on a kernel built without module support; CAP_SYS_MODULE is absent either way (above).
    expect(['1', '38']).toContain(zlogin(A, `perl -e 'my $p = ""; syscall(175, 0, 0, $p); print $!+0'`).out);
    expect(zlogin(A, `perl -e 'syscall(169, 0, 0, 0, 0); print $!+0'`).out).toBe('1');
    const mknod = zlogin(A, 'mknod /tmp/sda b 8 0');
    expect(mknod.code).not.toBe(0);
    expect(mknod.err).toMatch(/not permitted/i);
    const sysrq = zlogin(A, 'echo h > /proc/sysrq-trigger');
    expect(sysrq.code).not.toBe(0);
  });

  test('limitpriv="default,sys_time" gives CAP_SYS_TIME, and nothing else extra', () => {
    const eff = capEff(T);
    expect(has(eff, CAP.SYS_TIME)).toBe(true);
    for (const cap of [CAP.SYS_MODULE, CAP.SYS_RAWIO, CAP.SYS_BOOT, CAP.MKNOD]) expect(has(eff, cap)).toBe(false);
    expect(capEff(A) | (1n << BigInt(CAP.SYS_TIME))).toBe(eff);
  });
});
