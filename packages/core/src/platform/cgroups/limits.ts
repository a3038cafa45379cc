/**
 * The resource limits of a zone as one plain record, derived from its configuration (rctls,
 * capped-memory, capped-cpu, dedicated-cpu, scheduling-class). `undefined` = leave the kernel
 * default alone; `'max'` = explicitly unlimited. No controller parses user input: they only read
 * this record. What each control means on Linux: docs/resource-controls.md.
 */
import type { RctlValue, ZoneConfig } from '../../model/types.js';

/**
 * A stored rctl limit (zonecfg accepted it: strtoull base 0, model/rctl.ts parseRctlLimit). Not
 * imported from there: this module is on the path of zoneadm list and zlogin, which must not load
 * the schema.
 */
function limitValue(text: string): bigint | undefined {
  const m = /^\s*\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!m) return undefined;
  const d = m[1]!;
  return /^0[0-7]+$/.test(d) ? BigInt(`0o${d.slice(1)}`) : BigInt(d);
}

export type Limit = number | 'max';

/** The IPC limits of the zone's own IPC namespace (zone.max-shm-memory, -shm-ids, -msg-ids, -sem-ids). */
export interface IpcLimits {
  shmMemoryBytes?: number;
  shmIds?: number;
  msgIds?: number;
  semIds?: number;
}

/** dedicated-cpu as asked: at least `min` CPUs, up to `max`, with its importance. */
export interface DedicatedCpuRequest {
  min: number;
  max: number;
  importance: number;
}

