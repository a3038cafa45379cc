import { test, expect, describe } from '@jest/globals';
import {
  formatCpuCap,
  parseNcpusCap,
  readCappedCpu,
  readCappedMemory,
  removeCappedCpu,
  removeCappedMemory,
  writeCappedCpu,
  writeCappedMemory,
} from '../../src/model/capped.js';
import type { Resource } from '../../src/model/types.js';
import { blankConfig, rctl } from './config.js';

const cpu = (ncpus?: string): Resource => ({ type: 'capped-cpu', props: ncpus === undefined ? {} : { ncpus } });
const mem = (props: Record<string, string>): Resource => ({ type: 'capped-memory', props });
const G = 1024 ** 3;
const M = 1024 ** 2;

describe('capped-cpu', () => {
  test('is stored as zone.cpu-cap = ncpus x 100 and read back with two decimals', () => {
    const cfg = blankConfig();
    expect(writeCappedCpu(cfg, cpu('1.5'))).toBeUndefined();
    expect(cfg.resources).toEqual([rctl('zone.cpu-cap', ['privileged', '150', 'deny'])]);
    expect(readCappedCpu(cfg)).toEqual({ type: 'capped-cpu', props: { ncpus: '1.50' } });
  });

  test('ncpus rules', () => {
    expect(writeCappedCpu(blankConfig(), cpu())).toBe('ncpus not specified');
    for (const bad of ['0', '-1', '0.001', 'two', '1.5x', '']) {
      expect(writeCappedCpu(blankConfig(), cpu(bad))).toBe(bad === '' ? 'ncpus not specified' : 'ncpus property is out of range.');
    }
    expect(parseNcpusCap('0.01')).toBe(1);
    expect(parseNcpusCap('1.15')).toBe(115);
    expect(parseNcpusCap('4')).toBe(400);
    expect(formatCpuCap(5n)).toBe('0.05');
    expect(formatCpuCap(1200n)).toBe('12.00');
  });

  test('conflicts with dedicated-cpu and with an explicit cpu-cap rctl', () => {
    const dedicated = blankConfig({}, [{ type: 'dedicated-cpu', props: { ncpus: '2' } }]);
    expect(writeCappedCpu(dedicated, cpu('1'))).toBe('The dedicated-cpu resource already exists.');
    const explicit = blankConfig({}, [rctl('zone.cpu-cap', ['privileged', '100', 'none'])]);
    expect(writeCappedCpu(explicit, cpu('1'))).toBe('capped-cpu: An incompatible rctl already exists for this property');
    expect(readCappedCpu(explicit)).toBeUndefined();
  });

  test('rewriting the same value leaves the configuration as it was', () => {
    const cfg = blankConfig({}, [rctl('zone.cpu-cap', ['privileged', '150', 'deny']), rctl('zone.max-lwps', ['privileged', '200', 'deny'])]);
    const before = structuredClone(cfg);
    expect(writeCappedCpu(cfg, readCappedCpu(cfg)!)).toBeUndefined();
    expect(cfg).toEqual(before);
  });

  test('remove', () => {
    const cfg = blankConfig({}, [rctl('zone.cpu-cap', ['privileged', '150', 'deny'])]);
    expect(removeCappedCpu(cfg)).toBeUndefined();
    expect(cfg.resources).toEqual([]);
    expect(removeCappedCpu(cfg)).toBe('remove capped-cpu: No such resource type');
  });
});

