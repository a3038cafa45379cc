/**
 * zprstat: Solaris prstat -c with zones (docs/reference.md#83-zprstat): one report per sample,
 * the busiest processes and, with -Z, a line per zone, then the totals. Pure: the main reads the
 * samples (snapshot.ts) and waits the interval.
 */
import type { Accounts } from './accounts.js';
import { fname, isZombie, lifetimeCpuPercent } from './format.js';
import type { Proc, Snapshot } from './snapshot.js';

export type SortKey = 'cpu' | 'pri' | 'rss' | 'size' | 'time';
export const SORT_KEYS: readonly SortKey[] = ['cpu', 'pri', 'rss', 'size', 'time'];

/** What a zprstat command line asks (argv/zprstat.ts). */
export interface PrstatRequest {
  /** -Z: the zone lines below the processes */
  zones: boolean;
  /** -z: zone names or ids */
  zoneFilter?: string[];
  /** -n: process lines, zone lines */
  ntop: number;
  nbottom: number;
  sortKey: SortKey;
  /** -s: -1 (largest first), -S: 1 */
  sortOrder: -1 | 1;
  pids?: Set<number>;
  euids?: Set<number>;
  ruids?: Set<number>;
  /** seconds between reports */
  interval: number;
  /** reports to print; -1 for ever */
  count: number;
  /** --json: each report as a JSON line (prstatJson) */
  json?: boolean;
}

const PSINFO_HEADER = '   PID USERNAME  SIZE   RSS STATE  PRI NICE      TIME  CPU PROCESS/NLWP       ';
const ZONE_HEADER = 'ZONEID    NPROC  SWAP   RSS MEMORY      TIME  CPU ZONE                        ';

/** prutil.c Format_size: KiB as `%4d` K, M or G. */
export function formatSize(kib: number): string {
  let size = kib;
  let tag = 'K';
  if (size >= 10000) {
    size = Math.floor((size + 512) / 1024);
    tag = 'M';
    if (size >= 10000) {
      size = Math.floor((size + 512) / 1024);
      tag = 'G';
    }
  }
  return `${String(size).padStart(4)}${tag}`;
}

