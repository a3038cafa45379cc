import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readInt, writeValue } from '../common.js';
import type { V1Controller } from './controller.js';

const UNLIMITED = -1;

/** Also what ZoneCgroup.unenforced says beforehand: boot prints it once. */
export const NO_SWAP_ACCOUNTING_V1 = 'capped-memory swap not enforced: the kernel has no swap accounting (memory.memsw; boot with swapaccount=1).';

export const memory: V1Controller = {
  name: 'memory',
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
