/**
 * The resource limits of a zone as one plain record, derived from its configuration (rctls,
 * capped-memory, capped-cpu, dedicated-cpu). `undefined` = leave the kernel default alone;
 * `'max'` = explicitly unlimited. No controller parses user input: they only read this record.
 */
import type { RctlValue, ZoneConfig } from '../../model/types.js';

export type Limit = number | 'max';

export interface CgroupLimits {
  /** Physical memory cap in bytes (capped-memory physical). */
  memoryBytes?: Limit;
  /** Memory + swap in bytes (Solaris zone.max-swap caps all virtual memory of the zone). */
  memoryAndSwapBytes?: Limit;
  /** CPU cap as a quota per period, in microseconds (capped-cpu / zone.cpu-cap). */
  cpuQuota?: { quotaUs: number; periodUs: number } | 'max';
  /** Relative CPU weight (zone.cpu-shares); v1 cpu.shares, converted for v2 cpu.weight. */
  cpuShares?: number;
  /** CPUs the zone may run on (dedicated-cpu), cpuset list syntax: `0-1`. */
  cpus?: string;
  /** Maximum number of tasks (zone.max-lwps / zone.max-processes). */
  pidsMax?: Limit;
  /** The device nodes the zone may use; anything else is denied. Absent: the kernel's default (all). */
  devices?: readonly DeviceRule[];
}

/** One entry of a device allow list: a node type, its numbers (`*` = any) and the access (`rwm` letters). */
export interface DeviceRule {
  type: 'c' | 'b';
  major: number | '*';
  minor: number | '*';
  access: string;
}

/** A rule as the v1 devices controller reads it: `c 1:3 rwm`. */
export function deviceRuleText(r: DeviceRule): string {
  return `${r.type} ${r.major}:${r.minor} ${r.access}`;
}

export const CPU_PERIOD_US = 100_000;

/** The limit of the single deny value of an rctl, as libzonecfg aliases read it. */
function rctlLimit(cfg: ZoneConfig, name: string): number | undefined {
  const res = cfg.resources.find((r) => r.type === 'rctl' && r.props.name === name);
  const values = (res?.props.value ?? []) as RctlValue[];
  // Several values (e.g. a basic and a privileged one): the privileged deny value is the cap.
  const v = values.find((x) => x.priv === 'privileged' && x.action === 'deny') ?? values.find((x) => x.priv === 'privileged');
  if (!v) return undefined;
  const n = Number(v.limit);
  return Number.isFinite(n) ? n : undefined;
}

/** dedicated-cpu `N` or `N-M`: the zone gets the first N CPUs of the host (at most what exists). */
function dedicatedCpus(cfg: ZoneConfig, hostCpus: number): string | undefined {
  const res = cfg.resources.find((r) => r.type === 'dedicated-cpu');
  const ncpus = res?.props.ncpus;
  if (typeof ncpus !== 'string') return undefined;
  const want = Math.min(Number(ncpus.split('-')[0]), hostCpus);
  if (!(want >= 1)) return undefined;
  return want === 1 ? '0' : `0-${want - 1}`;
}

export function limitsFromConfig(cfg: ZoneConfig, hostCpus: number): CgroupLimits {
  const limits: CgroupLimits = {};
  const mcap = cfg.resources.find((r) => r.type === 'capped-memory')?.props.physical;
  if (typeof mcap === 'string' && Number(mcap) > 0) limits.memoryBytes = Number(mcap);
  const swap = rctlLimit(cfg, 'zone.max-swap');
  if (swap !== undefined) limits.memoryAndSwapBytes = swap;
  const cap = rctlLimit(cfg, 'zone.cpu-cap');
  if (cap !== undefined) limits.cpuQuota = { quotaUs: Math.round((cap / 100) * CPU_PERIOD_US), periodUs: CPU_PERIOD_US };
  const shares = rctlLimit(cfg, 'zone.cpu-shares');
  if (shares !== undefined) limits.cpuShares = shares;
  const cpus = dedicatedCpus(cfg, hostCpus);
  if (cpus !== undefined) limits.cpus = cpus;
  // Linux counts threads and processes alike as tasks: the smaller of the two caps applies.
  const tasks = [rctlLimit(cfg, 'zone.max-lwps'), rctlLimit(cfg, 'zone.max-processes')].filter((n): n is number => n !== undefined);
  if (tasks.length > 0) limits.pidsMax = Math.min(...tasks);
  return limits;
}
