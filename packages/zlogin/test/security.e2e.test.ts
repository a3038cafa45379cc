/**
 * Zone root is not host root (docs/security.md): the ways out of a zone a student with zone root
 * would try, tried for real through the real zonecfg, zoneadm and zlogin, on default sparse zones
 * installed by the real installer. Every probe is harmless if it succeeds (fixtures/escape-probes.sh)
 * and every one must be refused. Zones are halted, planted files removed and ZONES_ROOT deleted in
 * afterAll, also on failure; processes are only ever touched by their exact pid.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { haltZone, zoneCgroupFor, zoneadmdPath } from '@zones/core/runtime/index';
import { zenterPath } from '@zones/core/zlogin/login';
import { ZONE_SYSCALL_DENY } from '@zones/core/model/seccomp';
import { syscallNumber } from '@zones/core/platform/syscalls';
import { IdmapStore, idmapKey } from '@zones/core/store/idmap';
import { ZoneStore } from '@zones/core/store/zone-store';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = resolve(here, '../../..');
const bin = (t: string) => join(repo, 'bin', t);
const canRun = process.getuid?.() === 0 && existsSync(zoneadmdPath()) && existsSync(zenterPath());
const d = canRun ? describe : describe.skip;
if (!canRun) console.warn('security tests skipped: need root and the native helpers (npm run build:native)');

const base = mkdtempSync(join(tmpdir(), 'zones-sec-'));
const env = { ...process.env, ZONES_ROOT: base };
const tag = `sec${process.pid % 100000}`;
const A = `${tag}a`; // shared-IP, with a host-root-only file lofs-mounted read-only
const X = `${tag}x`; // exclusive-IP
const T = `${tag}t`; // limitpriv=default,sys_time
const booted: string[] = [];
const secretDir = join(base, 'host-secret');
const sharedRw = join(base, 'host-rw');

const run = (tool: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}) => {
  const r = spawnSync(bin(tool), args, { env: opts.env ?? env, encoding: 'utf8', input: opts.input ?? '', timeout: 60_000 });
  return { code: r.status, out: r.stdout.trim(), err: r.stderr.trim() };
};
const zlogin = (zone: string, cmd: string, user?: string) => run('zlogin', [...(user ? ['-l', user] : []), zone, cmd]);
const runFile = (zone: string, f: string) => readFileSync(join(base, 'var/run/zones', zone, f), 'utf8').trim();
const initPid = (zone: string) => Number(runFile(zone, 'init.pid'));
const zoneRoot = (zone: string) => join(base, 'zones', zone, 'root');
const hostUid = (pid: number) => Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
const idmapOf = (zone: string) => new IdmapStore(base).lookup(idmapKey(new ZoneStore(base).get(zone)!))!;

async function makeZone(name: string, extra: string): Promise<void> {
  const zp = join(base, 'zones', name);
  const c = run('zonecfg', ['-z', name, `create; set zonepath=${zp}${extra}`]);
  expect(c).toMatchObject({ code: 0, err: '' });
  const i = run('zoneadm', ['-z', name, 'install']);
  expect(i.code).toBe(0);
  const b = run('zoneadm', ['-z', name, 'boot', '--', '-i', 'zsched']);
  expect(b).toMatchObject({ code: 0, err: '' });
  booted.push(name);
}

/** The probes of fixtures/escape-probes.sh as root of `zone`: name -> result. */
function probe(zone: string, envs = ''): Map<string, string> {
  const script = join(zoneRoot(zone), 'tmp/escape-probes.sh');
  copyFileSync(join(here, 'fixtures/escape-probes.sh'), script);
  // the filtered calls, and reboot (refused by the kernel: no zone has CAP_SYS_BOOT)
  const calls = [...ZONE_SYSCALL_DENY.filter((r) => !r.when).map((r) => r.name), 'reboot']
    .map((n) => [n, syscallNumber(n)] as const)
    .filter(([, nr]) => nr !== undefined)
    .map(([n, nr]) => `${n}=${nr}`);
  const r = zlogin(zone, `${envs} sh /tmp/escape-probes.sh ${calls.join(' ')}`);
  expect(r.out).toMatch(/PROBES-DONE$/);
  const results = new Map<string, string>();
  for (const m of r.out.matchAll(/^PROBE (\S+) (\S+)$/gm)) results.set(m[1]!, m[2]!);
  return results;
}

