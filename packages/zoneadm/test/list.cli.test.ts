import { test, expect, describe, beforeAll, afterAll } from '@jest/globals';
import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZoneStore } from '@zones/core/store/zone-store';
import { blankTemplate } from '@zones/core/store/templates';

const here = fileURLToPath(new URL('.', import.meta.url));
const BIN = resolve(here, '../bin/run.js');
const ROOT_BIN = resolve(here, '../../../bin/zoneadm');

let root: string;
let uuids: Record<string, string>;

function zoneadm(...args: string[]) {
  return execa('node', [BIN, ...args], { env: { ZONES_ROOT: root }, reject: false });
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'zoneadm-cli-'));
  const store = new ZoneStore(root);
  for (const [name, state, ip] of [['web01', 'installed', 'exclusive'], ['z1', 'configured', 'shared'], ['inc', 'incomplete', 'shared']] as const) {
    const c = blankTemplate(name);
    c.globals.zonepath = `/zones/${name}`;
    c.globals['ip-type'] = ip;
    store.save(c);
    if (state !== 'configured') store.setState(name, state);
  }
  uuids = Object.fromEntries(store.list().map((e) => [e.name, e.uuid]));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const HDR = '  ID NAME             STATUS     PATH                           BRAND    IP    ';
const G = '   0 global           running    /                              native   shared';

describe('zoneadm list', () => {
  test('no flags: running zones only', async () => {
    const r = await zoneadm('list');
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([0, 'global', '']);
  });

  test('-cv', async () => {
    const r = await zoneadm('list', '-cv');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe([
      HDR, G,
      '   - web01            installed  /zones/web01                   native   excl  ',
      '   - z1               configured /zones/z1                      native   shared',
      '   - inc              incomplete /zones/inc                     native   shared',
    ].join('\n'));
  });

  test('the oclif path (long flags) prints exactly what the fast path prints', async () => {
    for (const [fast, slow] of [[['list', '-cv'], ['list', '--configured', '--verbose']], [['-z', 'web01', 'list', '-p'], ['list', '--parsable', '--zone', 'web01']], [['list', '-pv'], ['list', '--parsable', '--verbose']]]) {
      const a = await zoneadm(...fast);
      const b = await zoneadm(...slow);
      expect([b.exitCode, b.stdout, b.stderr]).toEqual([a.exitCode, a.stdout, a.stderr]);
    }
  });

  test('--json: the fields of -p typed, the same on the fast and the oclif path', async () => {
    const r = await zoneadm('list', '-c', '--json');
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      zones: [
        { zoneid: 0, zonename: 'global', state: 'running', zonepath: '/', uuid: null, brand: 'native', 'ip-type': 'shared', debugid: 0 },
        { zoneid: null, zonename: 'web01', state: 'installed', zonepath: '/zones/web01', uuid: uuids.web01, brand: 'native', 'ip-type': 'excl', debugid: 0 },
        { zoneid: null, zonename: 'z1', state: 'configured', zonepath: '/zones/z1', uuid: uuids.z1, brand: 'native', 'ip-type': 'shared', debugid: 0 },
        { zoneid: null, zonename: 'inc', state: 'incomplete', zonepath: '/zones/inc', uuid: uuids.inc, brand: 'native', 'ip-type': 'shared', debugid: 0 },
      ],
    });
    expect((await zoneadm('list', '--configured', '--json')).stdout).toBe(r.stdout);
    expect((await zoneadm('-z', 'z1', 'list', '-v', '--json')).stdout).toBe(`${JSON.stringify({ zones: [JSON.parse(r.stdout).zones[2]] })}`);
    expect(await zoneadm('list', '-p', '--json')).toMatchObject({ exitCode: 1, stdout: '', stderr: 'zoneadm: list -p and --json are mutually exclusive.' });
  });

  test('-i -p', async () => {
    const r = await zoneadm('list', '-i', '-p');
    expect(r.stdout).toBe(`0:global:running:/::native:shared:0\n-:web01:installed:/zones/web01:${uuids.web01}:native:excl:0`);
  });

  test('-z before the subcommand, any state', async () => {
    const r = await zoneadm('-z', 'z1', 'list', '-v');
    expect(r.stdout).toBe(`${HDR}\n   - z1               configured /zones/z1                      native   shared`);
    expect((await zoneadm('-zz1', 'list')).stdout).toBe('z1');
    expect((await zoneadm('--zone=global', 'list', '-p')).stdout).toBe('0:global:running:/::native:shared:0');
  });

  test('-u selects by uuid', async () => {
    const r = await zoneadm('-u', uuids.inc, 'list', '-p');
    expect(r.stdout).toBe(`-:inc:incomplete:/zones/inc:${uuids.inc}:native:shared:0`);
    const bad = await zoneadm('-u', 'nope', 'list');
    expect([bad.exitCode, bad.stderr]).toEqual([1, 'zoneadm: illegal UUID value specified']);
  });

  test('-p with -v', async () => {
    const r = await zoneadm('list', '-pv');
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([1, '', 'zoneadm: list -p and -v are mutually exclusive.']);
    const z = await zoneadm('-z', 'web01', 'list', '-p', '-v');
    expect(z.stderr).toBe("zoneadm: zone 'web01': list -p and -v are mutually exclusive.");
  });

  test('-z with -c or -i is a usage error', async () => {
    const r = await zoneadm('-z', 'web01', 'list', '-c');
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n').slice(0, 3)).toEqual([
      'zoneadm: illegal option -- c',
      'usage:\tlist [-cipv]',
      '\tLists the current zones, or a specific zone if indicated.  By default,',
    ]);
    expect((await zoneadm('-z', 'web01', 'list', '-i')).exitCode).toBe(2);
  });

  test('unknown zone', async () => {
    const r = await zoneadm('-z', 'nosuch', 'list');
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([1, '', 'zoneadm: nosuch: No such zone configured']);
  });

  test('unknown option, extra operand, -?', async () => {
    const x = await zoneadm('list', '-x');
    expect(x.exitCode).toBe(2);
    expect(x.stderr.startsWith('zoneadm: illegal option -- x\nusage:\tlist [-cipv]\n')).toBe(true);
    const extra = await zoneadm('list', 'extra');
    expect(extra.exitCode).toBe(2);
    expect(extra.stderr.startsWith('usage:\tlist [-cipv]\n')).toBe(true);
    const q = await zoneadm('list', '-?');
    expect(q.exitCode).toBe(0);
    expect(q.stderr.startsWith('usage:\tlist [-cipv]\n')).toBe(true);
  });

  test('a broken config is reported without a stack trace and the zone skipped', async () => {
    const r2 = mkdtempSync(join(tmpdir(), 'zoneadm-bad-'));
    try {
      const s = new ZoneStore(r2);
      s.save(blankTemplate('good'));
      s.save(blankTemplate('bad'));
      writeFileSync(join(r2, 'etc/zones/bad.yaml'), 'globals: [\n');
      const r = await execa('node', [BIN, 'list', '-c'], { env: { ZONES_ROOT: r2 }, reject: false });
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toBe('global\ngood');
      expect(r.stderr).toMatch(/^zoneadm: bad: could not get brand name: Invalid document: \S+bad\.yaml: [^\n]+$/);
      expect(r.stderr).not.toMatch(/\bat \S+:\d+/);
    } finally {
      rmSync(r2, { recursive: true, force: true });
    }
  });

  test('-R root overrides ZONES_ROOT; bad -R', async () => {
    const r = await execa('node', [BIN, '-R', root, 'list', '-c'], { env: { ZONES_ROOT: '/nonexistent' }, reject: false });
    expect(r.stdout).toBe('global\nweb01\nz1\ninc');
    expect((await zoneadm('-R', 'rel', 'list')).stderr).toBe('zoneadm: root path must be absolute.');
    expect((await zoneadm('-R', '/nonexistent', 'list')).stderr).toBe('zoneadm: root path must be a directory.');
  });
});