/** prutil.c Format_time: `%3d:%2.2d:%2.2d`. */
export function formatTime(seconds: number): string {
  const s = Math.floor(seconds);
  return `${String(Math.floor(s / 3600)).padStart(3)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** prutil.c Format_pct: one decimal below 9.95, none above; then `%3.3s`. */
export function formatPct(v: number): string {
  const val = Math.min(100, Math.max(0, v));
  const s = val < 9.95 ? val.toFixed(1) : val.toFixed(0);
  return s.slice(0, 3).padStart(3);
}

/** prutil.c Format_state. */
function stateWord(p: Proc): string {
  switch (p.state) {
    case 'R':
      return 'run';
    case 'Z':
    case 'X':
      return 'zombie';
    case 'T':
    case 't':
      return 'stop';
    default:
      return 'sleep';
  }
}

/** A process as one report counts it. */
interface Row {
  p: Proc;
  cpu: number;
  seconds: number;
}

/** CPU percent of the whole machine: over the interval when the previous sample had the process, else over its life. */
function cpuOf(p: Proc, prev: Map<string, Proc> | undefined, elapsed: number, cur: Snapshot): number {
  const { hz, ncpus, uptime } = cur.host;
  const before = prev?.get(`${p.pid}:${p.starttime}`);
  if (before && elapsed > 0) return Math.min(100, ((p.utime + p.stime - before.utime - before.stime) / hz / elapsed / ncpus) * 100);
  return lifetimeCpuPercent(p, uptime, hz, ncpus);
}

/** Linux's kernel threads (kthreadd and its children), as prstat leaves out sched, pageout and fsflush. */
const kernelThread = (p: Proc) => p.pid === 2 || p.ppid === 2;

function key(r: Row, k: SortKey): number {
  switch (k) {
    case 'cpu':
      return r.cpu;
    case 'pri':
      return 39 - r.p.priority;
    case 'rss':
      return r.p.rssKiB;
    case 'size':
      return r.p.vszKiB;
    case 'time':
      return r.seconds;
  }
}

/** A zone's line of -Z. */
interface ZoneTotal {
  id: number;
  name: string;
  nproc: number;
  swap: number;
  rss: number;
  seconds: number;
  cpu: number;
}

/** What one report counts: the processes it selects, the top ones in order, and with -Z the zones in order. */
function reportRows(req: PrstatRequest, cur: Snapshot, prev: Snapshot | undefined, zones: Set<string> | undefined): { rows: Row[]; top: Row[]; zoneRows: ZoneTotal[] } {
  const before = prev ? new Map(prev.procs.map((p) => [`${p.pid}:${p.starttime}`, p])) : undefined;
  const elapsed = prev ? cur.now - prev.now : 0;
  const { hz } = cur.host;
  const rows: Row[] = cur.procs
    .filter((p) => !kernelThread(p))
    .filter((p) => req.pids === undefined || req.pids.has(p.pid))
    .filter((p) => (req.euids === undefined || req.euids.has(p.euid)) && (req.ruids === undefined || req.ruids.has(p.ruid)))
    .filter((p) => zones === undefined || (p.zone !== undefined && zones.has(p.zone)))
    .map((p) => ({ p, cpu: isZombie(p) ? 0 : cpuOf(p, before, elapsed, cur), seconds: (p.utime + p.stime) / hz }));
  const sorted = [...rows].sort((a, b) => req.sortOrder * (key(a, req.sortKey) - key(b, req.sortKey)) || a.p.pid - b.p.pid);
  const totals = new Map<string, ZoneTotal>();
  if (req.zones) {
    for (const r of rows) {
      if (r.p.zone === undefined) continue;
      const id = r.p.zoneid ?? -1;
      const t = totals.get(r.p.zone) ?? { id, name: r.p.zone, nproc: 0, swap: 0, rss: 0, seconds: 0, cpu: 0 };
      t.nproc++;
      t.swap += r.p.swapKiB;
      t.rss += r.p.rssKiB;
      t.seconds += r.seconds;
      t.cpu += r.cpu;
      totals.set(r.p.zone, t);
    }
  }
  const zoneRows = [...totals.values()].sort((a, b) => b.cpu - a.cpu || a.id - b.id).slice(0, req.nbottom);
  return { rows, top: sorted.slice(0, req.ntop), zoneRows };
}

const lwpsOf = (rows: readonly Row[]) => rows.reduce((n, r) => n + (isZombie(r.p) ? 0 : r.p.nlwp), 0);

/**
 * One report: `cur` the sample, `prev` the one before (undefined for the first report), `zones`
 * the zone names -z selects (undefined: all). Lines end with `\n`, headers padded as prstat pads them.
 */
export function prstatReport(req: PrstatRequest, cur: Snapshot, prev: Snapshot | undefined, acc: Accounts, zones: Set<string> | undefined): string {
  const { memTotalKiB, loadavg } = cur.host;
  const { rows, top, zoneRows } = reportRows(req, cur, prev, zones);
  let out = `${PSINFO_HEADER}\n`;
  for (const r of top) {
    const p = r.p;
    const user = acc.userName(p.ruid) ?? String(p.ruid);
    const zombie = isZombie(p);
    const nice = zombie ? '  -' : String(p.nice).padStart(3);
    const pri = String(39 - p.priority).padStart(3);
    out +=
      `${String(p.pid).padStart(6)} ${user.padEnd(8)} ${formatSize(p.vszKiB).padStart(5)} ${formatSize(p.rssKiB).padStart(5)} ` +
      `${stateWord(p).padEnd(6)} ${pri}  ${nice} ${formatTime(r.seconds).padStart(9)} ${formatPct(r.cpu)}% ${fname(p).slice(0, 16)}/${zombie ? 0 : p.nlwp}\n`;
  }
  if (req.zones) {
    out += `${ZONE_HEADER}\n`;
    for (const t of zoneRows) {
      const mem = memTotalKiB > 0 ? (t.rss / memTotalKiB) * 100 : 0;
      out +=
        `${String(t.id).padStart(6)} ${String(t.nproc).padStart(8)} ${formatSize(t.swap).padStart(5)} ${formatSize(t.rss).padStart(5)}   ` +
        `${formatPct(mem)}% ${formatTime(t.seconds).padStart(9)} ${formatPct(t.cpu)}% ${t.name.padEnd(28)}\n`;
    }
  }
  out += `Total: ${rows.length} processes, ${lwpsOf(rows)} lwps, load averages: ${loadavg.map((l) => l.toFixed(2)).join(', ')}\n`;
  return out;
}

/**
 * One report as a JSON line (`zprstat --json`, docs/schemas/zprstat.schema.json): the same lines
 * with exact numbers: sizes in KiB, times in seconds, percentages of the machine (not rounded to
 * prstat's three characters); `zones` only with -Z.
 */
export function prstatJson(req: PrstatRequest, cur: Snapshot, prev: Snapshot | undefined, acc: Accounts, zones: Set<string> | undefined): string {
  const { memTotalKiB, loadavg } = cur.host;
  const { rows, top, zoneRows } = reportRows(req, cur, prev, zones);
  const processes = top.map(({ p, cpu, seconds }) => ({
    pid: p.pid,
    username: acc.userName(p.ruid) ?? null,
    uid: p.ruid,
    size: isZombie(p) ? 0 : p.vszKiB,
    rss: isZombie(p) ? 0 : p.rssKiB,
    state: stateWord(p),
    pri: 39 - p.priority,
    nice: isZombie(p) ? null : p.nice,
    time: seconds,
    cpu,
    process: fname(p),
    nlwp: isZombie(p) ? 0 : p.nlwp,
    zone: p.zone ?? null,
    zoneid: p.zoneid ?? null,
  }));
  const zoneLines = zoneRows.map((t) => ({
    zoneid: t.id < 0 ? null : t.id,
    zone: t.name,
    nproc: t.nproc,
    swap: t.swap,
    rss: t.rss,
    memory: memTotalKiB > 0 ? (t.rss / memTotalKiB) * 100 : 0,
    time: t.seconds,
    cpu: t.cpu,
  }));
  const total = { processes: rows.length, lwps: lwpsOf(rows), load: [...loadavg] };
  return `${JSON.stringify({ time: new Date(cur.now * 1000).toISOString(), processes, ...(req.zones ? { zones: zoneLines } : {}), total })}\n`;
}
