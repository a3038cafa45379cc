/** The command lines of the three tools (src/argv.ts, src/argv/*.ts): what each line asks for. */
import { test, expect, describe, afterAll } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { altRootProblem, getopt, oclifAnswers, oclifFlags, optstring, type FlagOptions } from '../src/argv.js';
import { hoistGlobalFlags, lifecycleBootargs, splitGlobalFlags, SUBCOMMAND_NAMES, SUBCOMMANDS, zoneadmLine } from '../src/argv/zoneadm.js';
import { parseZloginArgs, ZLOGIN_OPTIONS, ZLOGIN_OPTSTRING } from '../src/argv/zlogin.js';
import { zonecfgLine } from '../src/argv/zonecfg.js';

describe('getopt', () => {
  test.each([
    [['-nQ', 'z', 'ls', '-l'], { options: [{ char: 'n' }, { char: 'Q' }], operands: ['z', 'ls', '-l'] }],
    [['-lroot', '-e~', 'z'], { options: [{ char: 'l', value: 'root' }, { char: 'e', value: '~' }], operands: ['z'] }],
    [['-l', 'u', '--', '-z'], { options: [{ char: 'l', value: 'u' }], operands: ['-z'] }],
    [['-E', 'z', '-C'], { options: [{ char: 'E' }], operands: ['z', '-C'] }],
    [['-', '-n'], { options: [], operands: ['-', '-n'] }],
    [['-nl', '-Q'], { options: [{ char: 'n' }, { char: 'l', value: '-Q' }], operands: [] }],
    [['-nxQ', 'z'], { options: [{ char: 'n' }], operands: [], error: 'illegal option -- x' }],
    [['-:'], { options: [], operands: [], error: 'illegal option -- :' }],
    [['-n', '-l'], { options: [{ char: 'n' }], operands: [], error: 'option requires an argument -- l' }],
    [[], { options: [], operands: [] }],
  ])('%j', (argv, result) => {
    expect(getopt(argv, 'nECR:Se:l:Qd')).toEqual(result);
  });

  test('optstring: the option table in getopt form', () => {
    expect(ZLOGIN_OPTSTRING).toBe('nECR:Se:l:Qd');
    expect(optstring(SUBCOMMANDS.attach.options)).toBe('Fn:uU');
  });

  test('--help and --version (first) are oclif\'s', () => {
    expect([['--help'], ['--version', 'x'], ['z', '--help'], []].map(oclifAnswers)).toEqual([true, true, false, false]);
  });
});

describe('altRootProblem: the one -R check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zones-argv-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  test('absolute path to a directory, or what is wrong', () => {
    writeFileSync(join(dir, 'file'), '');
    expect(altRootProblem(dir)).toBeUndefined();
    expect(altRootProblem('rel')).toBe('root path must be absolute');
    expect(altRootProblem('')).toBe('root path must be absolute');
    expect(altRootProblem(join(dir, 'file'))).toBe('root path must be a directory');
    expect(altRootProblem(join(dir, 'missing'))).toBe('root path must be a directory');
  });
});

describe('oclifFlags: the oclif declarations come from the option tables', () => {
  const maker = {
    boolean: (o: FlagOptions) => ({ kind: 'boolean', ...o }),
    string: (o: FlagOptions) => ({ kind: 'string', ...o }),
  };
  test('kinds, letters, help; nothing undefined passed on', () => {
    expect(oclifFlags(maker, SUBCOMMANDS.attach.options)).toEqual({
      force: { kind: 'boolean', char: 'F', description: 'attach without validation' },
      dryRun: { kind: 'string', char: 'n', description: "validate a manifest only (path, or '-' for stdin)" },
      update: { kind: 'boolean', char: 'u', description: 'update on attach: allow an older release, refresh what the zone took from the host' },
      updateAll: { kind: 'boolean', char: 'U', description: "as -u, and the zone's own packages (sparse zones only)" },
    });
    expect(Object.keys(oclifFlags(maker, SUBCOMMANDS.mark.options).force)).toEqual(['kind', 'char', 'hidden']);
    expect(oclifFlags(maker, ZLOGIN_OPTIONS).R).toEqual({ kind: 'string', char: 'R', description: 'alternate root', hidden: true });
  });
});

