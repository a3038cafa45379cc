/**
 * The whole process table in one pass over /proc, for the process tools (zps, zpgrep, zpkill,
 * zprstat: docs/process-tools.md): per pid its stat, status, cmdline and the cgroup that holds
 * every zone process (the `pids` hierarchy on v1, the unified one on v2: the same one
 * cgroups/common.ts cgroupTreePids walks). A process that ends while it is read is left out.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** What the tools know of one process. Times are in clock ticks (USER_HZ), sizes in KiB. */
export interface ProcessEntry {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  /** /proc/PID/comm: the name the kernel keeps (at most 15 bytes; the process may change it). */
  comm: string;
  /** The argument vector (empty for a kernel thread). */
  argv: string[];
  /** The state letter of /proc/PID/stat (R, S, D, Z, T, t, I, X). */
  state: string;
  ruid: number;
  euid: number;
  rgid: number;
  egid: number;
  /** The controlling terminal's device number (0: none). */
  ttyNr: number;
  utime: number;
  stime: number;
  /** Start, in ticks after boot. */
  starttime: number;
  /** The kernel's `priority` field (20 for nice 0 in the normal class). */
  priority: number;
  nice: number;
  nlwp: number;
  vszKiB: number;
  rssKiB: number;
  /** RssAnon + VmSwap: memory only swap can back (what Solaris' prstat reports as SWAP). */
  swapKiB: number;
  /** The cgroup path in the zone hierarchy (`/zones/z1/payload/...`), `/` when unknown. */
  cgroup: string;
}

/** Facts of the host the tools format with. */
export interface HostFacts {
  /** Seconds since the epoch at boot (btime). */
  bootTime: number;
  /** Clock ticks per second of /proc/PID/stat (USER_HZ; 100 on every Linux architecture zones runs on). */
  hz: number;
  memTotalKiB: number;
  ncpus: number;
  pidMax: number;
  loadavg: [number, number, number];
  /** Seconds since boot (/proc/uptime). */
  uptime: number;
}

const USER_HZ = 100;

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // gone meanwhile, or not readable
  }
}

/** The controllers line of /proc/PID/cgroup that names the zone hierarchy. */
function zoneHierarchyMatcher(sysfs: string): (line: string) => string | undefined {
  const v2 = existsSync(`${sysfs}/fs/cgroup/cgroup.controllers`);
  return (text) => {
    for (const line of text.split('\n')) {
      const a = line.indexOf(':');
      const b = line.indexOf(':', a + 1);
      if (a < 0 || b < 0) continue;
      const controllers = line.slice(a + 1, b);
      if (v2 ? line.startsWith('0::') : controllers.split(',').includes('pids')) return line.slice(b + 1);
    }
    return undefined;
  };
}

function statusIds(status: string, field: 'Uid' | 'Gid'): [number, number] {
  const m = new RegExp(`^${field}:\\s*(\\d+)\\s+(\\d+)`, 'm').exec(status);
  return m ? [Number(m[1]), Number(m[2])] : [-1, -1];
}

function statusKiB(status: string, field: string): number {
  const m = new RegExp(`^${field}:\\s*(\\d+)\\s*kB`, 'm').exec(status);
  return m ? Number(m[1]) : 0;
}

