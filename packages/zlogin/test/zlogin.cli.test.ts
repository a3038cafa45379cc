import { test, expect, describe, beforeAll, afterAll } from '@jest/globals';
import { execa } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZoneStore } from '@zones/core/store/zone-store';
import { blankTemplate } from '@zones/core/store/templates';
import { parseEscapeChar } from '../src/escape.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const BIN = resolve(here, '../bin/run.js');
const ROOT_BIN = resolve(here, '../../../bin/zlogin');
const USAGE = 'usage: zlogin [ -nQCES ] [ -e cmdchar ] [-l user] zonename [command [args ...] ]';
const isRoot = process.geteuid?.() === 0;

let root: string;
function zlogin(...args: string[]) {
  return execa('node', [BIN, ...args], { env: { ZONES_ROOT: root }, reject: false });
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'zlogin-cli-'));
  const store = new ZoneStore(root);
  for (const [name, state] of [['web01', 'installed'], ['z1', 'configured'], ['inc', 'incomplete']] as const) {
    const c = blankTemplate(name);
    c.globals.zonepath = `/zones/${name}`;
    store.save(c);
    if (state !== 'configured') store.setState(name, state);
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('zlogin usage errors (exit 2)', () => {
  test.each([
    [[], [USAGE]],
    [['-x', 'web01'], ['zlogin: illegal option -- x', USAGE]],
    [['-e'], ['zlogin: option requires an argument -- e', USAGE]],
    [['-C', '-l', 'u', 'web01'], ['zlogin: -l may not be specified for console login', USAGE]],
    [['-C', '-n', 'web01'], ['zlogin: -n may not be specified for console login', USAGE]],
    [['-C', '-S', 'web01'], ['zlogin: -S may not be specified for console login', USAGE]],
    [['-C', 'web01', 'ls'], ['zlogin: Commands may not be specified for console login.', USAGE]],
    [['-S', '-l', 'u', 'web01', 'ls'], ['zlogin: -l may not be specified for failsafe login', USAGE]],
    [['-lroot', '-S', 'web01'], ['zlogin: -l may not be specified for failsafe login', USAGE]],
    [['-n', 'web01'], ['zlogin: -n may not be specified for interactive login', USAGE]],
    [['-e', '\\x', 'web01'], ['zlogin: Unrecognized escape character option \\x', USAGE]],
    [['-e', '\\777', 'web01'], ["zlogin: Octal escape character '\\777' too large", USAGE]],
    [['-R', 'rel', 'web01'], ['zlogin: root path must be absolute.']],
  ])('%j', async (args, lines) => {
    const r = await zlogin(...args);
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([2, '', lines.join('\n')]);
  });
});

describe('zlogin zone checks (exit 1)', () => {
  test.each([
    [['global'], "zlogin: 'zlogin' not applicable to the global zone"],
    [['nosuch'], "zlogin: zone 'nosuch' unknown"],
    [['nosuch', 'ls'], "zlogin: zone 'nosuch' unknown"],
    [['z1'], "zlogin: cannot login to a zone which is 'configured'"],
    [['-C', 'inc'], "zlogin: cannot login to a zone which is 'incomplete'"],
  ])('%j', async (args, msg) => {
    const r = await zlogin(...args);
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([1, '', msg]);
  });

  (isRoot ? test : test.skip)('installed zone: only running zones accept logins; options after the zone are the command\'s', async () => {
    for (const args of [['web01'], ['web01', 'uname', '-s'], ['-nQ', '-e', '^', '-l', 'root', 'web01', 'ls', '-l', '--', 'x'], ['-E', 'web01']]) {
      const r = await zlogin(...args);
      expect([r.exitCode, r.stderr]).toEqual([1, "zlogin: login allowed only to running zones (web01 is 'installed')."]);
    }
  });

  (isRoot ? test : test.skip)('-C on an installed zone: the console waits for the zone to boot; ~. leaves', async () => {
    const r = await execa('node', [BIN, '-C', 'web01'], { env: { ZONES_ROOT: root }, input: '~.', reject: false, timeout: 10_000 });
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([
      0,
      "[Connected to zone 'web01' console]\n~.\n[Connection to zone 'web01' console closed]",
      '',
    ]);
    const q = await execa('node', [BIN, '-CQ', '-e', '^', 'web01'], { env: { ZONES_ROOT: root }, input: '~.\n^.', reject: false, timeout: 10_000 });
    expect([q.exitCode, q.stdout, q.stderr]).toEqual([0, '^.', '']);
  });

  test('root bin/zlogin runs the same CLI', async () => {
    const r = await execa(ROOT_BIN, ['z1'], { env: { ZONES_ROOT: root }, reject: false });
    expect([r.exitCode, r.stderr]).toEqual([1, "zlogin: cannot login to a zone which is 'configured'"]);
  });
});

describe('-e parsing', () => {
  test.each([
    ['~', { ok: true, char: 126 }],
    ['^', { ok: true, char: 94 }],
    ['ab', { ok: true, char: 97 }],
    ['\\', { ok: true, char: 92 }],
    ['\\\\', { ok: true, char: 92 }],
    ['\\101', { ok: true, char: 65 }],
    ['\\0', { ok: true, char: 0 }],
    ['\\377', { ok: true, char: 255 }],
    ['\\400', { ok: false, message: "Octal escape character '\\400' too large" }],
    ['\\q', { ok: false, message: 'Unrecognized escape character option \\q' }],
  ])('%j', (arg, res) => {
    expect(parseEscapeChar(arg)).toEqual(res);
  });
});
