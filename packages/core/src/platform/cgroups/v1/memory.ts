import { counterValue, keyedValues, limitValue, wants, type CgroupStats, type StatWant } from '../stats.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readInt, writeValue } from '../common.js';
import type { V1Controller } from './controller.js';

const UNLIMITED = -1;

/** Also what ZoneCgroup.unenforced says beforehand: boot prints it once. */
export const NO_SWAP_ACCOUNTING_V1 = 'capped-memory swap not enforced: the kernel has no swap accounting (memory.memsw; boot with swapaccount=1).';

export const memory: V1Controller = {
  name: 'memory',
  stat: statMemory,
  apply(dir, limits) {
    const warnings: string[] = [];
    const mem = limits.memoryBytes === 'max' ? UNLIMITED : limits.memoryBytes;
    let memsw = limits.memoryAndSwapBytes === 'max' ? UNLIMITED : limits.memoryAndSwapBytes;
    const hasSwapAccounting = existsSync(join(dir, 'memory.memsw.limit_in_bytes'));
    if (memsw !== undefined && !hasSwapAccounting) {
      if (memsw !== UNLIMITED) warnings.push(NO_SWAP_ACCOUNTING_V1);
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
 * Memory in use: memory.usage_in_bytes (what the cap is checked against, kernel memory included)
 * minus the subtree's inactive file cache, which the kernel takes back first under the cap
 * (docs/reference.md#9-zonestat); swap (total_swap) when the kernel accounts it. The caps from
 * the same memory.stat read: hierarchical_* are the limits the kernel applies (the zone's own).
 * Two reads: zonestat reads every zone at every sample.
 */
export function statMemory(dir: string, want?: StatWant): CgroupStats {
  if (!wants(want, 'memory')) return {};
  const usage = counterValue(dir, 'memory.usage_in_bytes');
  if (usage === undefined) return {};
  const m = keyedValues(dir, 'memory.stat');
  const used = Math.max(0, usage - (m.get('total_inactive_file') ?? 0));
  const swap = m.get('total_swap');
  const limit = (k: string) => limitValue(m.has(k) ? String(m.get(k)) : undefined);
  return {
    memoryBytes: used,
    memoryLimitBytes: limit('hierarchical_memory_limit'),
    memorySwapBytes: swap === undefined ? undefined : used + swap,
    memorySwapLimitBytes: swap === undefined ? undefined : limit('hierarchical_memsw_limit'),
  };
}
