/**
 * The host's own counters, for zonestat's [total] and [system] lines (docs/reference.md#9-zonestat):
 * CPU time per CPU from /proc/stat, memory from /proc/meminfo, the CPUs online, the system-wide
 * task limits and counts. Each call reads the files again; nothing is cached.
 */
import { readdirSync } from 'node:fs';
import { cpuList, readStat } from './cgroups/stats.js';

/** /proc/stat counts in USER_HZ ticks, 100 per second on every architecture Linux runs on. */
const NS_PER_TICK = 10_000_000;

export interface CpuTimes {
  cpu: number;
  /** Time the CPU was not idle (user, nice, system, irq, softirq, steal), ns. */
  busyNs: number;
  /** The part no process accounts for (irq, softirq, steal), ns: zonestat's [system]. */
  systemNs: number;
}

export interface HostMemory {
  totalBytes: number;
  availableBytes: number;
  swapTotalBytes: number;
  swapFreeBytes: number;
  /** Kernel memory no process owns: unreclaimable slab, kernel stacks, page tables. */
  kernelBytes: number;
}

/** Through the stat reader: kept open by a long-running zonestat (cgroups/stats.ts keepStatFilesOpen). */
function read(path: string): string {
  const slash = path.lastIndexOf('/');
  return readStat(path.slice(0, slash), path.slice(slash + 1)) ?? '';
}

/** Busy and system time of each CPU, from its `cpuN` line of /proc/stat. */
export function cpuTimes(text = read('/proc/stat')): CpuTimes[] {
  const out: CpuTimes[] = [];
  for (const line of text.split('\n')) {
    const m = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    // user nice system idle iowait irq softirq steal (guest time is inside user already)
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = m[2]!.trim().split(/\s+/).map(Number);
    out.push({ cpu: Number(m[1]), busyNs: (user + nice + system + irq + softirq + steal) * NS_PER_TICK, systemNs: (irq + softirq + steal) * NS_PER_TICK });
  }
  return out;
}

export function hostMemory(text = read('/proc/meminfo')): HostMemory {
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0) * 1024;
  return {
    totalBytes: kb('MemTotal'),
    availableBytes: kb('MemAvailable'),
    swapTotalBytes: kb('SwapTotal'),
    swapFreeBytes: kb('SwapFree'),
    kernelBytes: kb('SUnreclaim') + kb('KernelStack') + kb('PageTables'),
  };
}

/** The CPUs present and online. */
export function hostCpus(): { present: number[]; online: number[] } {
  return { present: cpuList(read('/sys/devices/system/cpu/present').trim()), online: cpuList(read('/sys/devices/system/cpu/online').trim()) };
}

/** The system-wide limits zonestat shows as SYSTEM LIMIT: pid_max (processes) and threads-max (lwps). */
export function taskLimits(): { processes: number; lwps: number } {
  return { processes: Number(read('/proc/sys/kernel/pid_max').trim()) || 0, lwps: Number(read('/proc/sys/kernel/threads-max').trim()) || 0 };
}

/** Tasks on the host: processes (numeric entries of /proc) and threads (/proc/loadavg's `running/total`). */
export function hostTasks(countProcesses: boolean): { processes?: number; lwps: number } {
  const lwps = Number(/\d+\/(\d+)/.exec(read('/proc/loadavg'))?.[1] ?? 0);
  if (!countProcesses) return { lwps };
  let processes = 0;
  try {
    for (const e of readdirSync('/proc')) if (e.charCodeAt(0) >= 48 && e.charCodeAt(0) <= 57) processes++;
  } catch {
    // no /proc: unknown
  }
  return { processes, lwps };
}
