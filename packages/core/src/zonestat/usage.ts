/**
 * The zonestat arithmetic (docs/reference.md#9-zonestat), pure: two samples give one interval's
 * usage, several intervals give a report (total, average, high). CPU is in CPUs (1.5 = one and a
 * half CPUs busy on average over the interval), memory in bytes, percentages as numbers (50 = 50 %).
 * `undefined` is Solaris' "-": no cap, not known, or not meaningful for that line.
 */
import type { Sample, ZoneSample } from './sample.js';

export interface Amount {
  used?: number;
  /** of the resource (the processor set, host memory, the system's limit) */
  pct?: number;
  cap?: number;
  /** of the cap */
  pctCap?: number;
}

export interface CpuAmount extends Amount {
  /** the processor set the zone runs in (`pset_default`, or the zone's name for dedicated-cpu) */
  pset: string;
  shares?: number;
  /** of the shares of the zones in its processor set */
  pctShares?: number;
  /** of the CPU its shares entitle it to */
  pctSharesUsed?: number;
}

export interface LinkUsage {
  /** the host end of the zone's veth */
  link: string;
  /** the bridge it is on (Solaris' etherstub) */
  bridge?: string;
  state: string;
  speedMbps?: number;
  /** bytes the zone received and sent over the interval */
  rxBytes: number;
  txBytes: number;
}

export interface NetAmount {
  bytes: number;
  pct?: number;
  links: LinkUsage[];
}

export interface ZoneLine {
  /** a zone's name, `[total]` or `[system]` */
  name: string;
  /** zone id; undefined for [total] and [system] */
  id?: number;
  cpu: CpuAmount;
  physicalMemory: Amount;
  virtualMemory: Amount;
  processes: Amount;
  lwps: Amount;
  /** exclusive-IP zones (and [total]); undefined: no link of its own */
  network?: NetAmount;
}

export interface Pset {
  name: string;
  type: 'default-pset' | 'dedicated-cpu';
  cpus: number[];
  online: number;
  total: Amount & { shares?: number };
  system: Amount;
  zones: string[];
}

export interface Usage {
  /** seconds the interval lasted */
  seconds: number;
  startMs: number;
  endMs: number;
  cpus: { present: number; online: number };
  memoryBytes: number;
  virtualMemoryBytes: number;
  limits: { processes: number; lwps: number };
  psets: Pset[];
  total: ZoneLine;
  system: ZoneLine;
  /** the global zone first, then the zones, in zone id order */
  zones: ZoneLine[];
}

export const TOTAL = '[total]';
export const SYSTEM = '[system]';
export const DEFAULT_PSET = 'pset_default';

const pct = (used: number | undefined, of: number | undefined) => (used === undefined || of === undefined || of <= 0 ? undefined : (used / of) * 100);
const amount = (used: number | undefined, of: number | undefined, cap?: number): Amount => ({ used, pct: pct(used, of), cap, pctCap: pct(used, cap) });
const nonNegative = (n: number) => Math.max(0, n);

function cpuBetween(a: ZoneSample | undefined, b: ZoneSample, seconds: number): number {
  const d = (b.stats.cpuUsageNs ?? 0) - (a?.stats.cpuUsageNs ?? b.stats.cpuUsageNs ?? 0);
  return nonNegative(d) / 1e9 / seconds;
}

function linksBetween(a: ZoneSample | undefined, b: ZoneSample): LinkUsage[] {
  return b.links.map((l) => {
    const before = a?.links.find((x) => x.name === l.name) ?? l;
    // The host end's transmit is what the zone received, its receive what the zone sent.
    return {
      link: l.name,
      ...(l.master ? { bridge: l.master } : {}),
      state: l.state,
      ...(l.speedMbps ? { speedMbps: l.speedMbps } : {}),
      rxBytes: nonNegative(l.txBytes - before.txBytes),
      txBytes: nonNegative(l.rxBytes - before.rxBytes),
    };
  });
}