describe('zoneadm', () => {
  test('the subcommands in Solaris order', () => {
    expect(SUBCOMMAND_NAMES.join(' ')).toBe('help boot halt ready shutdown reboot list verify install uninstall clone move detach attach mark apply export');
  });

  test.each([
    [['list'], ['list']],
    [['-z', 'a', 'boot', '-s'], ['boot', '-s', '-z', 'a']],
    [['-za', 'boot'], ['boot', '-z', 'a']],
    [['--zone=a', 'list', '-v'], ['list', '-v', '--zone=a']],
    [['--zone', 'a', 'list'], ['list', '--zone', 'a']],
    [['-R', '/r', '-u', 'U', '-z', 'a', 'list', '-p'], ['list', '-p', '-R', '/r', '-u', 'U', '-z', 'a']],
    [['-z', 'a', 'boot', '--', '-s', '-m', 'verbose'], ['boot', '-z', 'a', '--', '-s', '-m', 'verbose']],
    [['-z', 'a', 'mark', 'incomplete'], ['mark', 'incomplete', '-z', 'a']],
    [['-z'], ['-z']],
    [['-z', 'a', '-z'], ['-z', '-z', 'a']],
    [['list', '-z', 'a'], ['list', '-z', 'a']],
    // attach has a -u of its own: the global options go by their long names
    [['-u', 'U', '-z', 'a', 'attach', '-u'], ['attach', '-u', '--uuid=U', '--zone=a']],
    [['-zq', 'attach', '-U'], ['attach', '-U', '-z', 'q']],
    [[], []],
  ])('hoistGlobalFlags %j -> %j', (input, out) => {
    expect(hoistGlobalFlags(input)).toEqual(out);
  });

  test('splitGlobalFlags: the words, and their values when each is given once', () => {
    expect(splitGlobalFlags(['-zq', '-R/x', 'help', 'list'])).toMatchObject({ globals: ['-z', 'q', '-R', '/x'], rest: ['help', 'list'], flags: { zone: 'q', root: '/x' } });
    expect(splitGlobalFlags(['-z', '', '--uuid', 'U', 'list']).flags).toEqual({ zone: '', uuid: 'U' });
    expect(splitGlobalFlags(['-z', 'a', '--zone=b', 'list']).flags).toBeUndefined();
    expect(splitGlobalFlags(['--zone=', 'list'])).toMatchObject({ globals: ['--zone='], rest: ['list'], flags: undefined });
  });

  const usage = (explicit: boolean) => ({ kind: 'usage', explicit });
  const plain = (subcommand: string, globals: object, options: object, operands: string[] = [], more: object = {}) => ({
    kind: 'plain', subcommand, globals, options, operands, ...more,
  });
  test.each([
    [[], usage(false)],
    [['-?'], usage(true)],
    [['-z', 'a', '-?', 'list'], usage(true)],
    [['bogus'], usage(false)],
    [['-x', 'list'], usage(false)],
    [['-z'], usage(false)],
    [['--help'], usage(false)],
    [['-z', 'a', 'help', 'list', 'x'], { kind: 'help', topics: ['list', 'x'] }],
    [['list', '-cv'], plain('list', {}, { configured: true, verbose: true })],
    [['-zweb01', '-R', '/r', 'list', '-p', '-i'], plain('list', { zone: 'web01', root: '/r' }, { parsable: true, installed: true })],
    [['--zone=a', '--uuid', 'U', 'list'], plain('list', { zone: 'a', uuid: 'U' }, {})],
    [['-z', '', 'list'], plain('list', { zone: '' }, {})],
    [['-z', 'a', 'boot', '-s', '--', '-m', 'verbose'], plain('boot', { zone: 'a' }, { single: true }, [], { single: true, tail: ['-m', 'verbose'] })],
    [['-z', 'a', 'boot', 'x', 'y', '--'], plain('boot', { zone: 'a' }, {}, ['x', 'y'], { tail: [] })],
    [['-z', 'a', 'shutdown', '-rr', '--', '-s'], plain('shutdown', { zone: 'a' }, { reboot: true }, [], { reboot: true, tail: ['-s'] })],
    [['-z', 'a', 'halt', 'x'], plain('halt', { zone: 'a' }, {}, ['x'])],
    // anything else is oclif's to parse and report
    [['--zone=', 'list'], { kind: 'oclif', args: ['list', '--zone='] }],
    [['-z', 'a', '-z', 'b', 'list'], { kind: 'oclif', args: ['list', '-z', 'a', '-z', 'b'] }],
    [['list', '--configured'], { kind: 'oclif', args: ['list', '--configured'] }],
    [['list', 'extra'], { kind: 'oclif', args: ['list', 'extra'] }],
    [['list', '--'], { kind: 'oclif', args: ['list', '--'] }],
    [['list', '-'], { kind: 'oclif', args: ['list', '-'] }],
    [['list', '-cx'], { kind: 'oclif', args: ['list', '-cx'] }],
    [['-z', 'a', 'boot', 'x', '-s'], { kind: 'oclif', args: ['boot', 'x', '-s', '-z', 'a'] }],
    [['-z', 'a', 'boot', '-'], { kind: 'oclif', args: ['boot', '-', '-z', 'a'] }],
    [['-z', 'a', 'halt', '-s'], { kind: 'oclif', args: ['halt', '-s', '-z', 'a'] }],
    [['-z', 'a', 'install'], { kind: 'oclif', args: ['install', '-z', 'a'] }],
  ])('zoneadmLine %j', (argv, line) => {
    expect(zoneadmLine(argv)).toEqual(line);
  });

  test.each([
    ['boot', {}, {}],
    ['boot', { single: true }, { bootargs: ['-s'] }],
    ['boot', { single: true, operands: ['a'], tail: ['-m', 'verbose'] }, { bootargs: ['-s', 'a', '-m', 'verbose'] }],
    // an explicit `--` with nothing after it boots with no arguments at all, not the configured ones
    ['reboot', { tail: [] }, { bootargs: [] }],
    ['halt', {}, {}],
    ['ready', {}, {}],
    ['halt', { operands: ['x'] }, undefined],
    ['ready', { tail: [] }, undefined],
    ['shutdown', {}, {}],
    ['shutdown', { tail: ['x'] }, undefined],
    ['shutdown', { reboot: true, tail: ['x'] }, { bootargs: ['x'] }],
  ] as const)('lifecycleBootargs %s %j', (cmd, words, result) => {
    expect(lifecycleBootargs(cmd, words)).toEqual(result);
  });
});

