/**
 * The small zone: a real install from this host's /etc, and one from a prepared host tree that
 * carries everything that must not leak (users >= 1000, ssh host keys, private keys, secrets).
 */
import { test, expect, describe, beforeAll, afterAll } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { SparseInstaller, etcExclusion } from '../../src/brands/sparse.js';
import { InstallError } from '../../src/brands/types.js';
import { config, duK, makeCtx, tempDir } from './helpers.js';

let t: ReturnType<typeof tempDir>;
beforeAll(() => {
  t = tempDir('sparse');
});
afterAll(() => t.cleanup());

function users(root: string): Array<{ name: string; uid: number }> {
  return readFileSync(join(root, 'etc/passwd'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(':'))
    .map((f) => ({ name: f[0]!, uid: Number(f[2]) }));
}

describe('install from this host', () => {
  test('builds a small zone: identity removed, profile applied, < 10 MiB', async () => {
    const ctx = makeCtx(t.dir, 'viernes13', config('viernes13', 'native', ['/usr']));
    const t0 = performance.now();
    await new SparseInstaller().install(ctx);
    const ms = performance.now() - t0;
    const kib = duK(ctx.root);
    console.log(`sparse install from / : ${ms.toFixed(0)} ms, ${kib} KiB (du -sk)`);
    const r = ctx.root;

    expect(lstatSync(r).mode & 0o7777).toBe(0o755);
    expect(kib).toBeLessThan(10 * 1024);
    // no host users, no ssh keys, a new machine-id, the zone's own names
    expect(users(r).filter((u) => u.uid >= 1000 && u.name !== 'nobody')).toEqual([]);
    expect(readdirSync(join(r, 'etc/ssh')).filter((f) => f.startsWith('ssh_host_'))).toEqual([]);
    const mid = readFileSync(join(r, 'etc/machine-id'), 'utf8').trim();
    expect(mid).toMatch(/^[0-9a-f]{32}$/);
    if (existsSync('/etc/machine-id')) expect(mid).not.toBe(readFileSync('/etc/machine-id', 'utf8').trim());
    expect(readFileSync(join(r, 'etc/hostname'), 'utf8')).toBe('viernes13\n');
    expect(readFileSync(join(r, 'etc/hosts'), 'utf8')).toMatch(/^127\.0\.1\.1\tviernes13$/m);
    expect(readFileSync(join(r, 'etc/fstab'), 'utf8')).not.toMatch(/^[^#]/m);
    expect(readlinkSync(join(r, 'etc/mtab'))).toBe('../proc/self/mounts');
    expect(readFileSync(join(r, 'etc/timezone'), 'utf8')).toBe('Europe/Madrid\n');
    expect(readFileSync(join(r, 'etc/default/locale'), 'utf8')).toBe('LANG=C.UTF-8\n');
    expect(readFileSync(join(r, 'etc/shadow'), 'utf8')).toMatch(/^root:\$6\$saltsalt\$[^:]+:/);
    // what /usr needs from /etc is there
    if (existsSync('/etc/alternatives')) expect(lstatSync(join(r, 'etc/alternatives')).isDirectory()).toBe(true);
    if (existsSync('/etc/ld.so.cache')) expect(existsSync(join(r, 'etc/ld.so.cache'))).toBe(true);
    if (existsSync('/etc/nsswitch.conf')) expect(existsSync(join(r, 'etc/nsswitch.conf'))).toBe(true);
    if (existsSync('/etc/ssl/certs')) expect(lstatSync(join(r, 'etc/ssl/certs')).isDirectory()).toBe(true);
    // layout
    expect(lstatSync(join(r, 'usr')).isDirectory()).toBe(true);
    expect(readdirSync(join(r, 'usr'))).toEqual([]);
    for (const l of ['bin', 'lib', 'lib64', 'sbin']) {
      let host: string | undefined;
      try {
        host = readlinkSync(join('/', l));
      } catch {
        host = undefined;
      }
      if (host !== undefined) expect(readlinkSync(join(r, l))).toBe(host);
    }
    expect(lstatSync(join(r, 'tmp')).mode & 0o7777).toBe(0o1777);
    expect(lstatSync(join(r, 'var/tmp')).mode & 0o7777).toBe(0o1777);
    expect(lstatSync(join(r, 'root')).mode & 0o7777).toBe(0o700);
    expect(readlinkSync(join(r, 'var/run'))).toBe('../run');
    for (const d of ['dev', 'proc', 'sys', 'home', 'run', 'var/log', 'var/lib', 'var/cache', 'var/spool']) {
      expect(lstatSync(join(r, d)).isDirectory()).toBe(true);
    }
    expect(ctx.steps).toContain('Copying /etc from the global zone');
  });

  test('refuses an inherit-pkg-dir the host does not have, and a non-empty root', async () => {
    const ctx = makeCtx(t.dir, 'bad', config('bad', 'native', ['/no-such-dir']));
    await expect(new SparseInstaller().install(ctx)).rejects.toThrow('could not verify inherit-pkg-dir /no-such-dir');
    const ctx2 = makeCtx(t.dir, 'busy', config('busy', 'native', ['/usr']));
    mkdirSync(join(ctx2.root, 'junk'), { recursive: true });
    await expect(new SparseInstaller().install(ctx2)).rejects.toThrow(InstallError);
  });
});

describe('install from a prepared host tree', () => {
  let host: string;
  let server: ReturnType<typeof createServer> | undefined;
  const outsideSecret = () => join(t.dir, 'outside-secret');

  beforeAll(async () => {
    host = join(t.dir, 'host');
    const w = (rel: string, data: string, mode = 0o644) => {
      mkdirSync(join(host, rel, '..'), { recursive: true });
      writeFileSync(join(host, rel), data, { mode });
      chmodSync(join(host, rel), mode);
    };
    mkdirSync(join(host, 'usr/bin'), { recursive: true });
    symlinkSync('usr/bin', join(host, 'bin'));
    symlinkSync('usr/lib', join(host, 'lib'));
    w('etc/passwd', 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\nalice:x:1000:1000::/home/alice:/bin/bash\nbob:x:1001:1001::/home/bob:/bin/bash\nnobody:x:65534:65534::/nonexistent:/usr/sbin/nologin\n');
    w('etc/group', 'root:x:0:\nsudo:x:27:alice,daemon\nshadow:x:42:\nalice:x:1000:\nbob:x:1001:\nnogroup:x:65534:\n');
    w('etc/shadow', 'root:$6$host$hosthash:19000:0:99999:7:::\ndaemon:$6$x$daemonhash:19000::::::\nalice:$6$a$alicehash:19000::::::\nbob:!:19000::::::\nnobody:*:19000::::::\n', 0o640);
    w('etc/gshadow', 'root:*::\nsudo:*::alice,daemon\nshadow:*::\nalice:!::\nbob:!::\nnogroup:*::\n', 0o640);
    w('etc/passwd-', 'alice:x:1000:1000::/home/alice:/bin/bash\n');
    w('etc/subuid', 'alice:100000:65536\n');
    w('etc/hostname', 'the-host\n');
    w('etc/hosts', '127.0.1.1 the-host\n');
    w('etc/machine-id', 'ffffffffffffffffffffffffffffffff\n', 0o444);
    w('etc/fstab', 'UUID=1234 / ext4 defaults 0 1\n');
    w('etc/ssh/sshd_config', 'Port 22\n');
    w('etc/ssh/ssh_host_ed25519_key', 'PRIVATE\n', 0o600);
    w('etc/ssh/ssh_host_ed25519_key.pub', 'ssh-ed25519 AAAA host\n');
    w('etc/ssl/certs/ca.pem', 'CERT\n');
    w('etc/ssl/private/host.key', 'KEY\n', 0o640);
    w('etc/wireguard/wg0.conf', 'PrivateKey = x\n', 0o600);
    w('etc/sudoers', 'root ALL=(ALL) ALL\n', 0o440);
    w('etc/sudoers.d/README', 'readme\n', 0o440);
    w('etc/login.defs', 'UID_MIN 1000\nGID_MIN 1000\n');
    w('etc/timezone', 'Europe/Madrid\n');
    w('etc/alternatives/README', 'alt\n');
    symlinkSync('/usr/bin/mawk', join(host, 'etc/alternatives/awk'));
    writeFileSync(outsideSecret(), 'do not copy\n');
    symlinkSync(outsideSecret(), join(host, 'etc/points-outside'));
    execFileSync('mkfifo', [join(host, 'etc/a-fifo')]);
    server = createServer();
    await new Promise<void>((res) => server!.listen(join(host, 'etc/a-socket'), () => res()));
  });
  afterAll(() => new Promise<void>((res) => (server ? server.close(() => res()) : res())));

  test('keeps system accounts only and drops secrets and identity', async () => {
    const ctx = makeCtx(t.dir, 'lab', config('lab', 'native', ['/usr']), {}, { hostRoot: host });
    await new SparseInstaller().install(ctx);
    const r = ctx.root;
    const etc = (f: string) => readFileSync(join(r, 'etc', f), 'utf8');

    expect(users(r).map((u) => u.name)).toEqual(['root', 'daemon', 'nobody']);
    expect(etc('group')).toBe('root:x:0:\nsudo:x:27:daemon\nshadow:x:42:\nnogroup:x:65534:\n');
    expect(etc('shadow')).toBe(
      `root:${ctx.profile.rootPasswordHash}:19000:0:99999:7:::\ndaemon:*:19000::::::\nnobody:*:19000::::::\n`,
    );
    expect(etc('gshadow')).toBe('root:*::\nsudo:*::daemon\nshadow:*::\nnogroup:*::\n');
    expect(lstatSync(join(r, 'etc/shadow')).mode & 0o777).toBe(0o640);
    expect(etc('subuid')).toBe('');
    expect(existsSync(join(r, 'etc/passwd-'))).toBe(false);
    expect(etc('hostname')).toBe('lab\n');
    expect(etc('machine-id').trim()).not.toBe('ffffffffffffffffffffffffffffffff');
    expect(etc('fstab')).not.toMatch(/UUID/);
    expect(readdirSync(join(r, 'etc/ssh'))).toEqual(['sshd_config']);
    expect(readdirSync(join(r, 'etc/ssl/private'))).toEqual([]);
    expect(etc('ssl/certs/ca.pem')).toBe('CERT\n');
    expect(existsSync(join(r, 'etc/wireguard/wg0.conf'))).toBe(false);
    expect(etc('sudoers')).toBe('root ALL=(ALL) ALL\n');
    expect(lstatSync(join(r, 'etc/sudoers')).mode & 0o777).toBe(0o440);
    expect(readlinkSync(join(r, 'etc/alternatives/awk'))).toBe('/usr/bin/mawk');
    // a link out of the tree is copied as a link, never as the file it points to
    expect(readlinkSync(join(r, 'etc/points-outside'))).toBe(outsideSecret());
    expect(existsSync(join(r, 'etc/a-fifo'))).toBe(false);
    expect(existsSync(join(r, 'etc/a-socket'))).toBe(false);
    // the host's merged-/usr links, read from the host tree
    expect(readlinkSync(join(r, 'bin'))).toBe('usr/bin');
    expect(readlinkSync(join(r, 'lib'))).toBe('usr/lib');
    expect(existsSync(join(r, 'sbin'))).toBe(false);
    expect(ctx.logs.join('')).toMatch(/ssh_host_ed25519_key \(ssh host key\)/);
  });

  test('exclusion rules', () => {
    const f = { mode: 0o644, isFile: () => true, isDirectory: () => false, isSymbolicLink: () => false };
    expect(etcExclusion('ssh/ssh_host_rsa_key.pub', f)).toBe('ssh host key');
    expect(etcExclusion('ssl/private/x.pem', f)).toBe('private key');
    expect(etcExclusion('ssl/certs/x.pem', f)).toBeUndefined();
    expect(etcExclusion('NetworkManager/system-connections/wifi', { ...f, mode: 0o600 })).toMatch(/secret/);
    expect(etcExclusion('sudoers.d/90-cloud', { ...f, mode: 0o440 })).toBeUndefined();
  });
});
