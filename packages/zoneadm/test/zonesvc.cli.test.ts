/**
 * zonesvc's bin without booting a zone: its command line, and the service it writes
 * (docs/autoboot.md): the systemd unit checked by systemd-analyze and read back with `ini`, the
 * init script checked by `sh -n`, install/remove round trips into temporary directories (never
 * the host's /etc). Starting and stopping zones for real: zonesvc.e2e.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execa } from 'execa';
import { accessSync, chmodSync, constants, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'ini';
import { traceLines } from '../../core/test/faults/trace.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const BIN = resolve(here, '../bin/zonesvc.js');
const SYSTEMD_ANALYZE = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p));

let base: string;
let root: string;
const zonesvc = (args: string[], env: Record<string, string> = {}) =>
  execa('node', [BIN, ...args], { env: { ZONES_ROOT: root, ...env }, extendEnv: false, reject: false });

/** The unit as systemd would read it, through `ini`. */
function readUnit(path: string): Record<string, Record<string, string>> {
  return parse(readFileSync(path, 'utf8')) as Record<string, Record<string, string>>;
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'zonesvc-cli-'));
  chmodSync(base, 0o755); // another user reads the root too
  root = join(base, 'zr');
  mkdirSync(root);
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('zonesvc command line', () => {
  test.each([
    [[], undefined],
    [['frob'], 'zonesvc: unknown subcommand: frob'],
    [['stop', '-t', '0'], 'zonesvc: invalid timeout: 0 (whole seconds, at least 1)'],
    [['stop', '--timeout=2s'], 'zonesvc: invalid timeout: 2s (whole seconds, at least 1)'],
    [['install', '--init', 'upstart'], 'zonesvc: invalid init system: upstart (systemd or sysv)'],
    [['start', '-R', 'relative'], 'zonesvc: root path must be absolute.'],
    [['start', '-R', '/nonexistent-zonesvc-root'], 'zonesvc: root path must be a directory.'],
    [['install', '-d', 'etc'], 'zonesvc: directory must be absolute: etc'],
    [['start', '-t', '5'], 'zonesvc: illegal option -- t'],
    [['start', '--bogus'], 'zonesvc: illegal option -- bogus'],
    [['status', 'extra'], 'zonesvc: unexpected argument: extra'],
  ])('%j: exit 2, the message and the usage', async (args, message) => {
    const r = await zonesvc(args);
    expect(r.exitCode).toBe(2);
    const lines = r.stderr.split('\n');
    if (message) expect(lines[0]).toBe(message);
    expect(r.stderr).toContain('usage:\tzonesvc start [-R root]\n\tzonesvc stop [-R root] [-t seconds]\n');
    expect(traceLines(r.stderr + r.stdout)).toEqual([]);
  });

  (process.getuid?.() === 0 ? test : test.skip)('start and stop need root; status does not', async () => {
    const asNobody = (args: string[]) =>
      execa('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, ...args], { reject: false, extendEnv: false });
    for (const sub of ['start', 'stop']) {
      const r = await asNobody([sub, '-R', root]);
      expect([r.exitCode, r.stdout, r.stderr]).toEqual([1, '', `zonesvc: only a privileged user may ${sub} the zones service.`]);
    }
    const s = await asNobody(['status', '-R', root]);
    expect([s.exitCode, s.stderr]).toEqual([0, '']);
  });

  test('--help: the usage and every option, on stdout', async () => {
    const r = await zonesvc(['--help']);
    expect([r.exitCode, r.stderr]).toEqual([0, '']);
    for (const w of ['zonesvc install [-R root] [--init systemd|sysv] [-t seconds] [-d dir]', '--init', '--timeout', 'svc:/system/zones:default']) {
      expect(r.stdout).toContain(w);
    }
  });
});

describe('zonesvc install / remove: the systemd unit', () => {
  test('the unit: oneshot, absolute node and zonesvc that run, the root on its command line, shutdown ordering', async () => {
    const dir = join(base, 'systemd-a');
    const r = await zonesvc(['install', '-d', dir]);
    expect([r.exitCode, r.stderr]).toEqual([0, '']);
    const path = join(dir, 'zones.service');
    expect(r.stdout.split('\n')[0]).toBe(`zonesvc: wrote ${path}`);
    // not the system's directory: nothing enabled, and the admin is told what to run
    expect(r.stdout).toContain('systemctl enable --now zones.service');
    expect(statSync(path).mode & 0o777).toBe(0o644);
    const u = readUnit(path);
    expect(Object.keys(u)).toEqual(['Unit', 'Service', 'Install']);
    expect(u.Service).toMatchObject({ Type: 'oneshot', RemainAfterExit: 'yes', SuccessExitStatus: '1', KillMode: 'process' });
    expect(u.Install).toEqual({ WantedBy: 'multi-user.target' });
    expect(u.Unit!.After!.split(' ')).toEqual(expect.arrayContaining(['local-fs.target', 'remote-fs.target', 'network-online.target']));
    expect(u.Unit).toMatchObject({ Wants: 'network-online.target', Before: 'shutdown.target', Conflicts: 'shutdown.target' });
    // the root it was installed for (from ZONES_ROOT here), explicitly: nothing read from the environment at run time
    const start = u.Service!.ExecStart!.split(' ');
    const stop = u.Service!.ExecStop!.split(' ');
    expect(start.slice(2)).toEqual(['start', '-R', root]);
    expect(stop.slice(2)).toEqual(['stop', '-R', root, '-t', '75']);
    expect(readFileSync(path, 'utf8')).not.toMatch(/\$|%|Environment/);
    expect(Number(u.Service!.TimeoutStopSec)).toBe(100);
    for (const cmd of [start, stop]) {
      const [node, entry] = cmd as [string, string];
      expect(node.startsWith('/') && entry.startsWith('/')).toBe(true);
      accessSync(node, constants.X_OK);
      expect(realpathSync(entry)).toBe(realpathSync(BIN));
      // they run: the same node and entry answer a harmless command line
      const h = await execa(node, [entry, 'status', '-R', root], { reject: false, extendEnv: false });
      expect([h.exitCode, h.stderr]).toEqual([0, '']);
      expect(h.stdout).toContain(`autoboot zones under ${root}: none`);
    }
  });

  test('-t: ExecStop gives the zones that long, TimeoutStopSec a third more (Solaris: 3/4 shutdown, 1/4 halt)', async () => {
    const dir = join(base, 'systemd-t');
    expect((await zonesvc(['install', '-d', dir, '-t', '30', '-R', base])).exitCode).toBe(0);
    const u = readUnit(join(dir, 'zones.service'));
    expect(u.Service!.ExecStop!.split(' ').slice(2)).toEqual(['stop', '-R', base, '-t', '30']);
    expect(u.Service!.TimeoutStopSec).toBe('40');
  });

  (SYSTEMD_ANALYZE ? test : test.skip)('systemd-analyze verify accepts the unit, and refuses one whose ExecStart is missing', async () => {
    const dir = join(base, 'systemd-v');
    expect((await zonesvc(['install', '-d', dir])).exitCode).toBe(0);
    const unit = join(dir, 'zones.service');
    const v = await execa(SYSTEMD_ANALYZE!, ['verify', unit], { reject: false });
    expect(v.exitCode).toBe(0);
    expect(v.stderr.split('\n').filter((l) => l.includes('zones.service'))).toEqual([]);
    // the check can fail: the same unit pointing at a zonesvc that is not there
    const broken = join(base, 'broken', 'zones.service');
    mkdirSync(join(base, 'broken'));
    writeFileSync(broken, readFileSync(unit, 'utf8').replaceAll(`${BIN} `, '/nonexistent/zonesvc.js ').replaceAll('/usr/bin/node', '/nonexistent/node'));
    const b = await execa(SYSTEMD_ANALYZE!, ['verify', broken], { reject: false });
    expect(b.exitCode).not.toBe(0);
    expect(b.stderr).toContain('/nonexistent/node');
  });
  if (!SYSTEMD_ANALYZE) console.warn('zonesvc unit check skipped: systemd-analyze not found (Debian package systemd)');

  test('install twice: the same file, no temporary left; remove, remove again; status follows', async () => {
    const dir = join(base, 'systemd-r');
    const path = join(dir, 'zones.service');
    expect((await zonesvc(['install', '-d', dir])).exitCode).toBe(0);
    const first = readFileSync(path, 'utf8');
    const again = await zonesvc(['install', '-d', dir]);
    expect([again.exitCode, again.stderr]).toEqual([0, '']);
    expect(readFileSync(path, 'utf8')).toBe(first);
    expect(readdirSync(dir)).toEqual(['zones.service']);
    const st = await zonesvc(['status', '-d', dir]);
    expect(st.stdout.split('\n')[0]).toBe(`systemd unit  ${path}: not enabled, zones root ${root}, stop timeout 75 s`);
    // what systemctl enable makes: a link in multi-user.target.wants
    mkdirSync(join(dir, 'multi-user.target.wants'));
    await execa('ln', ['-s', path, join(dir, 'multi-user.target.wants/zones.service')]);
    expect((await zonesvc(['status', '-d', dir])).stdout.split('\n')[0]).toContain(': enabled, zones root');
    const rm = await zonesvc(['remove', '--init', 'systemd', '-d', dir]);
    expect([rm.exitCode, rm.stdout, rm.stderr]).toEqual([0, `zonesvc: removed ${path}`, '']);
    expect(existsSync(path)).toBe(false);
    const rm2 = await zonesvc(['remove', '-d', dir]);
    expect([rm2.exitCode, rm2.stdout, rm2.stderr]).toEqual([0, 'zonesvc: no zones service installed', '']);
    expect((await zonesvc(['status', '-d', dir])).stdout.split('\n')[0]).toBe(`systemd unit  ${path}: not installed`);
  });

  test('a directory that cannot be written, a path a unit cannot carry: one line, exit 1, nothing written', async () => {
    const file = join(base, 'a-file');
    writeFileSync(file, '');
    const r = await zonesvc(['install', '-d', file]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(`zonesvc: cannot write ${file}/zones.service: Not a directory`);
    expect(traceLines(r.stderr)).toEqual([]);
    const odd = join(base, 'odd root%');
    mkdirSync(odd);
    const dir = join(base, 'systemd-odd');
    const o = await zonesvc(['install', '-d', dir, '-R', odd]);
    expect([o.exitCode, o.stderr]).toEqual([1, `zonesvc: zones root path '${odd}' cannot be written into a service file: only an absolute path of letters, digits and . _ + @ - /`]);
    expect(existsSync(dir)).toBe(false);
  });
});

describe('zonesvc install --init sysv: the init script', () => {
  test('an LSB script that sh accepts, with the same entry point; status and an unknown action', async () => {
    const dir = join(base, 'init.d');
    const r = await zonesvc(['install', '--init', 'sysv', '-d', dir, '-t', '9']);
    expect([r.exitCode, r.stderr]).toEqual([0, '']);
    const path = join(dir, 'zones');
    expect(r.stdout.split('\n')[0]).toBe(`zonesvc: wrote ${path}`);
    expect(statSync(path).mode & 0o777).toBe(0o755);
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(/^#!\/bin\/sh\n/);
    expect(text).toMatch(/### BEGIN INIT INFO\n# Provides: +zones\n[^]*# Default-Stop: +0 1 6\n[^]*### END INIT INFO/);
    expect(text).toContain(`ROOT='${root}'\n`);
    expect(text).toContain('TIMEOUT=9\n');
    expect((await execa('sh', ['-n', path], { reject: false })).exitCode).toBe(0);
    const st = await execa('sh', [path, 'status'], { reject: false, extendEnv: false });
    expect([st.exitCode, st.stderr]).toEqual([0, '']);
    expect(st.stdout).toContain(`autoboot zones under ${root}: none`);
    const bad = await execa('sh', [path, 'frob'], { reject: false });
    expect([bad.exitCode, bad.stderr]).toEqual([3, `Usage: ${path} {start|stop|restart|force-reload|status}`]);
    expect((await zonesvc(['status', '-d', dir])).stdout.split('\n')[1]).toBe(`init script   ${path}: not enabled, zones root ${root}, stop timeout 9 s`);
    const rm = await zonesvc(['remove', '--init', 'sysv', '-d', dir]);
    expect([rm.exitCode, rm.stdout]).toEqual([0, `zonesvc: removed ${path}`]);
    expect(existsSync(path)).toBe(false);
  });
});
