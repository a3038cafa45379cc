/**
 * The state-changing subcommands through the real bin (child processes), with the test installer
 * of fixtures/dir-installer.mjs (a real root copied from a prepared directory) put in place by
 * fixtures/zoneadm-dir-installer.mjs, which then runs the real bin. Covers what only separate processes can show: kill -9 in the middle of
 * an install, two installs racing for one zone, signals, exit codes.
 */
import { test, expect, describe, beforeEach, afterEach } from '@jest/globals';
import { execa } from 'execa';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZoneStore } from '@zones/core/store/zone-store';
import { blankTemplate } from '@zones/core/store/templates';

const here = fileURLToPath(new URL('.', import.meta.url));
const BIN = resolve(here, 'fixtures/zoneadm-dir-installer.mjs');

let base: string;
let root: string;
let store: ZoneStore;
let template: string;

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'zoneadm-cli-ops-'));
  chmodSync(base, 0o755);
  root = join(base, 'zr');
  mkdirSync(join(base, 'zones'), { mode: 0o755 });
  template = join(base, 'template');
  mkdirSync(join(template, 'etc'), { recursive: true });
  writeFileSync(join(template, 'etc/motd'), 'hello\n');
  store = new ZoneStore(root);
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

function addZone(name: string): string {
  const c = blankTemplate(name);
  c.globals.zonepath = join(base, 'zones', name);
  store.save(c);
  return c.globals.zonepath;
}

const ENV = () => ({ ZONES_ROOT: root, ZONES_TEST_TEMPLATE: template });

function zoneadm(args: string[], env: Record<string, string> = {}) {
  return execa('node', [BIN, ...args], { env: { ...ENV(), ...env }, reject: false, stdin: 'ignore' });
}

