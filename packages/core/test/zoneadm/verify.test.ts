import { test, expect, describe, beforeEach, afterEach } from '@jest/globals';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { verifyZone } from '../../src/zoneadm/verify.js';
import { ZoneadmError, formatZoneadmError } from '../../src/zoneadm/errors.js';
import { addZone, ctxFor, makeEnv, type Env } from './helpers.js';

let env: Env;
beforeEach(() => { env = makeEnv(); });
afterEach(() => env.cleanup());

function verify(zone: string): { ok: boolean; stdout: string; stderr: string } {
  const { ctx, io } = ctxFor(env, zone);
  try {
    verifyZone(ctx);
    return { ok: true, stdout: io.stdout, stderr: io.stderr };
  } catch (e) {
    if (!(e instanceof ZoneadmError)) throw e;
    return { ok: false, stdout: io.stdout, stderr: io.stderr + formatZoneadmError(e, zone) };
  }
}

describe('zoneadm verify', () => {
  test('a resource control this host cannot enforce is a WARNING, the zone still verifies', () => {
    const value = (limit: string, action = 'deny') => [{ priv: 'privileged', limit, action }];
    const zp = addZone(env, 'limits', {
      resources: [
        { type: 'rctl', props: { name: 'zone.max-lofi', value: value('4') } },
        { type: 'rctl', props: { name: 'zone.max-shm-ids', value: value('40000') } },
        { type: 'dedicated-cpu', props: { ncpus: '64' } },
      ],
    });
    mkdirSync(zp, { mode: 0o700 });
    const cpus = readFileSync('/sys/fs/cgroup/cpuset/cpuset.cpus', 'utf8').trim() === '0-1' ? 2 : undefined;
    const r = verify('limits');
    expect(r.ok).toBe(true);
    expect(r.stderr.split('\n').slice(0, 2)).toEqual([
      'WARNING: rctl zone.max-lofi is not enforced: a zone gets no loop (lofi) devices on Linux.',
      "WARNING: rctl zone.max-shm-ids 40000 is beyond the kernel's 32768 ids: 32768 is enforced.",
    ]);
    if (cpus) expect(r.stderr).toContain('WARNING: dedicated-cpu ncpus 64 cannot be met on this host: 2 CPUs, of which 1 always stays in the default pool.\n');
  });

  test('a good zonepath (0700, root) verifies silently', () => {
    const zp = addZone(env, 'good');
    mkdirSync(zp, { mode: 0o700 });
    expect(verify('good')).toEqual({ ok: true, stdout: '', stderr: '' });
  });

  test('missing zonepath: only a warning that install will create it', () => {
    const zp = addZone(env, 'absent');
    const r = verify('absent');
    expect(r.ok).toBe(true);
    expect(r.stderr.split('\n')[0]).toBe(`WARNING: ${zp} does not exist, so it could not be verified.`);
    expect(r.stderr).toContain(`When 'zoneadm install' is run, 'install' will try to create\n${zp}, and 'verify' will be tried again,`);
  });

  test('each wrong mode bit is named; owner; failure lines', () => {
    const zp = addZone(env, 'modes');
    mkdirSync(zp);
    chmodSync(zp, 0o675);
    chownSync(zp, 1000, 0);
    const r = verify('modes');
    expect(r.ok).toBe(false);
    expect(r.stderr).toBe([
      `${zp} is not owned by root.`,
      `${zp} must be owner executable.`,
      `${zp} must not be group readable.`,
      `${zp} must not be group writable.`,
      `${zp} must not be group executable.`,
      `${zp} must not be world readable.`,
      `${zp} must not be world executable.`,
      `could not verify zonepath ${zp} because of the above errors.`,
      'zoneadm: zone modes failed to verify',
      '',
    ].join('\n'));
  });

  test('parent must not be group or world writable', () => {
    const parent = join(env.zones, 'open');
    mkdirSync(parent);
    chmodSync(parent, 0o777);
    const zp = addZone(env, 'p', { zonepath: join(parent, 'p') });
    mkdirSync(zp, { mode: 0o700 });
    const r = verify('p');
    expect(r.stderr).toContain(`${parent} must not be group writable.\n${parent} must not be world writable.\n`);
    expect(r.ok).toBe(false);
  });

  test('a symlink component: Resolved path mismatch', () => {
    mkdirSync(join(env.zones, 'real'));
    symlinkSync(join(env.zones, 'real'), join(env.zones, 'link'));
    const zp = addZone(env, 'sym', { zonepath: join(env.zones, 'link', 'sym') });
    mkdirSync(join(env.zones, 'real', 'sym'), { mode: 0o700 });
    const r = verify('sym');
    expect(r.ok).toBe(false);
    expect(r.stderr).toBe(
      `zoneadm: ${zp}: Resolved path mismatch\ncould not verify zonepath ${zp} because of the above errors.\nzoneadm: zone sym failed to verify\n`,
    );
  });

  test('overlap with an installed zone, either way round; configured zones do not count', () => {
    const a = addZone(env, 'a', { state: 'installed' });
    mkdirSync(a, { mode: 0o700 });
    const b = addZone(env, 'b', { zonepath: join(a, 'inner') });
    mkdirSync(b, { mode: 0o700 });
    const r = verify('b');
    expect(r.stderr.split('\n')[0]).toBe(`b zonepath (${b}) and a zonepath (${a}) overlap.`);
    expect(r.ok).toBe(false);
    // a itself does not overlap with the configured b
    expect(verify('a').ok).toBe(true);
  });

  test('installed zone whose zonepath vanished: a warning on stdout', () => {
    const gone = addZone(env, 'gone', { state: 'installed' });
    const zp = addZone(env, 'x');
    mkdirSync(zp, { mode: 0o700 });
    const r = verify('x');
    expect(r.ok).toBe(true);
    expect(r.stdout).toBe(`WARNING: zone gone is installed, but its zonepath ${gone} does not exist.\n`);
  });

  test('inherit-pkg-dir, fs special and limitpriv problems', () => {
    const zp = addZone(env, 'cfg', {
      resources: [
        { type: 'inherit-pkg-dir', props: { dir: '/usr' } },
        { type: 'inherit-pkg-dir', props: { dir: '/nonexistent-ipd' } },
        { type: 'fs', props: { dir: '/data', special: '/nonexistent-special', type: 'lofs' } },
      ],
      limitpriv: 'default,sys_time,frobnicate',
    });
    mkdirSync(zp, { mode: 0o700 });
    const r = verify('cfg');
    expect(r.ok).toBe(false);
    expect(r.stderr).toBe([
      'could not verify fs /data: could not access /nonexistent-special: No such file or directory',
      'could not verify inherit-pkg-dir /nonexistent-ipd: No such file or directory',
      'unknown privilege "frobnicate" specified in the zone\'s privilege set',
      'zoneadm: zone cfg failed to verify',
      '',
    ].join('\n'));
  });

  test('a device match outside /dev names nothing a zone can get: reported, not skipped', () => {
    const zp = addZone(env, 'dev', {
      resources: [
        { type: 'device', props: { match: '/dev/null' } },
        { type: 'device', props: { match: '/etc/shad*' } },
      ],
    });
    mkdirSync(zp, { mode: 0o700 });
    expect(verify('dev')).toMatchObject({
      ok: false,
      stderr: 'could not verify device /etc/shad*: not a path under /dev\nzoneadm: zone dev failed to verify\n',
    });
  });

  test('a privilege that does nothing in a zone (its capability acts only in the host) is a warning, sys_time is not', () => {
    const zp = addZone(env, 'noeff', { limitpriv: 'default,sys_time,proc_priocntl,dtrace_user' });
    mkdirSync(zp, { mode: 0o700 });
    expect(verify('noeff')).toEqual({
      ok: true,
      stdout: '',
      stderr: [
        'WARNING: privilege "dtrace_user" has no effect in a zone: perf_event_open and bpf are refused in every zone (docs/security.md).',
        'WARNING: privilege "proc_priocntl" has no effect in a zone: CAP_SYS_NICE acts only in the host\'s user namespace (docs/security.md).',
        '',
      ].join('\n'),
    });
  });

  test('incomplete zone; detached root in the configured state; root with a bad mode', () => {
    addZone(env, 'inc', { state: 'incomplete' });
    expect(verify('inc').stderr).toBe("zoneadm: zone 'inc': zone is incomplete; uninstall required.\n");
    const zp = addZone(env, 'det');
    mkdirSync(join(zp, 'root'), { recursive: true, mode: 0o755 });
    chmodSync(zp, 0o700);
    chmodSync(join(zp, 'root'), 0o755);
    expect(verify('det').ok).toBe(true);
    chmodSync(join(zp, 'root'), 0o700);
    expect(verify('det').stderr.split('\n')[0]).toBe(`${zp}/root mode is not 0755.`);
    chmodSync(join(zp, 'root'), 0o755);
    writeFileSync(join(zp, 'SUNWdetached.yaml'), 'x: 1\n');
    expect(verify('det').stderr.split('\n').slice(0, 2)).toEqual(['Cannot verify detached zone.', `Use attach or remove ${zp} directory.`]);
    expect(statSync(zp).mode & 0o777).toBe(0o700);
  });

  test('a zonepath on a kernel file system or under /proc, /sys, /dev: refused, nothing created', () => {
    const cases: Array<[string, string]> = [
      ['/proc/zz', 'on a proc file system'],
      ['/proc/1/zz', 'on a proc file system'],
      ['/sys/zz', 'on a sysfs file system'],
      ['/dev/zz', 'on a devtmpfs file system'],
      ['/dev/shm/zz/deeper', 'under /dev'],
    ];
    const cg = readFileSync('/proc/self/mountinfo', 'utf8').match(/ (\/sys\/fs\/cgroup\S*) .* - (cgroup2?) /);
    if (cg) cases.push([`${cg[1]}/zz`, `on a ${cg[2]} file system`]);
    // a symbolic link into /proc counts as /proc
    symlinkSync('/proc/self', join(env.zones, 'toproc'));
    cases.push([join(env.zones, 'toproc', 'zz'), 'on a proc file system']);
    for (const [zp, where] of cases) {
      const name = `k${cases.findIndex((c) => c[0] === zp)}`;
      addZone(env, name, { zonepath: zp });
      const r = verify(name);
      expect([zp, r.ok, r.stderr]).toEqual([zp, false,
        `Zonepath ${zp} is ${where}.\n\tA local file system must be used.\n` +
          `could not verify zonepath ${zp} because of the above errors.\nzoneadm: zone ${name} failed to verify\n`]);
      expect(existsSync(zp)).toBe(false);
    }
  });

  test('a zonepath root that is a symbolic link (or not a directory) is refused in every state', () => {
    const victim = join(env.base, 'victim');
    mkdirSync(victim, { mode: 0o755 });
    for (const st of ['configured', 'installed'] as const) {
      const zp = addZone(env, `r${st}`, { state: st });
      mkdirSync(zp, { mode: 0o700 });
      symlinkSync(victim, join(zp, 'root'));
      const r = verify(`r${st}`);
      expect([st, r.ok, r.stderr.split('\n')[0]]).toEqual([st, false, `${zp}/root is not a directory.`]);
    }
    const zp = addZone(env, 'rfile', { state: 'installed' });
    mkdirSync(zp, { mode: 0o700 });
    writeFileSync(join(zp, 'root'), '');
    expect(verify('rfile').stderr.split('\n')[0]).toBe(`${zp}/root is not a directory.`);
  });
});
