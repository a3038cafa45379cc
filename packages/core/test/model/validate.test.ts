import { test, expect, describe } from '@jest/globals';
import {
  checkAddResource,
  checkNetAddress,
  checkNetPhysical,
  checkResourceEnd,
  checkSetGlobal,
  globalZonePropertyError,
  globalZoneResourceError,
  isValidDatasetName,
  isValidFsAllowed,
  isValidHostid,
  isValidNcpus,
  verifyConfig,
  verifyReport,
} from '../../src/model/validate.js';
import type { Resource, ResourceType } from '../../src/model/types.js';
import { blankConfig, rctl } from './config.js';

const res = (type: ResourceType, props: Resource['props']): Resource => ({ type, props });
const end = (r: Resource, resources: Resource[] = [], replacing?: number, globals = {}) =>
  checkResourceEnd(r, blankConfig(globals, resources), replacing, false);

describe('end: fs', () => {
  test('required properties', () => {
    expect(end(res('fs', {}))).toEqual(['dir not specified', 'special not specified', 'type not specified']);
  });
  test('dir and raw absolute, type one component', () => {
    expect(end(res('fs', { dir: 'mnt', special: '/x', raw: 'dev/x', type: 'a/b' }))).toEqual([
      'dir mnt is not an absolute path.',
      'raw dev/x is not an absolute path.',
      '"a/b" is not a valid type.',
    ]);
    expect(end(res('fs', { dir: '/mnt', special: '/x', type: '..' }))).toEqual(['".." is not a valid type.']);
  });
  test('duplicate dir, except for the resource being replaced', () => {
    const existing = res('fs', { dir: '/mnt', special: '/a', type: 'lofs' });
    const again = res('fs', { dir: '/mnt', special: '/b', type: 'lofs', options: ['ro'] });
    expect(end(again, [existing])).toEqual(["A fs resource with the dir '/mnt' already exists."]);
    expect(end(again, [existing], 0)).toEqual([]);
  });
});

