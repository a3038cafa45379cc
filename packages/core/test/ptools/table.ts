/** Fixed process tables for the process tools' tests: processes as platform/proc-table.ts reads them, placed in zones. */
import type { HostFacts, ProcessEntry } from '../../src/platform/proc-table.js';
import { accountsFrom } from '../../src/ptools/accounts.js';
import type { Proc, RunningZone, Snapshot } from '../../src/ptools/snapshot.js';

export const HOST: HostFacts = { bootTime: 1_700_000_000, hz: 100, memTotalKiB: 4_000_000, ncpus: 2, pidMax: 32768, loadavg: [0.5, 0.25, 0.125], uptime: 10_000 };

export function entry(pid: number, over: Partial<ProcessEntry> = {}): ProcessEntry {
  return {
    pid,
    ppid: 1,
    pgid: pid,
    sid: pid,
    comm: 'sleep',
    argv: ['sleep', '600'],
    state: 'S',
    ruid: 0,
    euid: 0,
    rgid: 0,
    egid: 0,
    ttyNr: 0,
    utime: 0,
    stime: 0,
    starttime: 100_000 + pid,
    priority: 20,
    nice: 0,
    nlwp: 1,
    vszKiB: 2000,
    rssKiB: 1000,
    swapKiB: 100,
    cgroup: '/',
    ...over,
  };
}

export function proc(pid: number, zone: string | undefined, zoneid: number | undefined, over: Partial<ProcessEntry> = {}): Proc {
  return { ...entry(pid, over), zone, zoneid };
}

export const ZONES: RunningZone[] = [
  { id: 0, name: 'global' },
  { id: 1, name: 'web' },
  { id: 2, name: 'db' },
];

/** A snapshot taken 10000 s after boot (HOST). */
export function snapshot(procs: Proc[], zones: RunningZone[] = ZONES): Snapshot {
  return { procs, zones, host: HOST, now: HOST.bootTime + HOST.uptime };
}

export const ACCOUNTS = accountsFrom('root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\nalongusername:x:1000:1000::/:/bin/sh\n', 'root:x:0:\nstaff:x:50:\n');