beforeAll(async () => {
  if (!canRun) return;
  mkdirSync(join(base, 'zones'), { mode: 0o755 });
  mkdirSync(secretDir, { mode: 0o755 });
  writeFileSync(join(secretDir, 'root-only'), 'host secret\n', { mode: 0o600 });
  mkdirSync(sharedRw);
  chmodSync(sharedRw, 0o777); // the zone's root is nobody to a host directory: it writes where others may
  await makeZone(
    A,
    `; add fs; set dir=/mnt/host; set special=${secretDir}; set type=lofs; add options ro; end` +
      `; add fs; set dir=/mnt/rw; set special=${sharedRw}; set type=lofs; end`,
  );
  await makeZone(X, '; set ip-type=exclusive');
  await makeZone(T, '; set limitpriv="default,sys_time"');
}, 180_000);

afterAll(async () => {
  for (const z of booted) await haltZone(z, { root: base }).catch(() => undefined);
  rmSync(base, { recursive: true, force: true });
}, 60_000);

d('the ways out, tried as zone root: every one refused', () => {
  test.each([
    ['a shared-IP zone', () => A, ''],
    ['an exclusive-IP zone', () => X, 'ZT_EXCLUSIVE=1'],
  ])('%s', (_label, zone, envs) => {
    const z = zone();
    // the host's own disk (the device of its root filesystem), planted by the host in the zone's
    // /dev: the device policy still refuses it
    const disk = statSync('/').dev;
    const [major, minor] = [Math.floor(disk / 256) & 0xfff, (disk & 0xff) | ((disk >> 12) & ~0xff)];
    execFileSync('mknod', [`/proc/${initPid(z)}/root/dev/zt-probe-disk`, 'b', String(major), String(minor)]);
    const limitBefore = readFileSync(join(zoneCgroupFor(z, { root: base }).paths.find((p) => p.includes('/memory/'))!, 'memory.limit_in_bytes'), 'utf8');
    const results = probe(z, `${envs} ZT_HOST_FILE=${join(secretDir, 'root-only')}`);
    expect(results.size).toBeGreaterThan(40);
    const allowed = [...results].filter(([, v]) => v !== 'refused');
    expect(allowed).toEqual([]);
    // the zone's real limit (host side, a level above the payload) is what it was
    expect(readFileSync(join(zoneCgroupFor(z, { root: base }).paths.find((p) => p.includes('/memory/'))!, 'memory.limit_in_bytes'), 'utf8')).toBe(limitBefore);
  }, 60_000);
});

d('the seccomp filter is what refuses (the kernel alone would answer otherwise)', () => {
  test('every process of a zone, and every zlogin, runs under the zone\'s filter', () => {
    const perl = (nr: number, ...args: number[]) => `perl -e 'my $r = syscall(${[nr, ...args].join(', ')}); print $r == -1 ? $! + 0 : "ok"'`;
    const ioUring = syscallNumber('io_uring_setup')!;
    const socket = syscallNumber('socket')!;
    // io_uring_setup(1, NULL) is EFAULT from the kernel; socket(AF_VSOCK) EAFNOSUPPORT or a socket
    expect(zlogin(A, `${perl(ioUring, 1, 0)}; echo; ${perl(socket, 40, 1, 0)}`).out.split('\n')).toEqual(['1', '1']);
    expect(zlogin(A, 'grep ^Seccomp: /proc/self/status; grep ^Seccomp: /proc/1/status').out.split('\n')).toEqual(['Seccomp:\t2', 'Seccomp:\t2']);
    // on the host, the same calls get the kernel's answers
    const host = spawnSync('sh', ['-c', `${perl(ioUring, 1, 0)}`], { encoding: 'utf8' }).stdout;
    expect(host).toBe('14');
  });
});