describe('zoneadm usage', () => {
  const USAGE_HEAD = 'usage:\tzoneadm help\n\tzoneadm [-z <zone>] [-u <uuid-match>] list\n\tzoneadm {-z <zone>|-u <uuid-match>} <subcommand>\n\nSubcommands:\n\n';

  test('no subcommand and unknown subcommand: short usage on stderr, exit 2', async () => {
    for (const args of [[], ['bogus'], ['-z', 'z1', 'frobnicate'], ['-x']]) {
      const r = await zoneadm(...args);
      expect([r.exitCode, r.stdout]).toEqual([2, '']);
      expect(r.stderr).toBe(
        `${USAGE_HEAD}help\nboot [-- boot_arguments]\nhalt\nready\nshutdown [-r [-- boot_arguments]]\n` +
          `reboot [-- boot_arguments]\nlist [-cipv]\nverify\n` +
          'install [-x nodataset] [-c profile] [-d path] [-r release] [-m mirror] [-v variant] [-a arch]\n' +
          'uninstall [-F]\nclone [-m method] zonename\nmove zonepath\ndetach [-n]\nattach [-F] [-n <path>] [-u | -U]\nmark incomplete\napply [-n] [-q]\nexport -t oci-bundle|oci-image <dir> | -t kube [-i <image>]\n',
      );
    }
  });

  test('help: long usage on stdout, exit 0; help list: sub-usage', async () => {
    const r = await zoneadm('help');
    expect(r.exitCode).toBe(0);
    expect(r.stdout.startsWith(`${USAGE_HEAD}help\n\tPrint usage message.\n\nboot [-- boot_arguments]\n\tActivates (boots)`)).toBe(true);
    expect(r.stdout).toContain('\n\nlist [-cipv]\n\tLists the current zones');
    const l = await zoneadm('help', 'list');
    expect([l.exitCode, l.stdout]).toEqual([0, '']);
    expect(l.stderr.startsWith('usage:\tlist [-cipv]\n\tLists')).toBe(true);
    const b = await zoneadm('help', 'bogus');
    expect([b.exitCode, b.stderr]).toEqual([2, 'usage:\thelp\n\tPrint usage message.']);
  });

  test('root bin/zoneadm runs the same CLI', async () => {
    const r = await execa(ROOT_BIN, ['list', '-c'], { env: { ZONES_ROOT: root }, reject: false });
    expect([r.exitCode, r.stdout]).toEqual([0, 'global\nweb01\nz1\ninc']);
  });
});
