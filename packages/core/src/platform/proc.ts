/**
 * Small /proc readers: whether a process is alive (and not a zombie), what it runs, where it is
 * (namespaces, cgroups), its status fields, and whether this process runs inside a zone.
 */
import { readFileSync, readlinkSync } from 'node:fs';

function readProc(pid: number, file: string): string | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

/** True if `pid` is a live process; a zombie (exited, not yet reaped) counts as dead. */
export function processAlive(pid: number): boolean {
  const stat = readProc(pid, 'stat');
  if (stat === undefined) return false;
  // state is the first field after the parenthesised command name
  const state = stat.charAt(stat.lastIndexOf(')') + 2);
  return state !== 'Z' && state !== 'X' && state !== '';
}

/** The NUL-separated command line of `pid`, or undefined when it is gone. */
export function processCmdline(pid: number): string[] | undefined {
  return readProc(pid, 'cmdline')?.split('\0').filter((s, i, a) => s !== '' || i < a.length - 1);
}

/** The program `pid` runs (/proc/PID/exe, without the ` (deleted)` of a replaced file), or undefined. */
export function processExecutable(pid: number): string | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    return readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, '');
  } catch {
    return undefined; // gone, or not readable
  }
}

/** The command name of `pid` (/proc/PID/comm: at most 15 characters), or undefined when it is gone. */
export function processName(pid: number): string | undefined {
  return readProc(pid, 'comm')?.trim();
}

