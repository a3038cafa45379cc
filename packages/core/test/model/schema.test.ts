import { test, expect, describe } from '@jest/globals';
import {
  BRANDS,
  GLOBAL_PROPERTIES,
  RCTL_ALIASES,
  RESOURCE_TYPES,
  SCHEMA,
  SCHEMA_TABLE,
  makeSchema,
  normalizePath,
  rctlAlias,
  defaultGlobals,
  type GlobalPropName,
  type ResourcePropName,
  type ResourceType,
} from '../../src/model/schema.js';

const { globalProperty, isResourceProperty, resourceProperty, resourceType } = SCHEMA;

/** What create -b stores for the properties that are not empty by default. */
const NON_EMPTY_DEFAULTS: Record<string, string> = { brand: 'native', autoboot: 'false', 'ip-type': 'shared' };

describe('global properties', () => {
  test('are in info order', () => {
    expect(GLOBAL_PROPERTIES.map((p) => p.name)).toEqual([
      'zonename', 'zonepath', 'brand', 'autoboot', 'bootargs', 'pool', 'limitpriv',
      'scheduling-class', 'ip-type', 'hostid', 'fs-allowed',
    ]);
  });

  test('zonename, zonepath and brand cannot be cleared; clear resets autoboot and ip-type, empties the rest', () => {
    for (const p of GLOBAL_PROPERTIES) {
      expect([p.name, p.clearable]).toEqual([p.name, !['zonename', 'zonepath', 'brand'].includes(p.name)]);
      expect([p.name, p.default]).toEqual([p.name, NON_EMPTY_DEFAULTS[p.name] ?? '']);
    }
  });

  test('only pool may be set in the global zone; its info shows zonename and pool, its export pool and scheduling-class', () => {
    const using = (use: 'set' | 'info' | 'export') => GLOBAL_PROPERTIES.filter((p) => p.globalZone.includes(use)).map((p) => p.name);
    expect(using('set')).toEqual(['pool']);
    expect(using('info')).toEqual(['zonename', 'pool']);
    expect(using('export')).toEqual(['pool', 'scheduling-class']);
  });

  test('export writes autoboot and ip-type always, zonename never, the rest unless at their default', () => {
    for (const p of GLOBAL_PROPERTIES) {
      const expected = p.name === 'zonename' ? 'never' : p.name === 'autoboot' || p.name === 'ip-type' ? 'always' : 'unless-default';
      expect([p.name, p.export]).toEqual([p.name, expected]);
    }
  });

  test("help's global list predates hostid, fs-allowed and max-processes", () => {
    const unlisted = [
      ...GLOBAL_PROPERTIES.filter((p) => p.inHelp === false).map((p) => p.name),
      ...RCTL_ALIASES.filter((a) => a.inHelp === false).map((a) => a.alias),
    ];
    expect(unlisted).toEqual(['hostid', 'fs-allowed', 'max-processes']);
  });

  test('completion values', () => {
    expect(globalProperty('autoboot')?.values).toEqual(['true', 'false']);
    expect(globalProperty('ip-type')?.values).toEqual(['shared', 'exclusive']);
    expect(globalProperty('brand')?.values).toEqual(['native', 'debian', 'rpm']);
    expect(BRANDS).toEqual(['native', 'debian', 'rpm']);
  });

  const check = (name: string, value: string) => globalProperty(name)!.check(value);

  test('zonepath must be absolute and not /', () => {
    expect(check('zonepath', 'zones/z1')).toBe('zones/z1 is not an absolute path.');
    expect(check('zonepath', '/')).toBe('/ is not allowed as a zonepath.');
    expect(check('zonepath', '///')).toBe('/ is not allowed as a zonepath.');
    expect(check('zonepath', '/zones/z1')).toBeUndefined();
  });

  test('zonepath is stored with single slashes and no trailing slash', () => {
    expect(globalProperty('zonepath')!.normalize!('//zones///z1/')).toBe('/zones/z1');
    expect(normalizePath('/a/b')).toBe('/a/b');
  });

  test('autoboot and ip-type accept only their two words', () => {
    expect(check('autoboot', 'yes')).toBe("autoboot value must be 'true' or 'false'.");
    expect(check('autoboot', 'true')).toBeUndefined();
    expect(check('ip-type', 'excl')).toBe("ip-type value must be 'shared' or 'exclusive'.");
    expect(check('ip-type', 'exclusive')).toBeUndefined();
  });

  test('SUNW pool names are reserved', () => {
    expect(check('pool', 'SUNWtmp_z1')).toBe('pool names starting with SUNW are reserved.');
    expect(check('pool', 'pool_web')).toBeUndefined();
  });

  test('a hostid longer than 10 characters is refused at set', () => {
    expect(check('hostid', '0x123456789')).toBe('hostid string is too large: 0x123456789');
    expect(check('hostid', '0x12345678')).toBeUndefined();
  });

  test('zonename follows the zone-name rule', () => {
    expect(check('zonename', 'bad name')).toBe('bad name: Bogus zone name');
    expect(check('zonename', 'global')).toBe('global: Bogus zone name');
    expect(check('zonename', 'web-1.a_b')).toBeUndefined();
  });

  test('free-form properties accept anything at set time', () => {
    for (const n of ['bootargs', 'limitpriv', 'scheduling-class', 'fs-allowed', 'brand']) expect(check(n, 'x y')).toBeUndefined();
  });
});

