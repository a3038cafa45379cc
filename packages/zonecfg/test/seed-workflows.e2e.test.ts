/**
 * The seed course's zonecfg exercises, run through the built CLI exactly as a student types
 * them, against a fresh ZONES_ROOT.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { execa } from 'execa';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const ZONECFG = resolve(here, '../../../bin/zonecfg');
const ZONEADM = resolve(here, '../../../bin/zoneadm');

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'zonecfg-e2e-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const zonecfg = (args: string[], input?: string) =>
  execa(ZONECFG, args, { env: { ZONES_ROOT: root }, reject: false, input: input ?? '' });
const zoneadm = (args: string[]) => execa(ZONEADM, args, { env: { ZONES_ROOT: root }, reject: false });

describe('Ejercicio 3: a small zone', () => {
  test('typed commands on stdin, then zoneadm list -cv', async () => {
    const r = await zonecfg(['-z', 'viernes13'], 'create\nset zonepath=/viernes13\ncommit\nexit\n');
    // As zonecfg: the shell looks the zone up first and says it is new (not an error).
    expect(r.stderr).toBe('viernes13: No such zone configured');
    expect(r.exitCode).toBe(0);
    const info = await zonecfg(['-z', 'viernes13', 'info']);
    expect(info.stdout.split('\n').slice(0, 3)).toEqual(['zonename: viernes13', 'zonepath: /viernes13', 'brand: native']);
    expect(info.stdout).toContain('inherit-pkg-dir:\n\tdir: /usr');
    const list = await zoneadm(['list', '-cv']);
    expect(list.stdout.split('\n')).toEqual([
      '  ID NAME             STATUS     PATH                           BRAND    IP    ',
      '   0 global           running    /                              native   shared',
      '   - viernes13        configured /viernes13                     native   shared',
    ]);
  });
  test('one-shot argv form', async () => {
    const r = await zonecfg(['-z', 'viernes13', 'create; set zonepath=/viernes13; commit']);
    expect(r.exitCode).toBe(0);
    expect((await zoneadm(['-z', 'viernes13', 'list'])).stdout).toBe('viernes13');
  });
});

describe('Ejercicio 4: a big zone', () => {
  test('create, then remove every inherit-pkg-dir', async () => {
    const script = ['create', 'set zonepath=/bigzone', 'remove inherit-pkg-dir dir=/usr', 'commit', 'exit'].join('\n');
    const r = await zonecfg(['-z', 'bigzone'], script + '\n');
    expect(r.stderr).toBe('bigzone: No such zone configured');
    expect(r.exitCode).toBe(0);
    const info = await zonecfg(['-z', 'bigzone', 'info', 'inherit-pkg-dir']);
    expect(info.stdout).toBe('');
    const exported = await zonecfg(['-z', 'bigzone', 'export']);
    expect(exported.stdout).toBe(['create -b', 'set zonepath=/bigzone', 'set autoboot=false', 'set ip-type=shared'].join('\n'));
  });
  test('create -b gives the same whole-root zone', async () => {
    await zonecfg(['-z', 'big2', 'create -b; set zonepath=/big2']);
    expect((await zonecfg(['-z', 'big2', 'info', 'inherit-pkg-dir'])).stdout).toBe('');
  });
});

describe('Ejercicio 5: net, fs and resource controls', () => {
  test('adding them and reading them back', async () => {
    const cmds = [
      'create',
      'set zonepath=/zones/lab',
      'set autoboot=true',
      'add net',
      'set physical=zbrlab0',
      'set address=192.0.2.10/24',
      'end',
      'add fs',
      'set dir=/export/home',
      'set special=/srv/home',
      'set type=lofs',
      'add options [ro,nodevices]',
      'end',
      'add rctl',
      'set name=zone.cpu-shares',
      'add value (priv=privileged,limit=10,action=none)',
      'end',
      'set max-lwps=500',
      'add capped-memory',
      'set physical=512m',
      'set swap=1g',
      'end',
      'add capped-cpu',
      'set ncpus=1.5',
      'end',
      'commit',
    ];
    const r = await zonecfg(['-z', 'lab'], cmds.join('\n') + '\n');
    expect(r.stderr).toBe('lab: No such zone configured');
    expect(r.exitCode).toBe(0);
    const info = (await zonecfg(['-z', 'lab', 'info'])).stdout.split('\n');
    expect(info).toContain('[max-lwps: 500]');
    expect(info).toContain('[cpu-shares: 10]');
    const net = (await zonecfg(['-z', 'lab', 'info', 'net'])).stdout;
    expect(net).toBe(['net:', '\taddress: 192.0.2.10/24', '\tallowed-address not specified', '\tphysical: zbrlab0', '\tdefrouter not specified'].join('\n'));
    const fs = (await zonecfg(['-z', 'lab', 'info', 'fs', 'dir=/export/home'])).stdout;
    expect(fs).toBe(['fs:', '\tdir: /export/home', '\tspecial: /srv/home', '\traw not specified', '\ttype: lofs', '\toptions: [ro,nodevices]'].join('\n'));
    expect((await zonecfg(['-z', 'lab', 'info', 'capped-memory'])).stdout).toBe(['capped-memory:', '\tphysical: 512M', '\t[swap: 1G]'].join('\n'));
    expect((await zonecfg(['-z', 'lab', 'info', 'capped-cpu'])).stdout).toBe(['capped-cpu:', '\t[ncpus: 1.50]'].join('\n'));
    const missing = await zonecfg(['-z', 'lab', 'info', 'fs', 'dir=/nowhere']);
    // zonecfg says so on stdout and does not count it as an error.
    expect(missing.stdout).toBe('No such fs resource.');
    expect(missing.exitCode).toBe(0);
  });
});

describe('Ejercicio 7: privileges', () => {
  test('limitpriv="default,sys_time" is accepted', async () => {
    const r = await zonecfg(['-z', 'sec', 'create; set zonepath=/sec; set limitpriv="default,sys_time"']);
    expect(r.exitCode).toBe(0);
    expect((await zonecfg(['-z', 'sec', 'info', 'limitpriv'])).stdout).toBe('limitpriv: default,sys_time');
  });
  test('a prohibited privilege fails verification and nothing is saved', async () => {
    const r = await zonecfg(['-z', 'sec2', 'create; set zonepath=/sec2; set limitpriv="default,priv_proc_zone"']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.split('\n')).toEqual([
      'sec2: invalid privilege: proc_zone',
      'Zone sec2 failed to verify',
      'sec2: Invalid argument',
      'Configuration not saved.',
    ]);
    expect((await zoneadm(['list', '-c'])).stdout).toBe('global');
  });
});

describe('export and -f', () => {
  test('export -f then replay into another zone', async () => {
    await zonecfg(['-z', 'a', 'create; set zonepath=/a; add fs; set dir=/d; set special=/s; set type=lofs; add options "retry=5"; end']);
    const file = join(root, 'a.cfg');
    const r = await zonecfg(['-z', 'a', 'export', '-f', file]);
    expect(r.exitCode).toBe(0);
    const text = readFileSync(file, 'utf8').replace('set zonepath=/a', 'set zonepath=/b');
    expect(text).toContain('add options "retry=5"');
    writeFileSync(file, text);
    const replay = await zonecfg(['-z', 'b', '-f', file]);
    expect(replay.stderr).toBe('');
    expect(replay.exitCode).toBe(0);
    const a = (await zonecfg(['-z', 'a', 'info'])).stdout.split('\n').slice(2);
    const b = (await zonecfg(['-z', 'b', 'info'])).stdout.split('\n').slice(2);
    expect(b).toEqual(a);
  });
  test('-f stops at the first error and names the line', async () => {
    const file = join(root, 'bad.cfg');
    writeFileSync(file, 'create\nset zonepath=/c\nset autoboot=yes\nset bootargs=-s\n');
    const r = await zonecfg(['-z', 'c', '-f', file]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.split('\n')).toEqual([`On line 3 of ${file}:`, "autoboot value must be 'true' or 'false'."]);
  });
  test('-f with a missing file', async () => {
    const r = await zonecfg(['-z', 'c', '-f', join(root, 'nope.cfg')]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('No such file or directory');
  });
});

describe('usage and exit codes', () => {
  test('no arguments: usage, exit 2', async () => {
    const r = await zonecfg([]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^usage:/);
  });
  test('a bogus zone name: exit 2', async () => {
    const r = await zonecfg(['-z', '-bad-', 'info']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('-bad-: Bogus zone name');
  });
  test('an unknown option: exit 2', async () => {
    const r = await zonecfg(['-q']);
    expect(r.exitCode).toBe(2);
  });
  test('create -b inside the argv is a zonecfg option, not a CLI flag', async () => {
    const r = await zonecfg(['-z', 'x', 'create', '-b;', 'set', 'zonepath=/x']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
  });
  test('one-shot mode continues after an error and exits 1', async () => {
    const r = await zonecfg(['-z', 'y', 'create; set autoboot=maybe; set zonepath=/y']);
    expect(r.exitCode).toBe(1);
    expect((await zoneadm(['-z', 'y', 'list', '-p'])).stdout).toMatch(/^-:y:configured:\/y:/);
  });
});

describe('malformed input', () => {
  const samples = [
    'set bootargs="unterminated',
    'add value (priv=privileged,limit=5',
    'set options=[ro,nodevices',
    ']]]]))))((((',
    '"' + 'x'.repeat(100000),
    'set zonepath=/' + 'a/'.repeat(20000),
    Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1'),
    '\u0000\u0001\u0002;;;\n\n=\t=',
  ];
  test.each(samples.map((s, i) => [i, s]))('sample %i never crashes and never writes a partial file', async (_i, sample) => {
    const r = await zonecfg(['-z', 'fuzz'], `create\nset zonepath=/f\n${sample}\n`);
    expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
    expect(r.stderr).not.toMatch(/TypeError|RangeError|ReferenceError/);
    expect([0, 1]).toContain(r.exitCode);
    const files = readdirSync(join(root, 'etc/zones'));
    expect(files.filter((f) => /\.tmp|~$|\.lock$/.test(f))).toEqual([]);
    if (files.includes('fuzz.yaml')) {
      expect((await zonecfg(['-z', 'fuzz', 'verify'])).exitCode).toBe(0);
    }
  });
});