async function waitFor(path: string, ms = 15000): Promise<void> {
  const end = Date.now() + ms;
  while (!existsSync(path)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${path}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const state = (z: string) => new ZoneStore(root).get(z)?.state;

describe('zoneadm install / uninstall (CLI)', () => {
  test('install with -c profile, then uninstall -F', async () => {
    const zp = addZone('web');
    const prof = join(base, 'profile.yaml');
    writeFileSync(prof, 'hostname: web01.example\ntimezone: Europe/Madrid\nlocale: C.UTF-8\nroot_password: s3cret\n');
    const r = await zoneadm(['-z', 'web', 'install', '-c', prof]);
    expect([r.exitCode, r.stderr]).toEqual([0, '']);
    expect(r.stdout.split('\n').slice(0, 4)).toEqual([
      'Preparing to install zone <web>.', `Copying ${template}`, 'Applying the system profile', 'Zone web is initialized.',
    ]);
    expect(state('web')).toBe('installed');
    const p = JSON.parse(readFileSync(join(zp, 'root/etc/zone-profile.json'), 'utf8'));
    expect(p).toMatchObject({ hostname: 'web01.example', timezone: 'Europe/Madrid', locale: 'C.UTF-8' });
    expect(p.rootPasswordHash).toMatch(/^\$6\$/);
    expect(readFileSync(join(root, 'var/log/zones/web.install.log'), 'utf8')).toContain('copied');

    const u = await zoneadm(['-z', 'web', 'uninstall']);
    expect([u.exitCode, u.stderr]).toEqual([1, "zoneadm: zone 'web': Input not from terminal and -F not specified: uninstall not done.\n".trimEnd()]);
    const f = await zoneadm(['-z', 'web', 'uninstall', '-F']);
    expect([f.exitCode, f.stdout, f.stderr]).toEqual([0, '', '']);
    expect(state('web')).toBe('configured');
  });

  test('a bad profile is refused before anything changes', async () => {
    addZone('bp');
    const prof = join(base, 'bad.yaml');
    writeFileSync(prof, 'hostname: -bad-\n');
    const r = await zoneadm(['-z', 'bp', 'install', '-c', prof]);
    expect([r.exitCode, r.stderr]).toEqual([1, `zoneadm: zone 'bp': ${prof}: hostname: '-bad-' is not a valid host name`]);
    expect(state('bp')).toBe('configured');
  });

  test('kill -9 in the middle of an install leaves it incomplete; uninstall -F brings it back', async () => {
    const zp = addZone('k9');
    const block = join(base, 'block');
    writeFileSync(block, '');
    const child = zoneadm(['-z', 'k9', 'install'], { ZONES_TEST_INSTALL_BLOCK: block });
    await waitFor(`${block}.ready`);
    expect(state('k9')).toBe('incomplete');
    child.kill('SIGKILL');
    const r = await child;
    expect(r.signal).toBe('SIGKILL');
    expect(state('k9')).toBe('incomplete');
    expect(existsSync(join(zp, 'root/etc/motd'))).toBe(true);

    const again = await zoneadm(['-z', 'k9', 'install']);
    expect([again.exitCode, again.stderr]).toEqual([1, "zoneadm: zone 'k9': zone is incomplete; uninstall required."]);
    const u = await zoneadm(['-z', 'k9', 'uninstall', '-F']);
    expect([u.exitCode, u.stderr]).toEqual([0, '']);
    expect(state('k9')).toBe('configured');
    expect(existsSync(join(zp, 'root'))).toBe(false);
    const ok = await zoneadm(['-z', 'k9', 'install']);
    expect(ok.exitCode).toBe(0);
    expect(state('k9')).toBe('installed');
  });

  test('two installs of one zone: one proceeds, the other gets the lock message', async () => {
    addZone('race');
    const block = join(base, 'block');
    writeFileSync(block, '');
    const first = zoneadm(['-z', 'race', 'install'], { ZONES_TEST_INSTALL_BLOCK: block });
    await waitFor(`${block}.ready`);
    const second = await zoneadm(['-z', 'race', 'install']);
    expect([second.exitCode, second.stdout, second.stderr]).toEqual([
      1, '', "zoneadm: zone 'race': another zoneadm may have an operation in progress.",
    ]);
    const u = await zoneadm(['-z', 'race', 'uninstall', '-F']);
    expect([u.exitCode, u.stderr]).toEqual([1, "zoneadm: zone 'race': another zoneadm may have an operation in progress."]);
    unlinkSync(block);
    const r = await first;
    expect(r.exitCode).toBe(0);
    expect(state('race')).toBe('installed');
  });

  test('SIGTERM aborts the installer and leaves the zone incomplete', async () => {
    addZone('term');
    const block = join(base, 'block');
    writeFileSync(block, '');
    const child = zoneadm(['-z', 'term', 'install'], { ZONES_TEST_INSTALL_BLOCK: block });
    await waitFor(`${block}.ready`);
    child.kill('SIGTERM');
    const r = await child;
    expect(r.exitCode).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe("zoneadm: zone 'term': installation interrupted (SIGTERM); the zone is incomplete.");
    expect(state('term')).toBe('incomplete');
  });

  test('installer errors: InstallError and MissingToolError are printed as zone errors', async () => {
    addZone('f1');
    const r = await zoneadm(['-z', 'f1', 'install'], { ZONES_TEST_INSTALL_FAIL: 'the archive is corrupt' });
    expect(r.exitCode).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe("zoneadm: zone 'f1': the archive is corrupt");
    expect(state('f1')).toBe('incomplete');
    addZone('f2');
    const m = await zoneadm(['-z', 'f2', 'install'], { ZONES_TEST_INSTALL_TOOL: 'no-such-tool-xyz' });
    expect(m.stderr.split('\n')[0]).toBe(
      "zoneadm: zone 'f2': no-such-tool-xyz: command not found; install the Debian package 'no-such-tool-xyz' (apt-get install no-such-tool-xyz)",
    );
    expect(state('f2')).toBe('incomplete');
  });
});

describe('zonepaths on the kernel file systems (CLI)', () => {
  test('install into /proc/zz ends at once with a message (it used to spin for ever in mkdir)', async () => {
    const c = blankTemplate('pz');
    c.globals.zonepath = '/proc/zz';
    store.save(c);
    const r = await execa('node', [BIN, '-z', 'pz', 'install'], { env: ENV(), reject: false, stdin: 'ignore', timeout: 15_000, killSignal: 'SIGKILL' });
    expect([r.timedOut, r.exitCode, r.stderr]).toEqual([false, 1,
      'Zonepath /proc/zz is on a proc file system.\n\tA local file system must be used.\n' +
        'could not verify zonepath /proc/zz because of the above errors.\nzoneadm: zone pz failed to verify']);
    expect(state('pz')).toBe('configured');
  });
});

describe('other subcommands (CLI)', () => {
  test('messages, usage errors and exit codes', async () => {
    addZone('a');
    const cases: Array<[string[], number, string]> = [
      [['-z', 'global', 'install'], 1, "zoneadm: zone 'global': install operation is invalid for the global zone."],
      [['-z', 'nosuch', 'verify'], 1, 'zoneadm: nosuch: No such zone configured'],
      [['-z', 'a', 'uninstall', '-F'], 1, "zoneadm: zone 'a': is already in state 'configured'."],
      [['-z', 'a', 'move', '/x'], 1, "zoneadm: zone 'a': must be installed before move."],
      [['-z', 'a', 'attach', '-F', '-n', '/x'], 1, "zoneadm: zone 'a': -F and -n flags are mutually exclusive"],
      [['-z', 'a', 'detach'], 1, "zoneadm: zone 'a': must be installed before detach."],
    ];
    for (const [args, code, err] of cases) {
      const r = await zoneadm(args);
      expect([args, r.exitCode, r.stderr]).toEqual([args, code, err]);
    }
    const c = await zoneadm(['-z', 'a', 'clone']);
    expect(c.exitCode).toBe(2);
    expect(c.stderr.startsWith('usage:\tclone [-m method] zonename\n')).toBe(true);
    const m = await zoneadm(['-z', 'a', 'mark', 'bogus']);
    expect([m.exitCode, m.stderr.split('\n')[0]]).toEqual([2, 'usage:\tmark incomplete']);
    const mk = await zoneadm(['-z', 'a', 'mark', 'incomplete']);
    expect([mk.exitCode, mk.stderr, state('a')]).toEqual([0, '', 'incomplete']);
  });

  test('the lifecycle subcommands: the oclif path (long flags) prints exactly what the fast path prints', async () => {
    addZone('lc');
    const pairs: Array<[string[], string[]]> = [
      [['-z', 'lc', 'boot'], ['boot', '--zone', 'lc']],
      [['-z', 'lc', 'boot', '-s', '--', '-m', 'verbose'], ['boot', '--single', '--zone', 'lc', '--', '-m', 'verbose']],
      [['-z', 'lc', 'halt', 'x'], ['halt', 'x', '--zone', 'lc']],
      [['-z', 'lc', 'shutdown', '--', 'x'], ['shutdown', '--zone=lc', '--', 'x']],
      [['-z', 'lc', 'shutdown', '-r'], ['shutdown', '--reboot', '--zone', 'lc']],
      [['-R', 'rel', '-z', 'lc', 'ready'], ['ready', '--root', 'rel', '--zone', 'lc']],
      [['-u', 'nope', 'reboot'], ['reboot', '--uuid', 'nope']],
    ];
    for (const [fast, slow] of pairs) {
      const a = await zoneadm(fast);
      const b = await zoneadm(slow);
      expect([slow, b.exitCode, b.stdout, b.stderr]).toEqual([slow, a.exitCode, a.stdout, a.stderr]);
      expect(a.exitCode).not.toBe(0);
    }
  });

  test('clone, detach -n, detach, attach', async () => {
    addZone('s');
    expect((await zoneadm(['-z', 's', 'install'])).exitCode).toBe(0);
    const szp = join(base, 'zones', 's');
    const tzp = addZone('t');
    const c = await zoneadm(['-z', 't', 'clone', '-m', 'copy', 's']);
    expect([c.exitCode, c.stdout, c.stderr]).toEqual([0, `Copying ${szp}...`, '']);
    writeFileSync(join(tzp, 'root/etc/motd'), 'clone\n');
    expect(readFileSync(join(szp, 'root/etc/motd'), 'utf8')).toBe('hello\n');

    const dry = await zoneadm(['-z', 't', 'detach', '-n']);
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toContain('zonename: t\n');
    expect(state('t')).toBe('installed');
    expect((await zoneadm(['-z', 't', 'detach'])).exitCode).toBe(0);
    expect(state('t')).toBe('configured');
    const v = await zoneadm(['-z', 't', 'attach', '-n', join(tzp, 'SUNWdetached.yaml')]);
    expect([v.exitCode, v.stderr]).toEqual([0, '']);
    const a = await zoneadm(['-z', 't', 'attach']);
    expect([a.exitCode, a.stderr]).toEqual([0, '']);
    expect(state('t')).toBe('installed');
  });
});
