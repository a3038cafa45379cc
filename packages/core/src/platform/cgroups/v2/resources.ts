/** cgroup v2: one small setter per resource, reading the limits record. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeValue } from '../common.js';
import { counterValue, cpuCapOf, cpuList, keyedValues, limitValue, readStat, wants, type CgroupStats, type StatWant } from '../stats.js';
import type { CgroupLimits } from '../limits.js';

export function setMemory(dir: string, l: CgroupLimits): string[] {
  if (l.memoryBytes !== undefined) writeValue(dir, 'memory.max', l.memoryBytes);
  if (l.memoryAndSwapBytes !== undefined) {
    if (!existsSync(join(dir, 'memory.swap.max'))) return ['swap cap not enforced: the kernel has no memory.swap.max'];
    // v2 caps swap on its own; Solaris zone.max-swap caps memory plus swap.
    const mem = typeof l.memoryBytes === 'number' ? l.memoryBytes : 0;
    const swap = l.memoryAndSwapBytes === 'max' ? 'max' : Math.max(0, l.memoryAndSwapBytes - mem);
    writeValue(dir, 'memory.swap.max', swap);
  }
  return [];
}

/** cpu.shares (2..262144, default 1024) to cpu.weight (1..10000, default 100), as runc converts. */
export function sharesToWeight(shares: number): number {
  const s = Math.min(262144, Math.max(2, shares));
  return 1 + Math.floor(((s - 2) * 9999) / 262142);
}

export function setCpu(dir: string, l: CgroupLimits): string[] {
  const q = l.cpuQuota;
  if (q === 'max') writeValue(dir, 'cpu.max', 'max');
  else if (q) writeValue(dir, 'cpu.max', `${q.quotaUs} ${q.periodUs}`);
  if (l.cpuShares !== undefined) writeValue(dir, 'cpu.weight', sharesToWeight(l.cpuShares));
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

/** cpu.weight back to shares, the inverse of {@link sharesToWeight}. */
export function weightToShares(weight: number): number {
  return 2 + Math.round(((weight - 1) * 262142) / 9999);
}

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
    out.cpuShares = weight === undefined ? undefined : weightToShares(weight);
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