/** The namespace of `pid` of a type (`pid:[4026532]`, as /proc/PID/ns/TYPE reads), or undefined when it is gone. */
export function processNamespace(pid: number, type: 'pid' | 'user' | 'mnt' | 'net' | 'cgroup' | 'uts'): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/${type}`);
  } catch {
    return undefined;
  }
}

/** One line of /proc/PID/uid_map or gid_map: ids `inside`.. of the process's user namespace are host ids `outside`.. */
export interface IdMapRange {
  inside: number;
  outside: number;
  count: number;
}

/** The uid (or gid) map of `pid`'s user namespace, or undefined when it is gone. */
export function processIdMap(pid: number, kind: 'uid' | 'gid' = 'uid'): IdMapRange[] | undefined {
  const text = readProc(pid, `${kind}_map`);
  if (text === undefined) return undefined;
  return text
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter((f) => f.length === 3 && f.every(Number.isFinite))
    .map(([inside, outside, count]) => ({ inside: inside!, outside: outside!, count: count! }));
}

/** The cgroup of `pid` in each hierarchy (`/zones/z1/payload`, the path part of /proc/PID/cgroup), or undefined. */
export function processCgroupPaths(pid: number): string[] | undefined {
  const text = readProc(pid, 'cgroup');
  if (text === undefined) return undefined;
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => line.slice(line.indexOf(':', line.indexOf(':') + 1) + 1));
}

/** One field of /proc/PID/status (`VmRSS`, `NSpid`, `CapBnd`...), or undefined. */
export function processStatusField(pid: number, field: string): string | undefined {
  const text = readProc(pid, 'status');
  return text === undefined ? undefined : new RegExp(`^${field}:\\s*(.*)$`, 'm').exec(text)?.[1]?.trim();
}

/** The capability bounding set of `pid` (CapBnd, bit N = capability N), or undefined when it is gone. */
export function capabilityBoundingSet(pid: number): bigint | undefined {
  const hex = processStatusField(pid, 'CapBnd');
  return hex !== undefined && /^[0-9a-f]+$/.test(hex) ? BigInt(`0x${hex}`) : undefined;
}

/** The hard RLIMIT_MEMLOCK of `pid` in bytes (/proc/PID/limits), `unlimited`, or undefined when it is gone. */
export function processMemlockLimit(pid: number): number | 'unlimited' | undefined {
  const m = /^Max locked memory\s+\S+\s+(\S+)/m.exec(readProc(pid, 'limits') ?? '');
  if (!m) return undefined;
  return m[1] === 'unlimited' ? 'unlimited' : /^\d+$/.test(m[1]!) ? Number(m[1]) : undefined;
}

/** CAP_SYS_RESOURCE (bit 24) in this process's effective set: whether it may raise a hard rlimit. */
export function canRaiseRlimits(): boolean {
  const hex = processStatusField(process.pid, 'CapEff');
  return hex !== undefined && /^[0-9a-f]+$/.test(hex) && ((BigInt(`0x${hex}`) >> 24n) & 1n) === 1n;
}

/** What /proc/PID/status (readable by every user) says of a live process, or undefined when it is gone or a zombie. */
export interface ProcessStatus {
  /** Its pid in each pid namespace from the reader's down to its own (`NSpid`): one entry for a host process. */
  nspid: number[];
  /** Its parent's pid. */
  ppid: number;
  /** Its real uid. */
  uid: number;
}

export function processStatus(pid: number): ProcessStatus | undefined {
  const text = readProc(pid, 'status');
  if (text === undefined) return undefined;
  const field = (f: string) => new RegExp(`^${f}:\\s*(.*)$`, 'm').exec(text)?.[1]?.trim() ?? '';
  if (/^[ZX]/.test(field('State'))) return undefined;
  const nspid = field('NSpid').split(/\s+/).filter(Boolean).map(Number);
  return { nspid: nspid.length > 0 ? nspid : [pid], ppid: Number(field('PPid')), uid: Number(field('Uid').split(/\s+/)[0]) };
}

/** True if `pid` is alive and is PID 1 of a pid namespace one level below the reader's: what a zone's init (or ready holder) is. */
export function isNamespaceInit(pid: number): boolean {
  const s = processStatus(pid);
  return s !== undefined && s.nspid.length === 2 && s.nspid[1] === 1;
}

/**
 * True if `pid` is the zone supervisor (zoneadmd) serving the run directory `runDir`: alive, a
 * host root process (no zone process is: each lives in its zone's pid namespace, as a host uid of
 * its block), and its command line names that directory after `--rundir`
 * (runtime/supervisor.ts supervisorArgs). Readable by any user.
 */
export function isSupervisor(pid: number | undefined, runDir: string): boolean {
  if (pid === undefined) return false;
  const s = processStatus(pid);
  if (s === undefined || s.nspid.length !== 1 || s.uid !== 0) return false;
  const argv = processCmdline(pid);
  if (!argv) return false;
  const i = argv.indexOf('--rundir');
  return i >= 0 && argv[i + 1] === runDir;
}

/** The environment marker every zone's init is started with (systemd-detect-virt reads the same variable). */
export const ZONE_ENV_MARKER = 'container=zone';

/**
 * True when this process runs inside a zone (Solaris: getzoneid() != GLOBAL_ZONEID): the zone's
 * PID 1, which is the host's init outside any zone, carries `container=zone` in its initial
 * environment. `procRoot` lets tests point at another /proc.
 */
export function inNonGlobalZone(procRoot = '/proc'): boolean {
  try {
    return readFileSync(`${procRoot}/1/environ`, 'latin1').split('\0').includes(ZONE_ENV_MARKER);
  } catch {
    return false; // unreadable: the host's init (a zone's root can read its own init's environment)
  }
}

/**
 * Who `pid` is, beyond its number: its start time (clock ticks since boot, field 22 of
 * /proc/PID/stat) and the boot it belongs to. A later process that reuses the pid, in this boot
 * or after a reboot, has another identity. Undefined when the process is gone.
 */
export function processIdentity(pid: number): string | undefined {
  const stat = readProc(pid, 'stat');
  if (stat === undefined) return undefined;
  const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  return start === undefined ? undefined : `${start} ${bootId()}`;
}

let cachedBootId: string | undefined;
function bootId(): string {
  if (cachedBootId === undefined) {
    try {
      cachedBootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      cachedBootId = '-';
    }
  }
  return cachedBootId;
}

/** When `pid` started, in ms since the epoch (btime of /proc/stat plus its start ticks at USER_HZ 100), or undefined. */
export function processStartedAtMs(pid: number): number | undefined {
  const ticks = Number(processIdentity(pid)?.split(' ')[0]);
  let btime: string | undefined;
  try {
    btime = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1];
  } catch {
    return undefined;
  }
  return Number.isFinite(ticks) && btime !== undefined ? Number(btime) * 1000 + ticks * 10 : undefined;
}

/**
 * Whether descriptor `fd` (0-2) of this process stands in for one the caller closed (`>&-`):
 * Node opens /dev/null read-write in its place before any JavaScript runs, while a shell's
 * `>/dev/null` is write-only and `</dev/null` read-only. Node's own `stdio: 'ignore'` for an
 * output and Python's DEVNULL look the same and count as closed (docs/architecture.md#output-faults).
 */
export function standsInForClosedFd(fd: 0 | 1 | 2): boolean {
  try {
    if (readlinkSync(`/proc/self/fd/${fd}`) !== '/dev/null') return false;
    const flags = /^flags:\s*([0-7]+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
    return flags !== null && (parseInt(flags[1]!, 8) & 3) === 2; // O_ACCMODE: O_RDWR
  } catch {
    return false;
  }
}

/**
 * This process's arguments after the script (process.argv.slice(2)) as the bytes it was given:
 * process.argv decodes them as UTF-8 and turns a byte that is not UTF-8 (`-e $'\xff'`) into
 * U+FFFD. Undefined when /proc/self/cmdline does not line up with process.argv.
 */
export function ownArgumentBytes(): Buffer[] | undefined {
  let cmdline: Buffer;
  try {
    cmdline = readFileSync('/proc/self/cmdline');
  } catch {
    return undefined;
  }
  const parts: Buffer[] = [];
  for (let at = 0; at < cmdline.length; ) {
    const nul = cmdline.indexOf(0, at);
    const end = nul < 0 ? cmdline.length : nul;
    parts.push(cmdline.subarray(at, end));
    at = end + 1;
  }
  const args = process.argv.slice(2);
  if (parts.length < args.length) return undefined;
  const bytes = parts.slice(parts.length - args.length);
  return bytes.every((b, i) => b.toString('utf8') === args[i]) ? bytes : undefined;
}