describe('capped-memory', () => {
  test('physical is a resource in bytes; swap and locked are rctls', () => {
    const cfg = blankConfig();
    expect(writeCappedMemory(cfg, mem({ physical: '512M', swap: '1G', locked: '100m' }))).toBeUndefined();
    expect(cfg.resources).toEqual([
      { type: 'capped-memory', props: { physical: String(512 * M) } },
      rctl('zone.max-swap', ['privileged', String(G), 'deny']),
      rctl('zone.max-locked-memory', ['privileged', String(100 * M), 'deny']),
    ]);
    expect(readCappedMemory(cfg)).toEqual({ type: 'capped-memory', props: { physical: '512M', swap: '1G', locked: '100M' } });
  });

  test('a view exists as soon as any one part does', () => {
    expect(readCappedMemory(blankConfig())).toBeUndefined();
    const swapOnly = blankConfig({}, [rctl('zone.max-swap', ['privileged', String(2 * G), 'deny'])]);
    expect(readCappedMemory(swapOnly)).toEqual({ type: 'capped-memory', props: { swap: '2G' } });
  });

  test('size rules and messages', () => {
    const w = (props: Record<string, string>, isGlobal = false) => writeCappedMemory(blankConfig(), mem(props), { isGlobal });
    expect(w({ physical: 'lots' })).toBe('A positive number with a required scale suffix (K, M, G or T) was expected here.');
    expect(w({ physical: '1023K' })).toBe('physical value is too small.  It must be at least 1M.');
    expect(w({ physical: '1M' })).toBeUndefined();
    expect(w({ swap: 'x' })).toBe('A positive number with a required scale suffix (K, M, G or T) was expected here.');
    expect(w({ swap: '49M' })).toBe('swap value is too small.  It must be at least 50M.');
    expect(w({ swap: '50M' })).toBeUndefined();
    expect(w({ swap: '99M' }, true)).toBe('swap value is too small.  It must be at least 100M.');
    expect(w({ locked: 'x' })).toBe('A non-negative number with a required scale suffix (K, M, G or T) was expected\nhere.');
    expect(w({ locked: '0' })).toBeUndefined();
    expect(w({})).toBe('No property was specified.  One of physical, swap or locked is required.');
    expect(w({ physical: '1G', locked: '2G' })).toBe('The locked cap must be less than or equal to the physical cap.');
    expect(w({ physical: '1G', locked: '1G' })).toBeUndefined();
  });

  test('explicit swap/locked rctls block the capped view', () => {
    const cfg = blankConfig({}, [rctl('zone.max-swap', ['privileged', String(G), 'none'])]);
    expect(writeCappedMemory(cfg, mem({ swap: '2G' }))).toBe('max-swap: An incompatible rctl already exists for this property');
    const locked = blankConfig({}, [rctl('zone.max-locked-memory', ['privileged', '1', 'deny'], ['privileged', '2', 'deny'])]);
    expect(writeCappedMemory(locked, mem({ locked: '2G' }))).toBe('locked: An incompatible rctl already exists for this property');
    // Not mentioning them leaves them alone.
    expect(writeCappedMemory(locked, mem({ physical: '1G' }))).toBeUndefined();
    expect(locked.resources).toHaveLength(2);
  });

  test('a property missing from the view is cleared', () => {
    const cfg = blankConfig();
    writeCappedMemory(cfg, mem({ physical: '1G', swap: '2G' }));
    expect(writeCappedMemory(cfg, mem({ swap: '2G' }))).toBeUndefined();
    expect(cfg.resources).toEqual([rctl('zone.max-swap', ['privileged', String(2 * G), 'deny'])]);
  });

  test('an unchanged rounded view keeps the exact stored bytes', () => {
    const cfg = blankConfig({}, [{ type: 'capped-memory', props: { physical: '1000000000' } }]);
    const view = readCappedMemory(cfg)!;
    expect(view.props.physical).toBe('954M');
    expect(writeCappedMemory(cfg, view)).toBeUndefined();
    expect(cfg.resources).toEqual([{ type: 'capped-memory', props: { physical: '1000000000' } }]);
  });

  test('remove takes the resource and both rctls', () => {
    const cfg = blankConfig({}, [rctl('zone.max-lwps', ['privileged', '200', 'deny'])]);
    writeCappedMemory(cfg, mem({ physical: '1G', swap: '2G', locked: '1M' }));
    expect(removeCappedMemory(cfg)).toBeUndefined();
    expect(cfg.resources).toEqual([rctl('zone.max-lwps', ['privileged', '200', 'deny'])]);
    expect(removeCappedMemory(cfg)).toBe('remove capped-memory: No such resource type');
  });
});
