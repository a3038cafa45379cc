import { counterValue, keyedValues, limitValue, type CgroupStats } from '../stats.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readInt, readValue, writeValue } from '../common.js';
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
 * Memory in use: usage_in_bytes minus the inactive file cache (total_inactive_file, the whole
 * subtree), which the kernel reclaims first under the cap; docs/reference.md#8-zonestat.
 */
export function statMemory(dir: string): CgroupStats {
  const usage = counterValue(dir, 'memory.usage_in_bytes');
  if (usage === undefined) return {};
  const inactive = keyedValues(dir, 'memory.stat').get('total_inactive_file') ?? 0;
  const memsw = counterValue(dir, 'memory.memsw.usage_in_bytes');
  return {
    memoryBytes: Math.max(0, usage - inactive),
    memoryLimitBytes: limitValue(readValue(dir, 'memory.limit_in_bytes')),
    memorySwapBytes: memsw === undefined ? undefined : Math.max(0, memsw - inactive),
    memorySwapLimitBytes: limitValue(readValue(dir, 'memory.memsw.limit_in_bytes')),
  };
}