/** One process, or undefined when it ended while it was read. */
export function readProcessEntry(pid: number, procRoot = '/proc', cgroupLine = zoneHierarchyMatcher('/sys')): ProcessEntry | undefined {
  const dir = `${procRoot}/${pid}`;
  const stat = read(`${dir}/stat`);
  if (stat === undefined) return undefined;
  const close = stat.lastIndexOf(')');
  const open = stat.indexOf('(');
  if (open < 0 || close < open) return undefined;
  // fields from 3 (state) on; f[i] is field i + 3 of proc(5)
  const f = stat.slice(close + 2).trim().split(' ');
  const n = (i: number) => Number(f[i - 3] ?? 0);
  const status = read(`${dir}/status`) ?? '';
  const cmdline = read(`${dir}/cmdline`) ?? '';
  const cgroups = read(`${dir}/cgroup`) ?? '';
  const [ruid, euid] = statusIds(status, 'Uid');
  const [rgid, egid] = statusIds(status, 'Gid');
  const argv = cmdline === '' ? [] : cmdline.replace(/\0$/, '').split('\0');
  return {
    pid,
    ppid: n(4),
    pgid: n(5),
    sid: n(6),
    comm: (read(`${dir}/comm`) ?? stat.slice(open + 1, close)).replace(/\n$/, ''),
    argv,
    state: f[0] ?? '?',
    ruid,
    euid,
    rgid,
    egid,
    ttyNr: n(7),
    utime: n(14),
    stime: n(15),
    priority: n(18),
    nice: n(19),
    nlwp: n(20),
    starttime: n(22),
    vszKiB: Math.floor(n(23) / 1024),
    rssKiB: statusKiB(status, 'VmRSS'),
    swapKiB: statusKiB(status, 'RssAnon') + statusKiB(status, 'VmSwap'),
    cgroup: cgroupLine(cgroups) ?? '/',
  };
}

/**
 * Every process of the reader's pid namespace, by pid. `procRoot` and `sysRoot` let tests point
 * at a fixed tree.
 */
export function readProcessTable(procRoot = '/proc', sysRoot = '/sys'): ProcessEntry[] {
  let names: string[];
  try {
    names = readdirSync(procRoot);
  } catch {
    return [];
  }
  const cgroupLine = zoneHierarchyMatcher(sysRoot);
  const out: ProcessEntry[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const e = readProcessEntry(Number(name), procRoot, cgroupLine);
    if (e) out.push(e);
  }
  return out.sort((a, b) => a.pid - b.pid);
}

/** The host facts of {@link HostFacts}. */
export function readHostFacts(procRoot = '/proc'): HostFacts {
  const stat = read(`${procRoot}/stat`) ?? '';
  const meminfo = read(`${procRoot}/meminfo`) ?? '';
  const load = (read(`${procRoot}/loadavg`) ?? '0 0 0').split(' ').map(Number);
  return {
    bootTime: Number(/^btime (\d+)$/m.exec(stat)?.[1] ?? 0),
    hz: USER_HZ,
    memTotalKiB: Number(/^MemTotal:\s*(\d+)/m.exec(meminfo)?.[1] ?? 0),
    ncpus: Math.max(1, (stat.match(/^cpu\d+ /gm) ?? []).length),
    pidMax: Number((read(`${procRoot}/sys/kernel/pid_max`) ?? '32768').trim()) || 32768,
    loadavg: [load[0] ?? 0, load[1] ?? 0, load[2] ?? 0],
    uptime: Number((read(`${procRoot}/uptime`) ?? '0').split(' ')[0]) || 0,
  };
}

/**
 * True when this process runs as root of the host's own user namespace (uid 0 mapped to itself
 * over the whole id range): what signalling another zone's processes needs (docs/process-tools.md).
 */
export function hostRoot(procRoot = '/proc'): boolean {
  if (process.geteuid?.() !== 0) return false;
  const map = read(`${procRoot}/self/uid_map`);
  return map !== undefined && /^\s*0\s+0\s+4294967295\s*$/.test(map);
}

/** The identity (start ticks) of `pid` now, to check a pid was not reused before it is signalled. */
export function processStartTicks(pid: number, procRoot = '/proc'): number | undefined {
  const stat = read(`${procRoot}/${pid}/stat`);
  if (stat === undefined) return undefined;
  const v = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  return v === undefined ? undefined : Number(v);
}

/**
 * Sends `signal` to `pid` if it is still the process that started at `starttime`; the error code
 * otherwise (`ESRCH` when it ended or the pid was reused, `EPERM`...).
 */
export function signalProcess(pid: number, starttime: number, signal: number): string | undefined {
  if (processStartTicks(pid) !== starttime) return 'ESRCH';
  try {
    process.kill(pid, signal);
    return undefined;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? 'EIO';
  }
}
