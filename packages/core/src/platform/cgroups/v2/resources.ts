/** cgroup v2: one small setter per resource, reading the limits record. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeValue } from '../common.js';
import { counterValue, cpuCapOf, cpuList, keyedValues, limitValue, readStat, wants, type CgroupStats, type StatWant } from '../stats.js';
import { sharesOfV2, V2_DEFAULT_WEIGHT, v2Weight, type CgroupLimits } from '../limits.js';

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

// ---- reading back: the zone's use and caps (zonestat), one function per resource.

export function statCpu(dir: string, want?: StatWant): CgroupStats {
  const out: CgroupStats = {};
  if (wants(want, 'cpu')) {
    const usageUs = keyedValues(dir, 'cpu.stat').get('usage_usec');
    const [quota, period] = (readStat(dir, 'cpu.max') ?? 'max').split(/\s+/);
    out.cpuUsageNs = usageUs === undefined ? undefined : usageUs * 1000;
    out.cpuCap = quota === 'max' ? undefined : cpuCapOf(Number(quota), Number(period));
  }
  if (wants(want, 'shares')) {
    const weight = counterValue(dir, 'cpu.weight');
    out.cpuShares = weight === undefined ? undefined : sharesOfV2(weight);
  }
  return out;
}

export function statCpuset(dir: string, want?: StatWant): CgroupStats {
  if (!wants(want, 'cpuset')) return {};
  // An empty cpuset.cpus inherits the parent's CPUs: the effective list is what the zone has.
  return { cpus: cpuList(readStat(dir, 'cpuset.cpus.effective') || readStat(dir, 'cpuset.cpus')) };
}

/** memory.current minus the inactive file cache (docs/reference.md#9-zonestat); swap counted on its own on v2. */
export function statMemory(dir: string, want?: StatWant): CgroupStats {
  if (!wants(want, 'memory')) return {};
  const current = counterValue(dir, 'memory.current');
  if (current === undefined) return {};
  const used = Math.max(0, current - (keyedValues(dir, 'memory.stat').get('inactive_file') ?? 0));
  const swap = counterValue(dir, 'memory.swap.current');
  const max = limitValue(readStat(dir, 'memory.max'));
  const swapMax = limitValue(readStat(dir, 'memory.swap.max'));
  return {
    memoryBytes: used,
    memoryLimitBytes: max,
    memorySwapBytes: swap === undefined ? undefined : used + swap,
    memorySwapLimitBytes: max !== undefined && swapMax !== undefined ? max + swapMax : undefined,
  };
}

export function statPids(dir: string, want?: StatWant): CgroupStats {
  if (!wants(want, 'pids')) return {};
  return { tasks: counterValue(dir, 'pids.current'), tasksMax: limitValue(readStat(dir, 'pids.max')) };
}

export const V2_STATS = [statCpu, statCpuset, statMemory, statPids];