export interface CgroupLimits {
  /** Physical memory cap in bytes (capped-memory physical). */
  memoryBytes?: Limit;
  /** Memory + swap in bytes (Solaris zone.max-swap caps all virtual memory of the zone). */
  memoryAndSwapBytes?: Limit;
  /** CPU cap as a quota per period, in microseconds (capped-cpu / zone.cpu-cap). */
  cpuQuota?: { quotaUs: number; periodUs: number } | 'max';
  /**
   * Fair-share scheduler shares, in Solaris units (zone.cpu-shares; 1 when scheduling-class=FSS
   * and none is set). Each cgroup version scales them its way, keeping their ratios: {@link v1Shares}, {@link v2Weight}.
   * `default`: the kernel's own default weight (a live change that drops the shares).
   */
  cpuShares?: number | 'default';
  /** CPUs the zone may run on, cpuset list syntax (`0-1`): decided by runtime/cpu-pool.ts, never by this module. */
  cpus?: string;
  /** dedicated-cpu, for runtime/cpu-pool.ts to turn into `cpus`. */
  dedicatedCpu?: DedicatedCpuRequest;
  /** Maximum number of tasks (zone.max-lwps / zone.max-processes). */
  pidsMax?: Limit;
  /** RLIMIT_MEMLOCK of every process of the zone, soft = hard, in bytes (zone.max-locked-memory). Not a cgroup file. */
  memlockBytes?: number;
  /** The IPC sysctls of the zone's IPC namespace. Not a cgroup file: platform/ipc-limits.ts. */
  ipc?: IpcLimits;
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

/** The kernel's cfs quota floor (1 ms): zone.cpu-cap 1 (0.01 CPU) is exactly that. */
export const MIN_QUOTA_US = 1000;

/** Solaris' FSS range: zone.cpu-shares 0..65535. */
export const MAX_FSS_SHARES = 65535;

/**
 * v1 cpu.shares = 2 x Solaris shares: the kernel's floor is 2, and the whole Solaris range
 * (2 x 65535 = 131070) stays under its ceiling of 262144, so every ratio is kept. Shares 0 (only
 * when nobody else wants the CPU, on Solaris) has no Linux equivalent: it becomes 1 share.
 */
export function v1Shares(shares: number): number {
  return 2 * Math.max(1, shares);
}

/** v2 cpu.weight = Solaris shares, 1..10000: ratios hold up to 10000 shares, beyond that they saturate (verify warns). */
export const MAX_V2_WEIGHT = 10000;
/** The kernels' default weights (what a cgroup without zone.cpu-shares has). */
export const V1_DEFAULT_SHARES = 1024;
export const V2_DEFAULT_WEIGHT = 100;
export function v2Weight(shares: number): number {
  return Math.min(MAX_V2_WEIGHT, Math.max(1, shares));
}

/** Solaris shares back from what the kernel holds (zonestat): the inverses of {@link v1Shares} and {@link v2Weight}. */
export function sharesOfV1(cpuShares: number): number {
  return cpuShares / 2;
}
export function sharesOfV2(weight: number): number {
  return weight;
}

/** The rctls a zone can carry (docs/reference.md#23-rctl-aliases); any other zone.* name is ignored with a warning. */
export const KNOWN_RCTLS = [
  'zone.cpu-cap',
  'zone.cpu-shares',
  'zone.max-locked-memory',
  'zone.max-lofi',
  'zone.max-lwps',
  'zone.max-msg-ids',
  'zone.max-processes',
  'zone.max-sem-ids',
  'zone.max-shm-ids',
  'zone.max-shm-memory',
  'zone.max-swap',
] as const;

function rctlValues(cfg: ZoneConfig, name: string): RctlValue[] {
  return cfg.resources
    .filter((r) => r.type === 'rctl' && r.props.name === name)
    .flatMap((r) => (Array.isArray(r.props.value) ? (r.props.value as RctlValue[]) : []));
}

/**
 * The cap of an rctl as the kernel enforces it: the smallest privileged value with the action
 * `deny` (an alias writes exactly one; an explicit `add rctl` may hold several). A value with the
 * action `none` only notifies on Solaris, so it caps nothing here either, except for
 * zone.cpu-shares, whose one value is `none` by definition.
 */
function rctlLimit(cfg: ZoneConfig, name: string, action: 'deny' | 'none' = 'deny'): number | undefined {
  const limits = rctlValues(cfg, name)
    .filter((v) => v.priv === 'privileged' && v.action === action)
    .map((v) => limitValue(v.limit))
    .filter((n): n is bigint => n !== undefined);
  if (limits.length === 0) return undefined;
  const min = limits.reduce((a, b) => (b < a ? b : a));
  return Number(min);
}

/** dedicated-cpu `N` or `N-M` and its importance (default 1, as pools' pset.importance). */
function dedicatedRequest(cfg: ZoneConfig): DedicatedCpuRequest | undefined {
  const res = cfg.resources.find((r) => r.type === 'dedicated-cpu');
  const ncpus = res?.props.ncpus;
  if (typeof ncpus !== 'string') return undefined;
  const m = /^(\d+)(?:-(\d+))?$/.exec(ncpus.trim());
  if (!m) return undefined;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : Number(m[2]);
  if (!(min >= 1) || max < min) return undefined;
  const imp = res?.props.importance;
  const importance = typeof imp === 'string' && /^\d+$/.test(imp) ? Number(imp) : 1;
  return { min, max, importance };
}

/** Linux counts a thread like a process (one task each); the man page's rule fills in the one not set. */
function tasksMax(cfg: ZoneConfig): number | undefined {
  const lwps = rctlLimit(cfg, 'zone.max-lwps');
  const processes = rctlLimit(cfg, 'zone.max-processes');
  if (lwps !== undefined && processes !== undefined) return Math.min(lwps, processes);
  if (lwps !== undefined) return lwps;
  if (processes !== undefined) return 10 * processes;
  return undefined;
}

function ipcLimits(cfg: ZoneConfig): IpcLimits | undefined {
  const ipc: IpcLimits = {};
  const shm = rctlLimit(cfg, 'zone.max-shm-memory');
  if (shm !== undefined) ipc.shmMemoryBytes = shm;
  const shmIds = rctlLimit(cfg, 'zone.max-shm-ids');
  if (shmIds !== undefined) ipc.shmIds = shmIds;
  const msgIds = rctlLimit(cfg, 'zone.max-msg-ids');
  if (msgIds !== undefined) ipc.msgIds = msgIds;
  const semIds = rctlLimit(cfg, 'zone.max-sem-ids');
  if (semIds !== undefined) ipc.semIds = semIds;
  return Object.keys(ipc).length > 0 ? ipc : undefined;
}

/** `hostCpus` is no longer read (runtime/cpu-pool.ts places dedicated CPUs); kept for callers. */
export function limitsFromConfig(cfg: ZoneConfig, _hostCpus?: number): CgroupLimits {
  const limits: CgroupLimits = {};
  const mcap = cfg.resources.find((r) => r.type === 'capped-memory')?.props.physical;
  if (typeof mcap === 'string' && Number(mcap) > 0) limits.memoryBytes = Number(mcap);
  const swap = rctlLimit(cfg, 'zone.max-swap');
  if (swap !== undefined) limits.memoryAndSwapBytes = swap;
  const cap = rctlLimit(cfg, 'zone.cpu-cap');
  if (cap !== undefined && cap > 0) {
    limits.cpuQuota = { quotaUs: Math.max(MIN_QUOTA_US, Math.round((cap / 100) * CPU_PERIOD_US)), periodUs: CPU_PERIOD_US };
  }
  // FSS as the zone's class puts shares in force: a zone without zone.cpu-shares has 1, as on Solaris.
  const shares = rctlLimit(cfg, 'zone.cpu-shares', 'none');
  if (shares !== undefined) limits.cpuShares = Math.min(shares, MAX_FSS_SHARES);
  else if (cfg.globals['scheduling-class'] === 'FSS') limits.cpuShares = 1;
  const dedicated = dedicatedRequest(cfg);
  if (dedicated) limits.dedicatedCpu = dedicated;
  const tasks = tasksMax(cfg);
  if (tasks !== undefined) limits.pidsMax = tasks;
  const locked = rctlLimit(cfg, 'zone.max-locked-memory');
  if (locked !== undefined) limits.memlockBytes = Math.min(locked, Number.MAX_SAFE_INTEGER);
  const ipc = ipcLimits(cfg);
  if (ipc) limits.ipc = ipc;
  return limits;
}

/**
 * What the configuration asks that no Linux host enforces as asked (the host-specific part is
 * ZoneCgroup.unenforced): printed by zoneadm verify and boot as `WARNING: ...`.
 */
export function configLimitWarnings(cfg: ZoneConfig): string[] {
  const out: string[] = [];
  const names = new Set(cfg.resources.filter((r) => r.type === 'rctl').map((r) => String(r.props.name)));
  for (const n of names) {
    if (!(KNOWN_RCTLS as readonly string[]).includes(n)) out.push(`Ignoring unrecognized rctl '${n}'.`);
  }
  if (names.has('zone.max-lofi')) out.push('rctl zone.max-lofi is not enforced: a zone gets no loop (lofi) devices on Linux.');
  const lwps = rctlLimit(cfg, 'zone.max-lwps');
  const processes = rctlLimit(cfg, 'zone.max-processes');
  if (lwps !== undefined && processes !== undefined && processes < lwps) {
    out.push(`rctl zone.max-processes (${processes}) also caps threads: Linux counts processes and lwps together (pids.max ${processes}).`);
  }
  const shares = rctlLimit(cfg, 'zone.cpu-shares', 'none');
  if (shares === 0) out.push('rctl zone.cpu-shares 0 is enforced as 1 share: Linux has no zero weight.');
  if (shares !== undefined && shares > MAX_FSS_SHARES) out.push(`rctl zone.cpu-shares ${shares} is beyond ${MAX_FSS_SHARES}: ${MAX_FSS_SHARES} is enforced.`);
  return out;
}
