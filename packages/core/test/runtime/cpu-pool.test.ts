import { describe, expect, test } from '@jest/globals';
import { planPools, type PoolEntry } from '../../src/runtime/cpu-pool.js';

const zone = (name: string, min: number, max = min, importance = 1, cpus: number[] = []): PoolEntry => ({ name, min, max, importance, cpus });
const host = [0, 1, 2, 3];

describe('dedicated-cpu placement (planPools)', () => {
  test('one CPU always stays undedicated; new CPUs are taken from the top', () => {
    const p = planPools(host, [zone('a', 2)]);
    expect(p).toEqual({ ok: true, dedicated: new Map([['a', [2, 3]]]), shared: [0, 1] });
    expect(planPools([0, 1], [zone('a', 1)])).toEqual({ ok: true, dedicated: new Map([['a', [1]]]), shared: [0] });
  });

  test('a new zone whose minimum does not fit is refused, never a running one', () => {
    const p = planPools([0, 1], [zone('a', 1, 1, 1, [1]), zone('b', 1)]);
    expect(p).toEqual({ ok: false, why: 'dedicated-cpu ncpus 1 does not fit: the host has 2 CPUs, 1 dedicated to zone a, and 1 stays in the default pool' });
    expect(planPools(host, [zone('a', 4)]).ok).toBe(false);
  });

  test('a running zone keeps its CPUs; the next gets others', () => {
    const p = planPools(host, [zone('a', 1, 1, 1, [3]), zone('b', 2)]);
    expect(p.ok && [...p.dedicated]).toEqual([['a', [3]], ['b', [1, 2]]]);
  });

  test('importance: a more important N-M zone takes CPUs a less important one holds above its minimum', () => {
    const before = planPools(host, [zone('low', 1, 3, 1)]);
    expect(before.ok && before.dedicated.get('low')).toEqual([1, 2, 3]);
    const after = planPools(host, [zone('low', 1, 3, 1, [1, 2, 3]), zone('high', 1, 2, 10)]);
    expect(after.ok && [...after.dedicated]).toEqual([['high', [1, 2]], ['low', [3]]]);
    // equal importance: the earlier boot keeps its extras
    const equal = planPools(host, [zone('first', 1, 3, 1, [1, 2, 3]), zone('second', 1, 2, 1)]);
    expect(equal.ok && [...equal.dedicated]).toEqual([['first', [2, 3]], ['second', [1]]]);
  });
});
