/**
 * `zps --json` (docs/reference.md#81-zps): the processes zps selected, each with the fields of
 * `-o` (every field, or those -o names) as typed values instead of columns:
 * numbers are numbers (ids, KiB, seconds, percent), an unknown is null (a user without a name, a
 * zombie's times, a process of another ZONES_ROOT's zone). Pure; schema in
 * docs/schemas/zps.schema.json.
 */
import type { Accounts } from './accounts.js';
import { cpuSeconds, fname, isZombie, lifetimeCpuPercent, psargs, startedAt, stateLetter, ttyName } from './format.js';
import type { Proc, Snapshot } from './snapshot.js';

export type PsJsonValue = string | number | null;

/** One field of one process, typed: what `-o name` prints, before it is padded into a column. */
export function fieldValue(name: string, p: Proc, snap: Snapshot, acc: Accounts): PsJsonValue {
  const { hz, bootTime, uptime, ncpus, memTotalKiB } = snap.host;
  const zombie = isZombie(p);
  const alive = (v: number) => (zombie ? null : v);
  const tenths = (v: number) => Math.round(v * 10) / 10;
  switch (name) {
    case 'user':
      return acc.userName(p.euid) ?? null;
    case 'ruser':
      return acc.userName(p.ruid) ?? null;
    case 'group':
      return acc.groupName(p.egid) ?? null;
    case 'rgroup':
      return acc.groupName(p.rgid) ?? null;
    case 'uid':
      return p.euid;
    case 'ruid':
      return p.ruid;
    case 'gid':
      return p.egid;
    case 'rgid':
      return p.rgid;
    case 'pid':
      return p.pid;
    case 'ppid':
      return p.ppid;
    case 'pgid':
      return p.pgid;
    case 'sid':
      return p.sid;
    case 'nlwp':
      return zombie ? 0 : p.nlwp;
    case 'pri':
      return zombie ? 0 : 39 - p.priority;
    case 's':
      return stateLetter(p);
    case 'pcpu':
      return alive(tenths(lifetimeCpuPercent(p, uptime, hz, ncpus)));
    case 'pmem':
      return alive(tenths(memTotalKiB > 0 ? (p.rssKiB / memTotalKiB) * 100 : 0));
    case 'vsz':
      return zombie ? 0 : p.vszKiB;
    case 'rss':
      return zombie ? 0 : p.rssKiB;
    case 'nice':
      return alive(p.nice + 20);
    case 'stime':
      return alive(Math.round(startedAt(p, bootTime, hz)));
    case 'etime':
      return alive(Math.max(0, Math.floor(snap.now - startedAt(p, bootTime, hz))));
    case 'time':
      return cpuSeconds(p, hz);
    case 'tty':
      return zombie || p.ttyNr === 0 ? null : ttyName(p.ttyNr);
    case 'fname':
      return zombie ? '<defunct>' : fname(p);
    case 'comm':
      return zombie ? '<defunct>' : (psargs(p).split(/[ \t\r\v\f\n]/)[0] ?? '');
    case 'args':
      return zombie ? '<defunct>' : psargs(p);
    case 'zone':
      return p.zone ?? null;
    case 'zoneid':
      return p.zoneid ?? null;
    default:
      return null;
  }
}

/** The whole `--json` output: `{"processes": [...]}` and a newline, each process with the fields `names` (-o's, or all). */
export function formatPsJson(procs: readonly Proc[], names: readonly string[], snap: Snapshot, acc: Accounts): string {
  const processes = procs.map((p) => Object.fromEntries(names.map((n) => [n, fieldValue(n, p, snap, acc)])));
  return `${JSON.stringify({ processes })}\n`;
}