describe('end: other resources', () => {
  test('inherit-pkg-dir', () => {
    expect(end(res('inherit-pkg-dir', {}))).toEqual(['dir not specified']);
    expect(end(res('inherit-pkg-dir', { dir: 'usr' }))).toEqual(['dir usr is not an absolute path.']);
    expect(end(res('inherit-pkg-dir', { dir: '/usr' }), [res('inherit-pkg-dir', { dir: '/usr' })])).toEqual([
      "An inherit-pkg-dir resource with the dir '/usr' already exists.",
    ]);
  });
  test('net', () => {
    expect(end(res('net', { address: '10.0.0.1' }))).toEqual(['physical not specified']);
    const eth = res('net', { physical: 'eth0', address: '10.0.0.1/24' });
    expect(end(res('net', { physical: 'eth0', address: '10.0.0.1' }), [eth])).toEqual([
      "A net resource with the physical 'eth0', and address '10.0.0.1' already exists.",
    ]);
    expect(end(res('net', { physical: 'eth0', address: '10.0.0.2' }), [eth])).toEqual([]);
    expect(end(res('net', { physical: 'eth0:1', address: '10.0.0.2' }))).toEqual(['eth0:1: LUNs not allowed in physical interface names']);
    expect(end(res('net', { physical: 'eth0', address: '10.0.0.1/40' }))).toEqual(['10.0.0.1/40: IPv4 address prefix lengths must be 0 - 32.']);
  });
  test('device, dataset', () => {
    expect(end(res('device', {}))).toEqual(['match not specified']);
    expect(end(res('device', { match: '/dev/null' }), [res('device', { match: '/dev/null' })])).toEqual([
      "A device resource with the match '/dev/null' already exists.",
    ]);
    expect(end(res('dataset', {}))).toEqual(['name not specified']);
    expect(end(res('dataset', { name: 'tank/z' }), [res('dataset', { name: 'tank/z' })])).toEqual([
      "A dataset resource with the name 'tank/z' already exists.",
    ]);
  });
  test('rctl', () => {
    expect(end(res('rctl', {}))).toEqual(['name not specified', 'no value specified']);
    expect(end(res('rctl', { name: 'zone.max-lwps', value: [] }))).toEqual(['no value specified']);
    expect(end(res('rctl', { name: 'process.x', value: [{ priv: 'privileged', limit: '1', action: 'deny' }] }))).toEqual([
      "'process.x' is not a valid zone rctl name.",
    ]);
    expect(end(rctl('zone.max-lwps', ['privileged', '200', 'deny']), [rctl('zone.max-lwps', ['privileged', '300', 'deny'])])).toEqual([
      "A rctl resource with the name 'zone.max-lwps' already exists.",
    ]);
  });
  test('attr', () => {
    expect(end(res('attr', {}))).toEqual(['name not specified', 'type not specified', 'value not specified']);
    expect(end(res('attr', { name: '-x', type: 'string', value: 'v' }))).toEqual([
      'Invalid attr name -x: must start with an alpha-numeric character.',
    ]);
    expect(end(res('attr', { name: 'a_b', type: 'string', value: 'v' }))).toEqual([
      "Invalid attr name a_b: can only contain alpha-numeric characters, plus '-' and '.'.",
    ]);
    expect(end(res('attr', { name: 'n', type: 'int', value: '1.5' }))).toEqual(['invalid attr value for type=int']);
    expect(end(res('attr', { name: 'n', type: 'int', value: '-15' }))).toEqual([]);
    expect(end(res('attr', { name: 'n', type: 'uint', value: '-1' }))).toEqual(['invalid attr value for type=uint']);
    expect(end(res('attr', { name: 'n', type: 'boolean', value: 'yes' }))).toEqual(['invalid attr value for type=boolean']);
    expect(end(res('attr', { name: 'n', type: 'float', value: '1' }))).toEqual(["invalid attr type 'float'"]);
    expect(end(res('attr', { name: 'n', type: 'string', value: 'x' }), [res('attr', { name: 'n', type: 'int', value: '1' })])).toEqual([
      "An attr resource with the name 'n' already exists.",
    ]);
  });
  test('dedicated-cpu', () => {
    expect(end(res('dedicated-cpu', {}))).toEqual(['ncpus not specified']);
    expect(end(res('dedicated-cpu', { ncpus: '4-2' }))).toEqual(['ncpus property is out of range.']);
    expect(end(res('dedicated-cpu', { ncpus: '2-4', importance: '-1' }))).toEqual(['importance property is out of range.']);
    expect(end(res('dedicated-cpu', { ncpus: '2' }), [], undefined, { pool: 'web' })).toEqual([
      'The pool property is already set.  A persistent pool is incompatible with\nthe dedicated-cpu resource.',
    ]);
    expect(end(res('dedicated-cpu', { ncpus: '2' }), [rctl('zone.cpu-cap', ['privileged', '100', 'deny'])])).toEqual([
      'The capped-cpu resource already exists.',
    ]);
    expect(end(res('dedicated-cpu', { ncpus: '2' }), [res('dedicated-cpu', { ncpus: '1' })])).toEqual([
      'The dedicated-cpu resource already exists.',
    ]);
    expect(end(res('dedicated-cpu', { ncpus: '2' }), [res('dedicated-cpu', { ncpus: '1' })], 0)).toEqual([]);
  });
  test('admin', () => {
    expect(end(res('admin', {}))).toEqual(['user not specified', 'auths not specified']);
    expect(end(res('admin', { user: 'bob', auths: 'login,reboot' }))).toEqual(["'reboot' is not a valid authorization"]);
    const r = res('admin', { user: 'bob', auths: 'login,manage' });
    expect(checkResourceEnd(r, blankConfig(), undefined, false, { userExists: () => false })).toEqual(['user bob is not a valid username']);
    expect(end(r, [res('admin', { user: 'bob', auths: 'login' })])).toEqual(["An admin resource with the user 'bob' already exists."]);
  });
  test('capped resources go through their writers', () => {
    expect(end(res('capped-cpu', {}))).toEqual(['ncpus not specified']);
    expect(end(res('capped-memory', { physical: '1K' }))).toEqual(['physical value is too small.  It must be at least 1M.']);
    expect(end(res('capped-memory', { physical: '1G' }))).toEqual([]);
  });
  test('the global zone refuses zone-only resources', () => {
    expect(checkResourceEnd(res('fs', { dir: '/a', special: '/b', type: 'lofs' }), blankConfig(), undefined, true)).toEqual([
      'Cannot add a fs resource to the global zone.',
    ]);
  });
});