d('identity: zone root is an unprivileged host user', () => {
  test("the zone's processes run as its block of host ids; two zones get different blocks", () => {
    const a = idmapOf(A);
    const x = idmapOf(X);
    expect(a.uid).toBeGreaterThanOrEqual(65536);
    expect(x.uid).not.toBe(a.uid);
    expect(Math.abs(x.uid - a.uid)).toBeGreaterThanOrEqual(65536);
    expect(hostUid(initPid(A))).toBe(a.uid);
    expect(hostUid(initPid(X))).toBe(x.uid);
    // and what the zone sees of it
    expect(zlogin(A, 'id -u; cat /proc/self/uid_map').out.split('\n').map((l) => l.trim().split(/\s+/))).toEqual([
      ['0'],
      ['0', String(a.uid), '65536'],
    ]);
    // zonecfg info says which
    expect(run('zonecfg', ['-z', A, 'info']).out).toContain(`[uid-map: 0 ${a.uid} 65536]`);
    // a process started by zlogin, seen from the host
    const marker = `sleep 4${process.pid % 10000}1`;
    zlogin(A, `${marker} >/dev/null 2>&1 &`);
    let pid = 0;
    for (let i = 0; i < 100 && !pid; i++) {
      pid = Number(spawnSync('pgrep', ['-x', '-f', marker], { encoding: 'utf8' }).stdout.trim());
      if (!pid) spawnSync('sleep', ['0.02']);
    }
    expect(pid).toBeGreaterThan(0);
    try {
      expect(hostUid(pid)).toBe(a.uid);
    } finally {
      process.kill(pid, 'SIGKILL');
    }
  });

  test('files on disk keep their owners: the inherited /usr and what the zone creates are stored as uid 0', () => {
    expect(zlogin(A, 'stat -c %u:%g /usr/bin/su; touch /root/zt-made; stat -c %u /root/zt-made').out).toBe('0:0\n0');
    expect(statSync(join(zoneRoot(A), 'root/zt-made')).uid).toBe(0);
    // setuid binaries of the host's /usr work for the zone's root and users
    expect(zlogin(A, 'su -s /bin/sh -c "id -un" nobody').out).toBe('nobody');
  });

  test('a host-root-only file lofs-mounted read-only: the zone root owns what it sees, a zone user cannot read it', () => {
    expect(zlogin(A, 'cat /mnt/host/root-only')).toMatchObject({ code: 0, out: 'host secret' });
    const u = zlogin(A, 'cat /mnt/host/root-only', 'nobody');
    expect(u.code).not.toBe(0);
    expect(u.err).toMatch(/Permission denied/);
    expect(zlogin(A, 'echo x > /mnt/host/root-only').err).toMatch(/Read-only file system/);
  });
});

d('a writable lofs directory is shared with the zone\'s own host ids', () => {
  test('what the zone\'s root makes there, a setuid binary included, is never host root\'s', () => {
    expect(zlogin(A, 'cp /bin/true /mnt/rw/zt-suid && chmod 4755 /mnt/rw/zt-suid && stat -c %a /mnt/rw/zt-suid').out).toBe('4755');
    const st = statSync(join(sharedRw, 'zt-suid'));
    expect(st.uid).toBe(idmapOf(A).uid);
    expect(st.uid).not.toBe(0);
  });
});

d('descriptors: nothing the caller had open reaches the zone', () => {
  test('a file open as fd 100 in the shell that boots the zone and runs zlogin', () => {
    const z = `${tag}f`;
    const zp = join(base, 'zones', z);
    expect(run('zonecfg', ['-z', z, `create; set zonepath=${zp}`]).code).toBe(0);
    expect(run('zoneadm', ['-z', z, 'install']).code).toBe(0);
    const secret = join(base, 'fd100-secret');
    writeFileSync(secret, 'fd 100\n', { mode: 0o600 });
    const sh = (cmd: string) => spawnSync('bash', ['-c', `exec 100<${secret}; ${cmd}`], { env, encoding: 'utf8', timeout: 60_000 });
    expect(sh(`${bin('zoneadm')} -z ${z} boot -- -i zsched`).status).toBe(0);
    booted.push(z);
    expect(readFileSync(`/proc/${initPid(z)}/status`, 'utf8')).toBeTruthy();
    const initFds = spawnSync('ls', [`/proc/${initPid(z)}/fd`], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).sort();
    expect(initFds).toEqual(['0', '1', '2']);
    const viaZlogin = sh(`${bin('zlogin')} ${z} 'ls /proc/self/fd; cat /proc/1/fd/100 2>&1'`);
    // ls has its own directory open (3); nothing else, and no fd 100 anywhere
    expect(viaZlogin.stdout.split('\n').filter((l) => /^\d+$/.test(l))).toEqual(['0', '1', '2', '3']);
    expect(viaZlogin.stdout).not.toContain('fd 100');
  }, 120_000);
});

