/** Small /proc readers: is a process alive (and not a zombie), its status fields. */
import { readFileSync, readlinkSync } from 'node:fs';

/** True if `pid` is a live process; a zombie (exited, not yet reaped) counts as dead. */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // state is the first field after the parenthesised command name
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** The NUL-separated command line of `pid`, or undefined when it is gone. */
export function processCmdline(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((s, i, a) => s !== '' || i < a.length - 1);
  } catch {
    return undefined;
  }
}

/** The namespace of `pid` of a type (`pid:[4026532]`, as /proc/PID/ns/TYPE reads), or undefined when it is gone. */
export function processNamespace(pid: number, type: 'pid' | 'user' | 'mnt' | 'net' | 'cgroup'): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/${type}`);
  } catch {
    return undefined;
  }
}

/** One field of /proc/PID/status (`VmRSS`, `NSpid`, `CapBnd`...), or undefined. */
export function processStatusField(pid: number, field: string): string | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    return new RegExp(`^${field}:\\s*(.*)$`, 'm').exec(text)?.[1]?.trim();
  } catch {
    return undefined;
  }
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