describe('value rules', () => {
  test('net addresses', () => {
    expect(checkNetAddress('192.168.0.10/24')).toBeUndefined();
    expect(checkNetAddress('fe80::1/64')).toBeUndefined();
    expect(checkNetAddress('fe80::1')).toBe('fe80::1: IPv6 addresses require /prefix-length suffix.');
    expect(checkNetAddress('fe80::1/129')).toBe('fe80::1/129: IPv6 address prefix lengths must be 0 - 128.');
    expect(checkNetAddress('www.example.com/24')).toBeUndefined();
    expect(checkNetAddress('-bad/24')).toBe('-bad: bogus host name or network address syntax');
    expect(checkNetAddress('a_b')).toBe('a_b: bogus host name or network address syntax');
  });
  test('physical names by ip-type', () => {
    expect(checkNetPhysical('eth0', 'shared')).toBeUndefined();
    expect(checkNetPhysical('br-lan', 'exclusive')).toBeUndefined();
    expect(checkNetPhysical('eth0:1', 'exclusive')).toBe('eth0:1: physical interface name required; logical interface name not allowed');
    expect(checkNetPhysical('0eth', 'shared')).toBe('0eth: invalid physical interface name');
    expect(checkNetPhysical('averyveryverylongname0', 'shared')).toBe('averyveryverylongname0: invalid physical interface name');
  });
  test('ncpus, hostid, datasets, fs-allowed', () => {
    expect([isValidNcpus('2'), isValidNcpus('2-4'), isValidNcpus('0'), isValidNcpus('3-2'), isValidNcpus('1.5')]).toEqual([true, true, false, false, false]);
    expect([isValidHostid('0x1234abcd'), isValidHostid('FFFFFFFE'), isValidHostid('FFFFFFFF'), isValidHostid('xyz')]).toEqual([true, true, false, false]);
    expect([isValidDatasetName('tank/zones/z1'), isValidDatasetName('1tank'), isValidDatasetName('tank//a'), isValidDatasetName('tank/a@snap')]).toEqual([true, false, false, false]);
    expect([isValidFsAllowed('ext4,xfs'), isValidFsAllowed('-nfs'), isValidFsAllowed('a/b')]).toEqual([true, true, false]);
  });
});

describe('add and set helpers', () => {
  test('checkAddResource', () => {
    expect(checkAddResource(blankConfig(), 'net', true)).toBe('Cannot add a net resource to the global zone.');
    expect(checkAddResource(blankConfig({ pool: 'p' }), 'dedicated-cpu', false)).toBe(
      'The pool property is already set.  A persistent pool is incompatible with\nthe dedicated-cpu resource.',
    );
    expect(checkAddResource(blankConfig({}, [res('dedicated-cpu', { ncpus: '1' })]), 'capped-cpu', false)).toBe(
      'The dedicated-cpu resource already exists.',
    );
    expect(checkAddResource(blankConfig(), 'fs', false)).toBeUndefined();
  });
  test('checkSetGlobal', () => {
    expect(checkSetGlobal(blankConfig({}, [res('dedicated-cpu', { ncpus: '1' })]), 'pool', 'web', false)).toBe(
      'The dedicated-cpu resource already exists.  A persistent pool is incompatible\nwith the dedicated-cpu resource.',
    );
    expect(checkSetGlobal(blankConfig(), 'autoboot', 'maybe', false)).toBe("autoboot value must be 'true' or 'false'.");
    expect(checkSetGlobal(blankConfig(), 'zonepath', '/z', true)).toBe('zonepath is not a valid property for the global zone.');
    expect(checkSetGlobal(blankConfig(), 'pool', 'web', true)).toBeUndefined();
  });
  test('global zone messages', () => {
    expect(globalZoneResourceError('dataset')).toBe('dataset is not a valid resource for the global zone.');
    expect(globalZoneResourceError('rctl')).toBeUndefined();
    expect(globalZonePropertyError('brand')).toBe('brand is not a valid property for the global zone.');
    expect(globalZonePropertyError('pool')).toBeUndefined();
  });
});

