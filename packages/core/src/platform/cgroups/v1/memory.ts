import { keyedValues, limitValue, wants, type CgroupStats, type StatWant } from '../stats.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readInt, writeValue } from '../common.js';
import type { V1Controller } from './controller.js';

const UNLIMITED = -1;

export const memory: V1Controller = {
  name: 'memory',
  stat: statMemory,
  apply(dir, limits) {
    const warnings: string[] = [];
    const mem = limits.memoryBytes === 'max' ? UNLIMITED : limits.memoryBytes;
    let memsw = limits.memoryAndSwapBytes === 'max' ? UNLIMITED : limits.memoryAndSwapBytes;
    const hasSwapAccounting = existsSync(join(dir, 'memory.memsw.limit_in_bytes'));
    if (memsw !== undefined && !hasSwapAccounting) {
      warnings.push('swap cap not enforced: the kernel has no memory.memsw (boot with swapaccount=1)');
      memsw = undefined;
    }
    // memsw can never be below the memory limit; a swap cap smaller than physical caps both.
    if (memsw !== undefined && mem !== undefined && mem !== UNLIMITED && memsw !== UNLIMITED && memsw < mem) memsw = mem;
    const currentMemsw = hasSwapAccounting ? readInt(dir, 'memory.memsw.limit_in_bytes') : undefined;
    // The kernel checks limit <= memsw at every write, so the order depends on the direction.
    const raisingMemsw = memsw !== undefined && (memsw === UNLIMITED || currentMemsw === undefined || memsw >= currentMemsw);
    if (memsw !== undefined && raisingMemsw) writeValue(dir, 'memory.memsw.limit_in_bytes', memsw);
    if (mem !== undefined) writeValue(dir, 'memory.limit_in_bytes', mem);
    if (memsw !== undefined && !raisingMemsw) writeValue(dir, 'memory.memsw.limit_in_bytes', memsw);
    return warnings;
  },
};

/**
 * Memory in use, from memory.stat alone (one read; zonestat reads it for every zone at every
 * sample): the subtree's rss and page cache minus its inactive file cache, which the kernel takes
 * back first under the cap (docs/reference.md#8-zonestat); swap when the kernel accounts it; the
 * caps as the kernel applies them (hierarchical_*: the lowest on the way up, the zone's own).
 */
export function statMemory(dir: string, want?: StatWant): CgroupStats {
  if (!wants(want, 'memory')) return {};
  const m = keyedValues(dir, 'memory.stat');
  const rss = m.get('total_rss');
  if (rss === undefined) return {};
  const used = Math.max(0, rss + (m.get('total_cache') ?? 0) - (m.get('total_inactive_file') ?? 0));
  const swap = m.get('total_swap');
  const limit = (k: string) => limitValue(m.has(k) ? String(m.get(k)) : undefined);
  return {
    memoryBytes: used,
    memoryLimitBytes: limit('hierarchical_memory_limit'),
    memorySwapBytes: swap === undefined ? undefined : used + swap,
    memorySwapLimitBytes: swap === undefined ? undefined : limit('hierarchical_memsw_limit'),
  };
}
