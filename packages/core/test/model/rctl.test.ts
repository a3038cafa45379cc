import { test, expect, describe } from '@jest/globals';
import {
  clearAlias,
  formatRctlValue,
  getAlias,
  isValidRctlName,
  parseRctlLimit,
  parseRctlValue,
  parseUnsignedDecimal,
  rctlNameError,
  readAliasedRctl,
  setAlias,
} from '../../src/model/rctl.js';
import { blankConfig, rctl } from './config.js';

describe('rctl names', () => {
  test.each(['zone.max-lwps', 'zone.cpu-shares', 'zone.x'])('%s is valid', (n) => {
    expect(isValidRctlName(n)).toBe(true);
    expect(rctlNameError(n)).toBeUndefined();
  });
  test.each(['zone.', 'process.max-files', 'zone.max_lwps', 'zone.cpu2', 'max-lwps'])('%s is not', (n) => {
    expect(rctlNameError(n)).toBe(`'${n}' is not a valid zone rctl name.`);
  });
});

describe('parseRctlValue', () => {
  const p = (...pairs: Array<[string, string]>) => parseRctlValue(pairs);

  test('accepts privileged with none or deny, in any order', () => {
    expect(p(['priv', 'privileged'], ['limit', '5'], ['action', 'none'])).toEqual({ priv: 'privileged', limit: '5', action: 'none' });
    expect(p(['action', 'deny'], ['limit', '0x10'], ['priv', 'privileged'])).toEqual({ priv: 'privileged', limit: '0x10', action: 'deny' });
  });
  test('each name at most once', () => {
    expect(p(['priv', 'privileged'], ['priv', 'privileged'])).toBe('priv already specified');
    expect(p(['priv', 'privileged'], ['limit', '1'], ['limit', '2'])).toBe('limit already specified');
    expect(p(['action', 'deny'], ['action', 'none'])).toBe('action already specified');
  });
  test('every name is needed', () => {
    expect(p(['priv', 'privileged'], ['action', 'deny'])).toBe('limit not specified');
    expect(p(['limit', '5'])).toBe('priv not specified\naction not specified');
  });
  test('unknown names', () => {
    expect(p(['prio', 'privileged'])).toBe('value: No such property type');
  });
  test.each([
    ['basic', '5', 'deny'],
    ['system', '5', 'deny'],
    ['privileged', '5', 'signal'],
    ['privileged', '-5', 'deny'],
    ['privileged', '5x', 'deny'],
    ['privileged', '18446744073709551616', 'deny'],
    ['privileged', '5', 'Deny'],
  ])('(%s,%s,%s) is an invalid specification', (priv, limit, action) => {
    expect(p(['priv', priv], ['limit', limit], ['action', action])).toBe('Invalid rctl value specification');
  });
  test('limits are strtoull base 0', () => {
    expect(parseRctlLimit('010')).toBe(8n);
    expect(parseRctlLimit('0x1F')).toBe(31n);
    expect(parseRctlLimit('18446744073709551615')).toBe(18446744073709551615n);
    expect(parseRctlLimit('09')).toBeUndefined();
  });
  test('format', () => {
    expect(formatRctlValue({ priv: 'privileged', limit: '5', action: 'none' })).toBe('(priv=privileged,limit=5,action=none)');
  });
});

