import { test, expect, describe } from '@jest/globals';
import type { ZoneConfig } from '../../src/model/types.js';
import type { IndexEntry } from '../../src/store/index-file.js';
import { blankTemplate } from '../../src/store/templates.js';
import {
  formatZoneList,
  listFormat,
  minState,
  selectZone,
  selectZones,
  VERBOSE_HEADER,
  type ZoneSource,
} from '../../src/zoneadm/list.js';

const U1 = '0f9c56f4-9810-6d45-f801-d34bf27cc13f';
const U2 = '11111111-2222-3333-4444-555555555555';
const U3 = '66666666-7777-8888-9999-000000000000';

const entries: IndexEntry[] = [
  { name: 'web01', state: 'installed', zonepath: '/zones/web01', uuid: U1 },
  { name: 'z1', state: 'configured', zonepath: '/zones/z1', uuid: U2 },
  { name: 'odd', state: 'incomplete', zonepath: '/zones/a:b', uuid: U3 },
];

function cfg(name: string, ip: string, brand = 'native'): ZoneConfig {
  const c = blankTemplate(name);
  c.globals['ip-type'] = ip;
  c.globals.brand = brand;
  return c;
}
const configs: Record<string, ZoneConfig> = {
  web01: cfg('web01', 'exclusive', 'lipkg'),
  z1: cfg('z1', 'shared'),
  odd: cfg('odd', 'shared'),
};
const src: ZoneSource = { entries, load: (n) => configs[n] };

function out(sel: { c?: boolean; i?: boolean }, v = false, p = false, s: ZoneSource = src): string {
  return formatZoneList(selectZones(s, { configured: sel.c, installed: sel.i }).zones, listFormat(v, p)!);
}

describe('zoneadm list formatting', () => {
  test('header is printf %4s %-16s %-10s %-30s %-8s %-6s', () => {
    expect(VERBOSE_HEADER).toBe('  ID NAME             STATUS     PATH                           BRAND    IP    ');
  });

  test('list (default: running zones only)', () => {
    expect(out({})).toBe('global\n');
  });
  test('list -v', () => {
    expect(out({}, true)).toBe(
      '  ID NAME             STATUS     PATH                           BRAND    IP    \n' +
        '   0 global           running    /                              native   shared\n',
    );
  });
  test('list -p', () => {
    expect(out({}, false, true)).toBe('0:global:running:/::native:shared:0\n');
  });
  test('list -i', () => {
    expect(out({ i: true })).toBe('global\nweb01\n');
  });
  test('list -iv', () => {
    expect(out({ i: true }, true)).toBe(
      '  ID NAME             STATUS     PATH                           BRAND    IP    \n' +
        '   0 global           running    /                              native   shared\n' +
        '   - web01            installed  /zones/web01                   lipkg    excl  \n',
    );
  });
  test('list -ip', () => {
    expect(out({ i: true }, false, true)).toBe(
      '0:global:running:/::native:shared:0\n' + `-:web01:installed:/zones/web01:${U1}:lipkg:excl:0\n`,
    );
  });
  test('list -c (index order)', () => {
    expect(out({ c: true })).toBe('global\nweb01\nz1\nodd\n');
  });
  test('list -ci is -c', () => {
    expect(out({ c: true, i: true })).toBe(out({ c: true }));
  });
  test('list -cv', () => {
    expect(out({ c: true }, true)).toBe(
      '  ID NAME             STATUS     PATH                           BRAND    IP    \n' +
        '   0 global           running    /                              native   shared\n' +
        '   - web01            installed  /zones/web01                   lipkg    excl  \n' +
        '   - z1               configured /zones/z1                      native   shared\n' +
        '   - odd              incomplete /zones/a:b                     native   shared\n',
    );
  });
  test('list -cp escapes colons in zonepath', () => {
    expect(out({ c: true }, false, true)).toBe(
      '0:global:running:/::native:shared:0\n' +
        `-:web01:installed:/zones/web01:${U1}:lipkg:excl:0\n` +
        `-:z1:configured:/zones/z1:${U2}:native:shared:0\n` +
        `-:odd:incomplete:/zones/a\\:b:${U3}:native:shared:0\n`,
    );
  });
  test('long fields are not truncated', () => {
    const long = 'a-very-long-zone-name-indeed';
    const s: ZoneSource = {
      entries: [{ name: long, state: 'configured', zonepath: '/zones/this/path/is/longer/than/thirty', uuid: U1 }],
      load: () => cfg(long, 'shared'),
    };
    expect(out({ c: true }, true, false, s).split('\n')[2]).toBe(
      `   - ${long} configured /zones/this/path/is/longer/than/thirty native   shared`,
    );
  });
  test('-p and -v together are refused', () => {
    expect(listFormat(true, true)).toBeUndefined();
  });
  test('minState', () => {
    expect(minState({})).toBe('running');
    expect(minState({ installed: true })).toBe('installed');
    expect(minState({ configured: true, installed: true })).toBe('configured');
  });
});

describe('kernel zones from a runtime', () => {
  const k: ZoneSource = {
    ...src,
    kernel: [
      { id: 7, name: 'z1', state: 'running' },
      { id: 3, name: 'web01', state: 'ready' },
      { id: 0, name: 'global', state: 'running' },
    ],
  };
  test('kernel zones first (global, then by id), even below the default filter', () => {
    expect(out({}, true, false, k)).toBe(
      '  ID NAME             STATUS     PATH                           BRAND    IP    \n' +
        '   0 global           running    /                              native   shared\n' +
        '   3 web01            ready      /zones/web01                   lipkg    excl  \n' +
        '   7 z1               running    /zones/z1                      native   shared\n',
    );
  });
  test('-c adds the rest in index order without duplicates', () => {
    expect(out({ c: true }, false, false, k)).toBe('global\nweb01\nz1\nodd\n');
    expect(out({ c: true }, false, true, k).split('\n')[1]).toBe(`3:web01:ready:/zones/web01:${U1}:lipkg:excl:0`);
  });
});

describe('zoneadm -z NAME list', () => {
  test('one zone regardless of state', () => {
    const r = selectZone(src, 'z1');
    expect(formatZoneList([r.zone!], 'verbose')).toBe(
      '  ID NAME             STATUS     PATH                           BRAND    IP    \n' +
        '   - z1               configured /zones/z1                      native   shared\n',
    );
    expect(formatZoneList([selectZone(src, 'global').zone!], 'parsable')).toBe('0:global:running:/::native:shared:0\n');
  });
  test('a zone whose config cannot be read is skipped with a warning', () => {
    const bad: ZoneSource = { entries, load: (n) => { if (n === 'z1') throw new Error('Invalid configuration file: z1.yaml: x'); return configs[n]; } };
    const r = selectZones(bad, { configured: true });
    expect(r.zones.map((z) => z.name)).toEqual(['global', 'web01', 'odd']);
    expect(r.warnings).toEqual([{ zone: 'z1', message: 'could not get brand name: Invalid configuration file: z1.yaml: x' }]);
  });
});
