/**
 * What a zone's cgroup says of its use and of its caps, read back from the kernel at each call (a
 * cap changed in the cgroup shows at once): the same plain record on v1 and v2. Each controller
 * reads its own part (`v1/<controller>.ts` stat, `v2/resources.ts` stat functions); zonestat
 * (core/src/zonestat/) does the arithmetic. `undefined` = not known on this host, or no cap.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';

export interface CgroupStats {
  /** CPU time the zone's processes used since the cgroup was made, in nanoseconds. */
  cpuUsageNs?: number;
  /** CPU cap as CPUs (quota / period: 0.5 = half of one CPU); undefined = uncapped. */
  cpuCap?: number;
  /** zone.cpu-shares as the kernel holds it, in Solaris shares (v1 cpu.shares / 2, v2 cpu.weight: platform/cgroups/limits.ts). */
  cpuShares?: number;
  /** The host CPUs the zone may run on (its cpuset), as a list of CPU numbers. */
  cpus?: number[];
  /** Memory charged to the zone minus the inactive file cache (what it could not give back at once). */
  memoryBytes?: number;
  /** The physical memory cap; undefined = none. */
  memoryLimitBytes?: number;
  /** Memory plus swap, counted as memoryBytes is. */
  memorySwapBytes?: number;
  /** The memory + swap cap; undefined = none. */
  memorySwapLimitBytes?: number;
  /** Tasks (processes and threads: lwps) in the zone. */
  tasks?: number;
  /** The task cap (pids.max); undefined = none. */
  tasksMax?: number;
}

/**
 * What a reader asks stats() for: each group costs a file or two per zone, and zonestat reads
 * every zone at every sample, so it asks only for what its report prints. Absent: everything.
 */
export type StatGroup = 'cpu' | 'shares' | 'cpuset' | 'memory' | 'pids';
export type StatWant = ReadonlySet<StatGroup> | undefined;
export const wants = (want: StatWant, g: StatGroup): boolean => want === undefined || want.has(g);

/** A kernel "no limit" written as a number (v1 memory: PAGE_COUNTER_MAX pages, about 2^63). */
const UNLIMITED_BYTES = 2 ** 60;

/** A byte count, or undefined for `max`, -1 or the v1 "unlimited" page counter. */
export function limitValue(text: string | undefined): number | undefined {
  if (text === undefined || text === 'max') return undefined;
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 && n < UNLIMITED_BYTES ? n : undefined;
}

const buffer = Buffer.allocUnsafe(64 * 1024);

/** Open descriptors kept by a long-running reader (zonestat), and whether each was read since the last sweep. */
let kept: Map<string, { fd: number; used: boolean }> | undefined;

/**
 * Keep the stat files open between reads: the kernel makes a cgroup, /proc or /sys file's text
 * again at each read from offset 0, and a read of an open file costs a quarter of open, read and
 * close (zonestat reads a few files of every zone at every sample). The reader calls
 * {@link sweepStatFiles} after each round, which closes what the round did not read: a file of a
 * cgroup that is gone (its reads fail with ENODEV; an open file would pin the dead cgroup).
 */
export function keepStatFilesOpen(): void {
  kept ??= new Map();
}

/** Closes the kept files not read since the last sweep. */
export function sweepStatFiles(): void {
  if (!kept) return;
  for (const [path, k] of kept) {
    if (k.used) k.used = false;
    else {
      closeSync(k.fd);
      kept.delete(path);
    }
  }
}

function readOpen(fd: number, path: string): string {
  const n = readSync(fd, buffer, 0, buffer.length, 0);
  return (n < buffer.length ? buffer.toString('utf8', 0, n) : readFileSync(path, 'utf8')).trim();
}

/**
 * A small kernel file, trimmed; undefined when it cannot be read. One open, read and close into a
 * buffer kept for the purpose (a third cheaper than readFileSync), or one read of the file kept
 * open ({@link keepStatFilesOpen}).
 */
export function readStat(dir: string, file: string): string | undefined {
  const path = join(dir, file);
  const k = kept?.get(path);
  if (k) {
    try {
      k.used = true;
      return readOpen(k.fd, path);
    } catch {
      closeSync(k.fd);
      kept!.delete(path);
      // the cgroup or link went, or came back under the same name: open it again below
    }
  }
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const text = readOpen(fd, path);
    if (kept) {
      kept.set(path, { fd, used: true });
      fd = undefined;
    }
    return text;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A counter file as a number (first word), undefined when absent or not a number. */
export function counterValue(dir: string, file: string): number | undefined {
  const v = readStat(dir, file);
  if (v === undefined || v === '') return undefined;
  const n = Number(v.split(/\s/)[0]);
  return Number.isFinite(n) ? n : undefined;
}

/** `key value` lines (memory.stat, cpu.stat) as a map. */
export function keyedValues(dir: string, file: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of (readStat(dir, file) ?? '').split('\n')) {
    const sp = line.indexOf(' ');
    if (sp > 0) out.set(line.slice(0, sp), Number(line.slice(sp + 1)));
  }
  return out;
}

/** A cpuset list (`0-2,5`) as CPU numbers; empty for an empty or malformed list. */
export function cpuList(text: string | undefined): number[] {
  const out: number[] = [];
  for (const part of (text ?? '').split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    for (let i = a; i <= b && out.length < 65536; i++) out.push(i);
  }
  return out;
}

/** A CPU cap from a quota and a period in microseconds (a negative or missing quota: none). */
export function cpuCapOf(quotaUs: number | undefined, periodUs: number | undefined): number | undefined {
  if (quotaUs === undefined || periodUs === undefined || !Number.isFinite(quotaUs) || !(periodUs > 0) || quotaUs < 0) return undefined;
  return quotaUs / periodUs;
}