d('zlogin cannot be hijacked (the CVE-2019-5736 class)', () => {
  test('the helper is not dumpable, runs as the zone root, and is not in the zone: its /proc entries are root-owned', async () => {
    // An interactive login keeps the helper alive (it relays the zone's pty).
    const child = spawn('script', ['-qfec', `${bin('zlogin')} ${A}`, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const zoneRootUid = idmapOf(A).uid;
    const comm = (p: string) => {
      try {
        return readFileSync(`/proc/${p}/comm`, 'utf8').trim();
      } catch {
        return '';
      }
    };
    try {
      let helper = 0;
      for (let i = 0; i < 200 && !helper; i++) {
        await new Promise((r) => setTimeout(r, 25));
        for (const p of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
          // the helper itself, not its child between fork and exec (also `zenter`, until it execs the shell)
          let ppid = '';
          try {
            ppid = /^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? '';
          } catch {
            continue; // gone
          }
          if (comm(p) === 'zenter' && hostUid(Number(p)) === zoneRootUid && comm(ppid) !== 'zenter') helper = Number(p);
        }
      }
      expect(helper).toBeGreaterThan(0);
      // non-dumpable: the kernel gives its private /proc entries (fd, and with them exe, mem...) to
      // host root, although it runs as the zone's root
      expect(statSync(`/proc/${helper}`).uid).toBe(zoneRootUid);
      expect(statSync(`/proc/${helper}/fd`).uid).toBe(0);
      // and it is not in the zone: its pid namespace is the host's, its child's (the shell) the zone's
      const ns = (p: number | string) => readlinkSync(`/proc/${p}/ns/pid`);
      expect(ns(helper)).toBe(ns('self'));
      expect(ns(helper)).not.toBe(ns(initPid(A)));
      expect(zlogin(A, 'for p in /proc/[0-9]*; do readlink $p/exe; done').out).not.toContain('zenter');
    } finally {
      child.kill('SIGKILL');
    }
  }, 30_000);

  test('from a terminal, the zone\'s command gets neither the terminal nor the session (TIOCSTI, /dev/tty)', () => {
    const cmd = `${bin('zlogin')} ${A} 'readlink /proc/self/fd/0 /proc/self/fd/1; tty; (exec 3</dev/tty) 2>&1 | grep -c "No such device"; exit 3'; echo EXIT=$?`;
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { env, encoding: 'utf8', timeout: 30_000 });
    const out = r.stdout.replace(/\r/g, '').trim().split('\n');
    expect(out[0]).toMatch(/^pipe:\[\d+\]$/);
    expect(out[1]).toMatch(/^pipe:\[\d+\]$/);
    expect(out[2]).toBe('not a tty');
    expect(out[3]).toBe('1');
    expect(out[4]).toBe('EXIT=3');
  });

  test('a watcher in the zone racing 50 zlogins never opens a host binary for writing', async () => {
    const watcher = join(zoneRoot(A), 'tmp/watch.pl');
    writeFileSync(
      watcher,
      `my ($seen, $denied, $writable) = (0, 0, 0); my $end = time + 60;
       open(my $stop, '<', '/tmp/watch.go') or die; close $stop;
       while (time < $end && -e '/tmp/watch.go') {
         opendir(my $d, '/proc') or next;
         for my $p (grep { /^\\d+$/ && $_ != $$ } readdir $d) {
           my $exe = readlink("/proc/$p/exe");
           if (!defined $exe) { $denied++ if $!{EACCES} || $!{EPERM}; next }
           next if -e $exe;  # a binary of the zone's own tree
           $seen++;          # a binary that is not in the zone: the host's
           # opened, or refused only because it runs (ETXTBSY: write access was granted)
           $writable++ if open(my $w, '>>', "/proc/$p/exe") || $!{ETXTBSY};
         }
         closedir $d;
       }
       open(my $o, '>', '/tmp/watch.out'); print $o "seen=$seen denied=$denied writable=$writable\\n"; close $o;\n`,
    );
    writeFileSync(join(zoneRoot(A), 'tmp/watch.go'), '');
    const w = spawn(bin('zlogin'), [A, 'perl /tmp/watch.pl'], { env, stdio: 'ignore' });
    const done = new Promise((r) => w.once('exit', r));
    try {
      for (let i = 0; i < 50; i++) expect(zlogin(A, 'true').code).toBe(0);
    } finally {
      rmSync(join(zoneRoot(A), 'tmp/watch.go'), { force: true });
      await done;
    }
    const out = readFileSync(join(zoneRoot(A), 'tmp/watch.out'), 'utf8');
    console.log(`/proc/PID/exe watcher against 50 zlogins: ${out.trim()}`);
    // it did look at a host binary (the minimal init's) and at helpers on their way in (denied)
    expect(out).toMatch(/^seen=[1-9]\d* denied=\d+ writable=0$/m);
  }, 120_000);
});

d('the clock: sys_time sets the host clock through the supervisor, for a zone root only', () => {
  test('a default zone is refused; a sys_time zone sets it (to the time it is); a zone user is refused', () => {
    // date sets the clock to the time it reads, to the nanosecond: harmless
    const setNow = 'date -s "@$(date +%s.%N)" >/dev/null && echo set';
    const plain = zlogin(A, setNow);
    expect([plain.code, plain.err]).toEqual([1, 'date: cannot set date: Operation not permitted']);
    expect(zlogin(T, setNow)).toMatchObject({ code: 0, out: 'set' });
    const user = zlogin(T, setNow, 'nobody');
    expect([user.code, user.err]).toEqual([1, expect.stringContaining('date: cannot set date: Operation not permitted')]);
    // a user namespace the zone makes itself has every capability, but not the zone's: refused too
    const nested = zlogin(T, `unshare -Ur sh -c '${setNow}'`, 'nobody');
    expect([nested.code, nested.err]).toEqual([1, expect.stringContaining('date: cannot set date: Operation not permitted')]);
    expect(zlogin(T, `unshare -Ur sh -c '${setNow}'`).code).toBe(1);
    // reading the clock's state (adjtimex with no modes) works everywhere
    expect(zlogin(A, "perl -e 'my $b = \"\\0\" x 208; my $r = syscall(159, $b); print $r >= 0 ? \"read\" : $!'").out).toBe('read');
  });
});

d('what a zone root may still do in its own namespaces', () => {
  test('an exclusive-IP zone configures its own interfaces; a shared-IP one cannot touch the host\'s', () => {
    expect(zlogin(X, 'ip addr add 192.0.2.77/32 dev lo && ip -o addr show dev lo | grep -c 192.0.2.77')).toMatchObject({ code: 0, out: '1' });
    expect(zlogin(A, 'ip addr add 192.0.2.77/32 dev lo').code).not.toBe(0);
  });

  test('ping works in both kinds of zone (raw socket in its own stack, ICMP echo socket in the host\'s)', () => {
    expect(zlogin(X, 'ping -c 1 -W 2 127.0.0.1')).toMatchObject({ code: 0, out: expect.stringMatching(/1 received/) });
    expect(zlogin(A, 'ping -c 1 -W 2 127.0.0.1')).toMatchObject({ code: 0, out: expect.stringMatching(/1 received/) });
  });

  test('mounts, hostname, sudo and sub-cgroups are the zone\'s own', () => {
    expect(zlogin(A, 'mkdir -p /mnt/t && mount -t tmpfs zt-own /mnt/t && grep -c zt-own /proc/mounts').out).toBe('1');
    expect(readFileSync('/proc/self/mounts', 'utf8')).not.toContain('zt-own');
    expect(zlogin(A, 'sudo -u nobody id -un').out).toBe('nobody');
    expect(zlogin(A, 'mkdir /sys/fs/cgroup/pids/zt-sub && echo $$ > /sys/fs/cgroup/pids/zt-sub/cgroup.procs && cat /proc/self/cgroup | grep pids').out).toMatch(/pids:\/zt-sub$/);
  });
});

d('no code is loaded from an environment variable by the root tools', () => {
  test('ZONES_INSTALLER_MODULE, ZONES_ZONEADMD and ZONES_ZENTER are ignored', () => {
    const marker = join(base, 'env-code-ran');
    const evil = join(base, 'evil.mjs');
    writeFileSync(evil, `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(marker)}, 'installer');\n`);
    const script = join(base, 'evil.sh');
    writeFileSync(script, `#!/bin/sh\necho "$0" > ${marker}\nexit 1\n`, { mode: 0o755 });
    const z = `${tag}e`;
    const evilEnv = { ...env, ZONES_INSTALLER_MODULE: evil, ZONES_ZONEADMD: script, ZONES_ZENTER: script };
    expect(run('zonecfg', ['-z', z, `create; set zonepath=${join(base, 'zones', z)}`], { env: evilEnv }).code).toBe(0);
    expect(run('zoneadm', ['-z', z, 'install'], { env: evilEnv }).code).toBe(0);
    expect(run('zoneadm', ['-z', z, 'boot', '--', '-i', 'zsched'], { env: evilEnv }).code).toBe(0);
    booted.push(z);
    expect(run('zlogin', [z, 'echo in'], { env: evilEnv }).out).toBe('in');
    expect(run('zoneadm', ['-z', z, 'halt'], { env: evilEnv }).code).toBe(0);
    expect(existsSync(marker)).toBe(false);
  }, 120_000);
});
