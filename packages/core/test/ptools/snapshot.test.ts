/** Which zone a process is in (ptools/snapshot.ts): its anchored cgroup path, whatever the process does inside its zone. */
import { describe, expect, test } from '@jest/globals';
import { placeInZones, resolveZoneList, splitList, zoneByWord } from '../../src/ptools/snapshot.js';
import { entry, ZONES } from './table.js';

describe('placeInZones', () => {
  const place = (cgroup: string, parent = 'zones') => placeInZones([entry(10, { cgroup })], parent, ZONES)[0]!;

  test('a process outside every zone cgroup is the global zone (id 0)', () => {
    expect(place('/')).toMatchObject({ zone: 'global', zoneid: 0 });
    expect(place('/user.slice/session-1.scope')).toMatchObject({ zone: 'global', zoneid: 0 });
    expect(place('/zonesx/web/payload')).toMatchObject({ zone: 'global', zoneid: 0 });
    expect(place('/system/zones/web/payload')).toMatchObject({ zone: 'global', zoneid: 0 });
  });

  test('a zone process has its zone name and the zone id of the kernel zones', () => {
    expect(place('/zones/web/payload')).toMatchObject({ zone: 'web', zoneid: 1 });
    expect(place('/zones/db')).toMatchObject({ zone: 'db', zoneid: 2 });
  });

  test('cgroups a zone root makes below its payload never make it another zone', () => {
    expect(place('/zones/web/payload/zones/db/payload')).toMatchObject({ zone: 'web', zoneid: 1 });
    expect(place('/zones/web/payload/../db')).toMatchObject({ zone: 'web', zoneid: 1 });
    expect(place('/zones/web/payload/system.slice/global')).toMatchObject({ zone: 'web', zoneid: 1 });
  });

  test("a test root's parent (zones.<hash>) is its own; another root's zones are in no zone of this one", () => {
    expect(place('/zones.0123456789/web/payload', 'zones.0123456789')).toMatchObject({ zone: 'web', zoneid: 1 });
    expect(place('/zones.0123456789/web/payload', 'zones')).toMatchObject({ zone: undefined, zoneid: undefined });
    expect(place('/zones/web/payload', 'zones.0123456789')).toMatchObject({ zone: undefined, zoneid: undefined });
  });

  test('a zone cgroup of a zone not in the kernel keeps its name, without an id', () => {
    expect(place('/zones/gone/payload')).toMatchObject({ zone: 'gone', zoneid: undefined });
  });
});

describe('zone lists', () => {
  test('a word is a zone name, or the id of a zone in the kernel (zone_get_id)', () => {
    expect(zoneByWord('web', ZONES)).toEqual({ id: 1, name: 'web' });
    expect(zoneByWord('2', ZONES)).toEqual({ id: 2, name: 'db' });
    expect(zoneByWord('0', ZONES)).toEqual({ id: 0, name: 'global' });
    expect(zoneByWord('7', ZONES)).toBeUndefined();
    expect(zoneByWord('nosuch', ZONES)).toBeUndefined();
  });

  test('lists split at commas and blanks; the first unknown word is named', () => {
    expect(splitList('web, db\tglobal,,')).toEqual(['web', 'db', 'global']);
    expect(resolveZoneList(['web', '2'], ZONES)).toEqual({ names: new Set(['web', 'db']) });
    expect(resolveZoneList(['web', 'x', 'y'], ZONES)).toEqual({ unknown: 'x' });
  });
});