/** One interval's usage from the sample at its start and the one at its end. */
export function usageBetween(a: Sample, b: Sample): Usage {
  const seconds = Math.max(1e-3, (b.atMs - a.atMs) / 1000);
  const busy = (cpus: readonly number[] | undefined, field: 'busyNs' | 'systemNs') =>
    b.cpus.filter((c) => !cpus || cpus.includes(c.cpu)).reduce((s, c) => s + nonNegative(c[field] - (a.cpus.find((x) => x.cpu === c.cpu)?.[field] ?? c[field])), 0) / 1e9 / seconds;
  const online = b.online.length > 0 ? b.online : b.cpus.map((c) => c.cpu);
  const mem = b.memory;
  const memUsed = nonNegative(mem.totalBytes - mem.availableBytes);
  const vmTotal = mem.totalBytes + mem.swapTotalBytes;
  const vmUsed = memUsed + nonNegative(mem.swapTotalBytes - mem.swapFreeBytes);

  // Processor sets: one per dedicated-cpu zone (its cpuset), the default one with the rest.
  const dedicated = b.zones.filter((z) => z.dedicated && (z.stats.cpus?.length ?? 0) > 0);
  const taken = new Set(dedicated.flatMap((z) => z.stats.cpus!));
  const defaultCpus = online.filter((c) => !taken.has(c));
  const psetOf = (z: ZoneSample) => (z.dedicated && (z.stats.cpus?.length ?? 0) > 0 ? z.name : DEFAULT_PSET);
  const psetCpus = new Map<string, number[]>([[DEFAULT_PSET, defaultCpus], ...dedicated.map((z) => [z.name, z.stats.cpus!.filter((c) => online.includes(c))] as [string, number[]])]);

  const zoneCpu = new Map(b.zones.map((z) => [z.name, cpuBetween(a.zones.find((x) => x.name === z.name), z, seconds)]));
  const sharesIn = (pset: string) => b.zones.filter((z) => psetOf(z) === pset).reduce((s, z) => s + (z.stats.cpuShares ?? 0), 0);

  const zoneLine = (z: ZoneSample): ZoneLine => {
    const s = z.stats;
    const used = zoneCpu.get(z.name)!;
    const pset = psetOf(z);
    const size = psetCpus.get(pset)!.length;
    const psetShares = sharesIn(pset);
    const shareFrac = s.cpuShares !== undefined && psetShares > 0 ? s.cpuShares / psetShares : undefined;
    const links = linksBetween(a.zones.find((x) => x.name === z.name), z);
    const netBytes = links.reduce((n, l) => n + l.rxBytes + l.txBytes, 0);
    const speed = links.reduce((n, l) => n + (l.speedMbps ?? 0), 0);
    return {
      name: z.name,
      id: z.id,
      cpu: {
        ...amount(used, size, s.cpuCap),
        pset,
        ...(s.cpuShares !== undefined ? { shares: s.cpuShares } : {}),
        pctShares: shareFrac === undefined ? undefined : shareFrac * 100,
        pctSharesUsed: shareFrac === undefined ? undefined : pct(used, size * shareFrac),
      },
      physicalMemory: amount(s.memoryBytes, mem.totalBytes, s.memoryLimitBytes),
      virtualMemory: amount(s.memorySwapBytes ?? s.memoryBytes, vmTotal, s.memorySwapLimitBytes),
      processes: amount(z.processes, b.limits.processes, s.tasksMax),
      lwps: amount(s.tasks, b.limits.lwps, s.tasksMax),
      ...(links.length > 0 ? { network: { bytes: netBytes, pct: speed > 0 ? pct((netBytes * 8) / seconds, speed * 1e6) : undefined, links } } : {}),
    };
  };
  const zones = b.zones.map(zoneLine);

  const totalCpu = busy(online, 'busyNs');
  const systemCpu = busy(online, 'systemNs');
  const sum = (f: (z: ZoneLine) => number | undefined) => zones.reduce((s, z) => s + (f(z) ?? 0), 0);
  const allCpus = online.length;
  const net = zones.filter((z) => z.network);
  const netBytes = net.reduce((s, z) => s + z.network!.bytes, 0);
  const netSpeed = net.reduce((s, z) => s + z.network!.links.reduce((n, l) => n + (l.speedMbps ?? 0), 0), 0);
  const total: ZoneLine = {
    name: TOTAL,
    cpu: { ...amount(totalCpu, allCpus), pset: DEFAULT_PSET },
    physicalMemory: amount(memUsed, mem.totalBytes),
    virtualMemory: amount(vmUsed, vmTotal),
    processes: amount(b.tasks.processes, b.limits.processes),
    lwps: amount(b.tasks.lwps, b.limits.lwps),
    network: { bytes: netBytes, pct: netSpeed > 0 ? pct((netBytes * 8) / seconds, netSpeed * 1e6) : undefined, links: [] },
  };
  const system: ZoneLine = {
    name: SYSTEM,
    cpu: { ...amount(systemCpu, allCpus), pset: DEFAULT_PSET },
    physicalMemory: amount(mem.kernelBytes, mem.totalBytes),
    virtualMemory: amount(mem.kernelBytes, vmTotal),
    processes: {},
    lwps: {},
  };
  // The global zone: what the host used that neither the kernel itself nor a zone accounts for.
  const global: ZoneLine = {
    name: 'global',
    id: 0,
    cpu: { ...amount(nonNegative(totalCpu - systemCpu - sum((z) => z.cpu.used)), defaultCpus.length), pset: DEFAULT_PSET },
    physicalMemory: amount(nonNegative(memUsed - mem.kernelBytes - sum((z) => z.physicalMemory.used)), mem.totalBytes),
    virtualMemory: amount(nonNegative(vmUsed - mem.kernelBytes - sum((z) => z.virtualMemory.used)), vmTotal),
    processes: b.tasks.processes === undefined ? {} : amount(nonNegative(b.tasks.processes - sum((z) => z.processes.used)), b.limits.processes),
    lwps: amount(nonNegative(b.tasks.lwps - sum((z) => z.lwps.used)), b.limits.lwps),
  };

  const psets: Pset[] = [...psetCpus].map(([name, cpus]) => ({
    name,
    type: name === DEFAULT_PSET ? 'default-pset' : 'dedicated-cpu',
    cpus,
    online: cpus.length,
    total: { ...amount(busy(cpus, 'busyNs'), cpus.length), shares: sharesIn(name) || undefined },
    system: amount(busy(cpus, 'systemNs'), cpus.length),
    zones: [...(name === DEFAULT_PSET ? ['global'] : []), ...b.zones.filter((z) => psetOf(z) === name).map((z) => z.name)],
  }));

  return {
    seconds,
    startMs: a.wallMs,
    endMs: b.wallMs,
    cpus: { present: b.present.length || b.cpus.length, online: allCpus },
    memoryBytes: mem.totalBytes,
    virtualMemoryBytes: vmTotal,
    limits: b.limits,
    psets,
    total,
    system,
    zones: [global, ...zones.sort((x, y) => (x.id ?? 0) - (y.id ?? 0))],
  };
}

