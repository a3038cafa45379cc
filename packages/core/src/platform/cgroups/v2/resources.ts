/** cgroup v2: one small setter per resource, reading the limits record. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeValue } from '../common.js';
import { V2_DEFAULT_WEIGHT, v2Weight, type CgroupLimits } from '../limits.js';

/** Also what ZoneCgroup.unenforced says beforehand: boot prints it once. */
export const NO_SWAP_ACCOUNTING_V2 = 'capped-memory swap not enforced: the kernel has no swap accounting (memory.swap.max).';

export function setMemory(dir: string, l: CgroupLimits): string[] {
  if (l.memoryBytes !== undefined) writeValue(dir, 'memory.max', l.memoryBytes);
  if (l.memoryAndSwapBytes !== undefined) {
    if (!existsSync(join(dir, 'memory.swap.max'))) return l.memoryAndSwapBytes === 'max' ? [] : [NO_SWAP_ACCOUNTING_V2];
    // v2 caps swap on its own; Solaris zone.max-swap caps memory plus swap.
    const mem = typeof l.memoryBytes === 'number' ? l.memoryBytes : 0;
    const swap = l.memoryAndSwapBytes === 'max' ? 'max' : Math.max(0, l.memoryAndSwapBytes - mem);
    writeValue(dir, 'memory.swap.max', swap);
  }
  return [];
}

export function setCpu(dir: string, l: CgroupLimits): string[] {
  const q = l.cpuQuota;
  if (q === 'max') writeValue(dir, 'cpu.max', 'max');
  else if (q) writeValue(dir, 'cpu.max', `${q.quotaUs} ${q.periodUs}`);
  if (l.cpuShares !== undefined) writeValue(dir, 'cpu.weight', l.cpuShares === 'default' ? V2_DEFAULT_WEIGHT : v2Weight(l.cpuShares));
  return [];
}

export function setCpuset(dir: string, l: CgroupLimits): string[] {
  if (l.cpus !== undefined) writeValue(dir, 'cpuset.cpus', l.cpus);
  return [];
}

export function setPids(dir: string, l: CgroupLimits): string[] {
  if (l.pidsMax !== undefined) writeValue(dir, 'pids.max', l.pidsMax);
  return [];
}

export const V2_SETTERS = [setMemory, setCpu, setCpuset, setPids];
export const V2_CONTROLLERS = ['memory', 'cpu', 'cpuset', 'pids'];