describe('zlogin: illumos zlogin.c main() rules, in its order', () => {
  const fail = (message: string | undefined, usage = true) => ({ ok: false, message, usage });
  test.each([
    [[], fail(undefined)],
    [['-x', 'z'], fail('illegal option -- x')],
    [['-e'], fail('option requires an argument -- e')],
    [['-e', '\\x', '-R', 'rel', 'z'], fail('Unrecognized escape character option \\x')],
    [['-R', 'rel', '-e', '\\x', 'z'], fail('root path must be absolute.', false)],
    [['-R', 'rel', '-x'], fail('root path must be absolute.', false)],
    [['-x', '-R', 'rel'], fail('illegal option -- x')],
    [['-R', '/nonexistent', 'z'], fail('root path must be a directory.', false)],
    [['-C', '-l', 'u', 'z'], fail('-l may not be specified for console login')],
    [['-C', '-n', 'z'], fail('-n may not be specified for console login')],
    [['-C', '-S', 'z'], fail('-S may not be specified for console login')],
    [['-C', '-R', '/', 'z'], fail('-R may not be specified for console login', false)],
    [['-C', 'z', 'ls'], fail('Commands may not be specified for console login.')],
    [['-lroot', '-S', 'z'], fail('-l may not be specified for failsafe login')],
    [['-n', 'z'], fail('-n may not be specified for interactive login')],
  ])('%j', (argv, result) => {
    expect(parseZloginArgs(argv)).toEqual(result);
  });

  test('a request: options before the zone name, every word after it the command\'s', () => {
    const defaults = { console: false, user: undefined, failsafe: false, nullStdin: false, quiet: false, disconnectOnHalt: false, escape: undefined, root: undefined };
    expect(parseZloginArgs(['-nQ', '-e', '^', '-l', 'root', 'web01', 'ls', '-l', '--', 'x'])).toEqual({
      ok: true,
      request: { ...defaults, zonename: 'web01', command: ['ls', '-l', '--', 'x'], nullStdin: true, quiet: true, escape: 94, user: 'root' },
    });
    expect(parseZloginArgs(['-E', '-e', '~', 'z'])).toEqual({ ok: true, request: { ...defaults, zonename: 'z', command: [], escape: null } });
    expect(parseZloginArgs(['-dC', '-R', '/', '--', 'z'])).toEqual(fail('-R may not be specified for console login', false));
    expect(parseZloginArgs(['-dC', 'z'])).toEqual({ ok: true, request: { ...defaults, zonename: 'z', command: [], console: true, disconnectOnHalt: true } });
  });
});

describe('zonecfg', () => {
  const run = (args: object) => ({ kind: 'run', args: { words: [], ...args } });
  test.each([
    [[], { kind: 'bare' }],
    [['help'], { kind: 'help', subject: undefined }],
    [['help', 'create', 'x'], { kind: 'help', subject: 'create' }],
    [['-?'], { kind: 'explicit-usage' }],
    [['-z', 'z', '-?', '-x'], { kind: 'explicit-usage' }],
    [['-x', '-?'], { kind: 'usage', complaint: 'zonecfg: illegal option -- x' }],
    [['-z'], { kind: 'usage', complaint: 'zonecfg: option requires an argument -- z' }],
    [['-zz1', '-f', '-', 'info', '-x'], run({ zone: 'z1', file: '-', words: ['info', '-x'] })],
    [['-z', 'a', '-Rz', '-z', 'b'], run({ zone: 'b', root: 'z' })],
    [['--', '-z', 'a'], run({ words: ['-z', 'a'] })],
    [['info'], run({ words: ['info'] })],
  ])('%j', (argv, line) => {
    expect(zonecfgLine(argv)).toEqual(line);
  });
});