describe('rctl aliases', () => {
  test('are in info order with their rctl, action, minimum and size flag', () => {
    expect(RCTL_ALIASES.map((a) => [a.alias, a.rctl, a.action, a.minimum, a.sizeSuffix])).toEqual([
      ['max-lwps', 'zone.max-lwps', 'deny', 100, false],
      ['max-processes', 'zone.max-processes', 'deny', 100, false],
      ['max-shm-memory', 'zone.max-shm-memory', 'deny', 0, true],
      ['max-shm-ids', 'zone.max-shm-ids', 'deny', 0, false],
      ['max-msg-ids', 'zone.max-msg-ids', 'deny', 0, false],
      ['max-sem-ids', 'zone.max-sem-ids', 'deny', 0, false],
      ['cpu-shares', 'zone.cpu-shares', 'none', 0, false],
    ]);
    expect(rctlAlias('cpu-shares')?.rctl).toBe('zone.cpu-shares');
    expect(rctlAlias('max-swap')).toBeUndefined();
  });
});

describe('resource types', () => {
  test('are in Solaris 10 info order, security-flags last', () => {
    expect(RESOURCE_TYPES.map((r) => r.type)).toEqual([
      'inherit-pkg-dir', 'fs', 'net', 'device', 'dedicated-cpu', 'capped-cpu', 'capped-memory',
      'attr', 'dataset', 'admin', 'rctl', 'security-flags',
    ]);
  });

  test('properties are in info order', () => {
    const props = Object.fromEntries(RESOURCE_TYPES.map((r) => [r.type, r.props.map((p) => p.name)]));
    expect(props).toEqual({
      'inherit-pkg-dir': ['dir'],
      fs: ['dir', 'special', 'raw', 'type', 'options'],
      net: ['address', 'allowed-address', 'physical', 'defrouter'],
      device: ['match'],
      'dedicated-cpu': ['ncpus', 'importance'],
      'capped-cpu': ['ncpus'],
      'capped-memory': ['physical', 'swap', 'locked'],
      attr: ['name', 'type', 'value'],
      dataset: ['name'],
      admin: ['user', 'auths'],
      rctl: ['name', 'value'],
      'security-flags': ['lower', 'default', 'upper'],
    });
  });

  test('required properties', () => {
    const req = Object.fromEntries(RESOURCE_TYPES.map((r) => [r.type, r.props.filter((p) => p.required).map((p) => p.name)]));
    expect(req).toEqual({
      'inherit-pkg-dir': ['dir'], fs: ['dir', 'special', 'type'], net: ['physical'], device: ['match'],
      'dedicated-cpu': ['ncpus'], 'capped-cpu': ['ncpus'], 'capped-memory': [], attr: ['name', 'type', 'value'],
      dataset: ['name'], admin: ['user', 'auths'], rctl: ['name', 'value'], 'security-flags': [],
    });
  });

  test('kinds: fs options is a list, rctl value is complex, everything else simple', () => {
    const nonSimple = RESOURCE_TYPES.flatMap((r) => r.props.filter((p) => p.kind !== 'simple').map((p) => `${r.type}.${p.name}:${p.kind}`));
    expect(nonSimple).toEqual(['fs.options:list', 'rctl.value:complex']);
  });

  test('single resources and keys', () => {
    expect(RESOURCE_TYPES.filter((r) => r.single).map((r) => r.type)).toEqual([
      'dedicated-cpu', 'capped-cpu', 'capped-memory', 'security-flags',
    ]);
    expect(resourceType('net')?.keys).toEqual(['physical', 'address']);
    expect(resourceType('fs')?.keys).toEqual(['dir']);
    expect(resourceType('rctl')?.keys).toEqual(['name']);
  });

  test('rctl-backed capped properties', () => {
    const aliased = RESOURCE_TYPES.flatMap((r) => r.props.filter((p) => p.aliasRctl).map((p) => [r.type, p.name, p.aliasRctl]));
    expect(aliased).toEqual([
      ['capped-cpu', 'ncpus', 'zone.cpu-cap'],
      ['capped-memory', 'swap', 'zone.max-swap'],
      ['capped-memory', 'locked', 'zone.max-locked-memory'],
    ]);
  });

  test('what clear may empty inside a resource scope', () => {
    const clearable = RESOURCE_TYPES.flatMap((r) => r.props.filter((p) => p.clearable).map((p) => `${r.type}.${p.name}`));
    expect(clearable).toEqual(['fs.raw', 'dedicated-cpu.importance', 'capped-memory.physical', 'capped-memory.swap', 'capped-memory.locked']);
  });

  test('export, help and verify orders', () => {
    const order = (listing: 'export' | 'help' | 'verify') => SCHEMA.resourcesIn(listing).map((r) => r.type);
    expect(order('export')).toEqual([
      'inherit-pkg-dir', 'fs', 'net', 'device', 'capped-cpu', 'capped-memory', 'rctl', 'attr', 'dataset', 'dedicated-cpu', 'admin', 'security-flags',
    ]);
    expect(order('help')).toEqual([
      'fs', 'inherit-pkg-dir', 'net', 'device', 'rctl', 'attr', 'dataset', 'dedicated-cpu', 'capped-cpu', 'capped-memory',
    ]);
    // illumos's verify_func: end alone checks device, dedicated-cpu and the capped resources.
    expect(order('verify')).toEqual(['inherit-pkg-dir', 'fs', 'net', 'rctl', 'attr', 'dataset', 'admin']);
  });

  test('types the global zone cannot have', () => {
    expect(RESOURCE_TYPES.filter((r) => !r.globalZoneAllowed).map((r) => r.type)).toEqual([
      'inherit-pkg-dir', 'fs', 'net', 'device', 'attr', 'dataset',
    ]);
  });

  test('completion values', () => {
    expect(resourceProperty('attr', 'type')?.values).toEqual(['boolean', 'int', 'string', 'uint']);
    expect(resourceProperty('fs', 'type')?.values).toEqual(expect.arrayContaining(['lofs', 'tmpfs', 'ext4', 'xfs']));
    expect(resourceProperty('admin', 'auths')?.values).toEqual(['login', 'manage', 'clonefrom']);
  });

  test('lookups', () => {
    expect(resourceType('bogus')).toBeUndefined();
    expect(resourceProperty('fs', 'physical')).toBeUndefined();
    expect(resourceProperty('net', 'physical')?.name).toBe('physical');
    expect(globalProperty('dir')).toBeUndefined();
  });

  test('isResourceProperty knows every resource property and the rctl value fields', () => {
    for (const n of ['dir', 'special', 'physical', 'match', 'ncpus', 'swap', 'options', 'value', 'priv', 'limit', 'action', 'user']) {
      expect(isResourceProperty(n)).toBe(true);
    }
    expect(isResourceProperty('zonepath')).toBe(false);
    expect(isResourceProperty('max-lwps')).toBe(false);
  });
});