describe('aliases', () => {
  test('set creates a single-value rctl with the alias action', () => {
    const cfg = blankConfig();
    expect(setAlias(cfg, 'max-lwps', '500')).toBeUndefined();
    expect(setAlias(cfg, 'cpu-shares', '10')).toBeUndefined();
    expect(cfg.resources).toEqual([
      rctl('zone.max-lwps', ['privileged', '500', 'deny']),
      rctl('zone.cpu-shares', ['privileged', '10', 'none']),
    ]);
    expect(getAlias(cfg, 'max-lwps')).toBe('500');
    expect(getAlias(cfg, 'cpu-shares')).toBe('10');
  });

  test('set replaces the previous alias value (the rctl goes last, as in libzonecfg)', () => {
    const cfg = blankConfig({}, [rctl('zone.max-lwps', ['privileged', '500', 'deny']), rctl('zone.cpu-shares', ['privileged', '1', 'none'])]);
    expect(setAlias(cfg, 'max-lwps', '600')).toBeUndefined();
    expect(cfg.resources.map((r) => r.props.name)).toEqual(['zone.cpu-shares', 'zone.max-lwps']);
    expect(getAlias(cfg, 'max-lwps')).toBe('600');
  });

  test('below the minimum, negative or not a number is out of range', () => {
    const cfg = blankConfig();
    expect(setAlias(cfg, 'max-lwps', '99')).toBe('max-lwps property is out of range.');
    expect(setAlias(cfg, 'max-processes', '50')).toBe('max-processes property is out of range.');
    expect(setAlias(cfg, 'cpu-shares', '-1')).toBe('cpu-shares property is out of range.');
    expect(setAlias(cfg, 'max-shm-ids', '1-2')).toBe('max-shm-ids property is out of range.');
    expect(setAlias(cfg, 'max-msg-ids', 'ten')).toBe('max-msg-ids property is out of range.');
    expect(setAlias(cfg, 'max-sem-ids', '1.5')).toBe('max-sem-ids property is out of range.');
    expect(cfg.resources).toEqual([]);
    expect(setAlias(cfg, 'max-lwps', '100')).toBeUndefined();
  });

  test('max-shm-memory takes a size and prints scaled', () => {
    const cfg = blankConfig();
    expect(setAlias(cfg, 'max-shm-memory', '1G')).toBeUndefined();
    expect(cfg.resources).toEqual([rctl('zone.max-shm-memory', ['privileged', '1073741824', 'deny'])]);
    expect(getAlias(cfg, 'max-shm-memory')).toBe('1G');
    expect(setAlias(cfg, 'max-shm-memory', '1Q')).toBe(
      'A non-negative number with a required scale suffix (K, M, G or T) was expected\nhere.',
    );
  });

  test('an explicit rctl that is not a single alias-shaped value blocks the alias', () => {
    const cfg = blankConfig({}, [rctl('zone.max-lwps', ['privileged', '500', 'deny'], ['privileged', '900', 'none'])]);
    expect(readAliasedRctl(cfg, 'zone.max-lwps', 'deny')).toEqual({ state: 'incompatible' });
    expect(getAlias(cfg, 'max-lwps')).toBeUndefined();
    expect(setAlias(cfg, 'max-lwps', '700')).toBe('max-lwps: An incompatible rctl already exists for this property');
    const wrongAction = blankConfig({}, [rctl('zone.cpu-shares', ['privileged', '5', 'deny'])]);
    expect(setAlias(wrongAction, 'cpu-shares', '7')).toBe('cpu-shares: An incompatible rctl already exists for this property');
  });

  test('clear removes the rctl, and says why when it cannot', () => {
    const cfg = blankConfig({}, [rctl('zone.max-lwps', ['privileged', '500', 'deny'])]);
    expect(clearAlias(cfg, 'max-lwps')).toBeUndefined();
    expect(cfg.resources).toEqual([]);
    expect(clearAlias(cfg, 'max-lwps')).toBe('clear max-lwps: No such entry');
    const odd = blankConfig({}, [rctl('zone.max-lwps', ['privileged', '500', 'none'])]);
    expect(clearAlias(odd, 'max-lwps')).toBe('clear max-lwps: An incompatible rctl already exists for this property');
    expect(odd.resources).toHaveLength(1);
  });

  test('unknown alias names', () => {
    expect(setAlias(blankConfig(), 'max-swap', '1')).toBe('max-swap: No such property type');
    expect(getAlias(blankConfig(), 'nope')).toBeUndefined();
  });

  test('valid_uint', () => {
    expect(parseUnsignedDecimal('42')).toBe(42n);
    expect(parseUnsignedDecimal('0x10')).toBeUndefined();
    expect(parseUnsignedDecimal('')).toBeUndefined();
  });
});