/** Combines the same line over several intervals, field by field (numbers by `how`, the rest from the last). */
function combine<T extends object>(items: readonly T[], how: (xs: number[]) => number): T {
  const rows = items as readonly Record<string, unknown>[];
  const out: Record<string, unknown> = {};
  for (const key of new Set(rows.flatMap((r) => Object.keys(r)))) {
    const vs = rows.map((r) => r[key]).filter((v) => v !== undefined);
    const last = vs[vs.length - 1];
    if (vs.length > 0 && vs.every((v) => typeof v === 'number')) out[key] = how(vs as number[]);
    else if (last && typeof last === 'object' && !Array.isArray(last)) out[key] = combine(vs.filter((v) => v && typeof v === 'object') as object[], how);
    else out[key] = last;
  }
  return out as T;
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const max = (xs: number[]) => Math.max(...xs);

/**
 * A report over several intervals (zonestat -R): `average` = each zone's mean over the intervals
 * it ran in, `high` = its highest value of each column, `total` = its mean over the whole period
 * (an interval it was not running counts as zero use) with its network bytes summed.
 */
export function reportOf(kind: 'total' | 'average' | 'high', intervals: readonly Usage[]): Usage {
  const last = intervals[intervals.length - 1]!;
  const how = kind === 'high' ? max : mean;
  const lineOver = (name: string): ZoneLine[] => intervals.flatMap((u) => [u.total, u.system, ...u.zones].filter((z) => z.name === name));
  const combineLine = (name: string): ZoneLine => {
    const lines = lineOver(name);
    const c = combine(lines, how);
    if (kind !== 'total') return c;
    const n = intervals.length;
    const scale = (a: Amount): Amount => {
      const s = lines.length / n;
      const m = (x: number | undefined) => (x === undefined ? undefined : x * s);
      return { ...a, used: m(a.used), pct: m(a.pct), pctCap: m(a.pctCap) };
    };
    const bytes = lines.reduce((s, l) => s + (l.network?.bytes ?? 0), 0);
    return {
      ...c,
      cpu: { ...c.cpu, ...scale(c.cpu) },
      physicalMemory: scale(c.physicalMemory),
      virtualMemory: scale(c.virtualMemory),
      processes: scale(c.processes),
      lwps: scale(c.lwps),
      ...(c.network ? { network: { ...c.network, bytes } } : {}),
    };
  };
  const names = [...new Set(intervals.flatMap((u) => u.zones.map((z) => z.name)))];
  const zones = names.map(combineLine).sort((x, y) => (x.id ?? 0) - (y.id ?? 0));
  return {
    ...last,
    seconds: intervals.reduce((s, u) => s + u.seconds, 0),
    startMs: intervals[0]!.startMs,
    endMs: last.endMs,
    total: combineLine(TOTAL),
    system: combineLine(SYSTEM),
    zones,
    psets: last.psets.map((p) => {
      const over = intervals.flatMap((u) => u.psets.filter((q) => q.name === p.name));
      return { ...p, total: combine(over.map((q) => q.total), how), system: combine(over.map((q) => q.system), how) };
    }),
  };
}