describe('defaultGlobals', () => {
  test('what create -b leaves: every global property, named zone, the native brand, autoboot false, shared IP', () => {
    const g: Record<string, string> = defaultGlobals('z9');
    expect(Object.keys(g)).toEqual(GLOBAL_PROPERTIES.map((p) => p.name));
    for (const p of GLOBAL_PROPERTIES) {
      expect([p.name, g[p.name]]).toEqual([p.name, p.name === 'zonename' ? 'z9' : NON_EMPTY_DEFAULTS[p.name] ?? '']);
    }
  });
});

describe('makeSchema', () => {
  const extended = makeSchema({
    ...SCHEMA_TABLE,
    globals: [...SCHEMA_TABLE.globals, { name: 'x-extra', default: 'dflt', clearable: true, globalZone: [], export: 'unless-default', check: () => undefined }],
    resources: SCHEMA_TABLE.resources.map((r) =>
      r.type === 'device' ? { ...r, props: [...r.props, { name: 'x-mode', kind: 'simple', required: false }] } : r,
    ),
  });

  test('an extended table answers every lookup for its new rows; the program schema does not change', () => {
    expect(extended.globalProperty('x-extra')?.default).toBe('dflt');
    expect(extended.defaultGlobals('z').zonename).toBe('z');
    expect((extended.defaultGlobals('z') as Record<string, string>)['x-extra']).toBe('dflt');
    expect(extended.resourceProperty('device', 'x-mode')?.kind).toBe('simple');
    expect(extended.isResourceProperty('x-mode')).toBe(true);
    expect(extended.resourcesIn('export').find((r) => r.type === 'device')?.props.map((p) => p.name)).toEqual(['match', 'x-mode']);
    expect(SCHEMA.globalProperty('x-extra')).toBeUndefined();
    expect(SCHEMA.isResourceProperty('x-mode')).toBe(false);
  });
});

// The names are types derived from the table: `npm run typecheck` (tsconfig.test.json) fails if
// one of these lines stops holding.
const derived: [GlobalPropName, ResourceType, ResourcePropName<'net'>] = ['fs-allowed', 'security-flags', 'allowed-address'];
// @ts-expect-error -- max-lwps is an rctl alias, not a stored global property
const notGlobal: GlobalPropName = 'max-lwps';
// @ts-expect-error -- physical is net's, not fs's
const notFs: ResourcePropName<'fs'> = 'physical';
void [derived, notGlobal, notFs];