describe('verify', () => {
  test('a complete configuration verifies', () => {
    const cfg = blankConfig({}, [
      res('fs', { dir: '/opt', special: '/opt', type: 'lofs', options: ['ro'] }),
      res('net', { physical: 'eth0', address: '10.0.0.5/24' }),
      rctl('zone.cpu-shares', ['privileged', '10', 'none']),
      res('attr', { name: 'comment', type: 'string', value: 'x' }),
      res('dataset', { name: 'tank/z1' }),
    ]);
    expect(verifyReport(cfg, { isGlobal: false })).toEqual({ messages: [], error: undefined });
  });
  test('zonepath', () => {
    expect(verifyReport(blankConfig({ zonepath: '' }), { isGlobal: false })).toEqual({
      messages: ['zonepath cannot be empty.'],
      error: 'Required resource missing',
    });
    expect(verifyConfig(blankConfig({ zonepath: '' }), { isGlobal: true })).toEqual([]);
  });
  test('unknown brand stops verify', () => {
    expect(verifyReport(blankConfig({ brand: 'ipkg' }, [res('fs', {})]), { isGlobal: false })).toEqual({
      messages: ['z1: unknown brand.'],
      error: 'Invalid document',
    });
  });
  test('limitpriv, hostid, fs-allowed', () => {
    expect(verifyConfig(blankConfig({ limitpriv: 'default,proc_zone,bogus' }), { isGlobal: false })).toEqual([
      'z1: invalid privilege: bogus',
      'z1: invalid privilege: proc_zone',
    ]);
    expect(verifyConfig(blankConfig({ hostid: 'zz' }), { isGlobal: false })).toEqual(['z1: invalid hostid: zz']);
    expect(verifyConfig(blankConfig({ 'fs-allowed': 'a/b' }), { isGlobal: false })).toEqual(['z1: invalid fs-allowed: a/b']);
  });
  test('required resource properties', () => {
    const cfg = blankConfig({}, [
      res('inherit-pkg-dir', {}),
      res('fs', { dir: '/a' }),
      res('attr', { name: 'x' }),
      res('dataset', { name: '' }),
      res('admin', { user: 'bob' }),
    ]);
    expect(verifyReport(cfg, { isGlobal: false })).toEqual({
      messages: [
        'inherit-pkg-dir: dir not specified',
        'fs: special not specified',
        'fs: type not specified',
        'attr: type not specified',
        'attr: value not specified',
        'dataset: name not specified',
        'admin: auths not specified',
      ],
      error: 'Required property missing',
    });
  });
  test('shared-IP net rules', () => {
    const cfg = blankConfig({}, [res('net', { physical: 'eth0', 'allowed-address': '10.0.0.1/24' })]);
    expect(verifyConfig(cfg, { isGlobal: false })).toEqual([
      'net: address not specified',
      'net: allowed-address cannot be specified for a shared IP type',
    ]);
  });
  test('exclusive-IP net rules', () => {
    const cfg = blankConfig({ 'ip-type': 'exclusive' }, [
      res('net', { physical: 'br0', address: '10.0.0.1/24' }),
      res('net', { physical: 'br1', defrouter: '10.0.1.1' }),
      res('net', { physical: 'br2', 'allowed-address': '10.0.2.5/24', defrouter: '10.0.2.1' }),
      res('net', { physical: 'br3:1' }),
    ]);
    expect(verifyReport(cfg, { isGlobal: false })).toEqual({
      messages: [
        'net: address cannot be specified for an exclusive IP type',
        'net: defrouter for br1 cannot be specified without allowed-address for an exclusive IP type',
        'br3:1: physical interface name required; logical interface name not allowed',
      ],
      error: 'Invalid argument',
    });
  });
  test('rctl rules and cpu conflicts', () => {
    const cfg = blankConfig({ 'scheduling-class': 'TS' }, [
      res('rctl', { name: 'zone.max-lwps', value: [] }),
      rctl('zone.cpu-shares', ['privileged', '10', 'none']),
      rctl('zone.cpu-cap', ['privileged', '100', 'deny']),
      res('dedicated-cpu', { ncpus: '2' }),
    ]);
    expect(verifyReport(cfg, { isGlobal: false })).toEqual({
      messages: [
        'rctl: no value specified',
        'rctl zone.cpu-shares and dedicated-cpu are incompatible.',
        'WARNING: rctl zone.cpu-shares and scheduling-class=TS are incompatible',
        'rctl zone.cpu-cap and the dedicated-cpu are incompatible.',
      ],
      error: 'Required property missing',
    });
    expect(verifyConfig(blankConfig({ 'scheduling-class': 'FSS' }, [rctl('zone.cpu-shares', ['privileged', '1', 'none'])]), { isGlobal: false })).toEqual([]);
  });
  test('dataset names', () => {
    expect(verifyReport(blankConfig({}, [res('dataset', { name: '/tank' })]), { isGlobal: false })).toEqual({
      messages: ['dataset: name invalid'],
      error: 'Bad document property',
    });
  });
  test('bad ip-type', () => {
    expect(verifyConfig(blankConfig({ 'ip-type': 'weird' }), { isGlobal: false })).toEqual(['cannot get ip-type']);
  });
});
