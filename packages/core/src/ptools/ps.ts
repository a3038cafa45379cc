/**
 * zps: Solaris ps with zones (docs/reference.md#81-zps): which processes a command line selects
 * and the lines it prints, over a process table read once (snapshot.ts). Pure.
 */
import type { Accounts } from './accounts.js';
import { cpuSeconds, elapsedText, fname, isZombie, left, lifetimeCpuPercent, psargs, right, startText, startedAt, stateLetter, ttyName } from './format.js';
import { formatPsJson } from './ps-json.js';
import { resolveZoneList, type Proc, type Snapshot } from './snapshot.js';

/** One `-o` field of Solaris ps: its name, default header, width and least width (ps.c fname[]). */
export interface PsFieldDef {
  name: string;
  header: string;
  width: number;
  minwidth: number;
}

/** The fields zps has; a width of -1 is the pid width of this host (at least 5, as ps computes it from the largest pid). */
export const PS_FIELDS: readonly PsFieldDef[] = [
  { name: 'user', header: 'USER', width: 8, minwidth: 8 },
  { name: 'ruser', header: 'RUSER', width: 8, minwidth: 8 },
  { name: 'group', header: 'GROUP', width: 8, minwidth: 8 },
  { name: 'rgroup', header: 'RGROUP', width: 8, minwidth: 8 },
  { name: 'uid', header: 'UID', width: 5, minwidth: 5 },
  { name: 'ruid', header: 'RUID', width: 5, minwidth: 5 },
  { name: 'gid', header: 'GID', width: 5, minwidth: 5 },
  { name: 'rgid', header: 'RGID', width: 5, minwidth: 5 },
  { name: 'pid', header: 'PID', width: -1, minwidth: 5 },
  { name: 'ppid', header: 'PPID', width: -1, minwidth: 5 },
  { name: 'pgid', header: 'PGID', width: -1, minwidth: 5 },
  { name: 'sid', header: 'SID', width: -1, minwidth: 5 },
  { name: 'nlwp', header: 'NLWP', width: 4, minwidth: 2 },
  { name: 'pri', header: 'PRI', width: 3, minwidth: 2 },
  { name: 's', header: 'S', width: 1, minwidth: 1 },
  { name: 'pcpu', header: '%CPU', width: 4, minwidth: 4 },
  { name: 'pmem', header: '%MEM', width: 4, minwidth: 4 },
  { name: 'vsz', header: 'VSZ', width: 4, minwidth: 4 },
  { name: 'rss', header: 'RSS', width: 4, minwidth: 4 },
  { name: 'nice', header: 'NI', width: 2, minwidth: 2 },
  { name: 'stime', header: 'STIME', width: 8, minwidth: 8 },
  { name: 'etime', header: 'ELAPSED', width: 11, minwidth: 7 },
  { name: 'time', header: 'TIME', width: 11, minwidth: 5 },
  { name: 'tty', header: 'TT', width: 7, minwidth: 7 },
  { name: 'fname', header: 'COMMAND', width: 8, minwidth: 8 },
  { name: 'comm', header: 'COMMAND', width: 80, minwidth: 8 },
  { name: 'args', header: 'COMMAND', width: 80, minwidth: 80 },
  { name: 'zone', header: 'ZONE', width: 8, minwidth: 8 },
  { name: 'zoneid', header: 'ZONEID', width: 5, minwidth: 5 },
];

/** A field as `-o` asked for it. */
export interface PsField {
  name: string;
  header: string;
  /** 0: the field's default width (the header given decides it otherwise, as in ps.c parse_format). */
  width: number;
}

/** What a zps command line asks (argv/zps.ts), before names are looked up. */
export interface ZpsRequest {
  /** -A, -e: every process (and no other selection counts) */
  every: boolean;
  /** -a: processes with a terminal, except session leaders */
  allTerminals: boolean;
  /** -d: every process except session leaders */
  notLeaders: boolean;
  /** -f */
  full: boolean;
  /** -j */
  jobs: boolean;
  /** -Z: the ZONE column */
  zoneColumn: boolean;
  /** -o */
  format?: PsField[];
  pids?: number[];
  pgids?: number[];
  sids?: number[];
  /** -u, -U, -G: names or numbers */
  euids?: string[];
  ruids?: string[];
  rgids?: string[];
  /** -z: zone names or ids */
  zones?: string[];
  /** --json: the selected processes as one JSON object (ptools/ps-json.ts) */
  json?: boolean;
}

/** Who runs zps: its terminal and effective uid are the default selection. */
export interface PsCaller {
  ttyNr: number;
  euid: number;
}

export interface ZpsResult {
  /** stdout lines */
  lines: string[];
  /** stderr messages, without the `zps: ` prefix */
  errors: string[];
  /** print the usage after the errors */
  usage: boolean;
  status: number;
}

/** ps' pid width: the digits of the largest pid, at least 5. */
export function pidWidth(pidMax: number): number {
  return Math.max(5, String(pidMax).length);
}

function ids(words: readonly string[] | undefined, find: (w: string) => number | undefined, what: 'user' | 'group', errors: string[]): Set<number> | undefined {
  if (!words) return undefined;
  const out = new Set<number>();
  for (const w of words) {
    const id = find(w);
    if (id === undefined) errors.push(`unknown ${what} ${w}`);
    else out.add(id);
  }
  return out;
}

export function runZps(req: ZpsRequest, snap: Snapshot, acc: Accounts, caller: PsCaller): ZpsResult {
  const fail = (errors: string[], usage: boolean): ZpsResult => ({ lines: [], errors, usage, status: 1 });
  let zones: Set<string> | undefined;
  if (req.zones && !req.every) {
    const r = resolveZoneList(req.zones, snap.zones);
    if ('unknown' in r) return fail([`unknown zone ${r.unknown}`], true);
    zones = r.names;
  }
  const errors: string[] = [];
  const every = req.every;
  const euids = every ? undefined : ids(req.euids, acc.uid, 'user', errors);
  const ruids = every ? undefined : ids(req.ruids, acc.uid, 'user', errors);
  const rgids = every ? undefined : ids(req.rgids, acc.gid, 'group', errors);
  if (errors.length > 0) return fail(errors, false);
  const pids = every ? undefined : req.pids;
  const pgids = every ? undefined : req.pgids;
  const sids = every ? undefined : req.sids;
  const a = !every && req.allTerminals;
  const d = !every && req.notLeaders;
  // No selection at all: the caller's terminal and effective uid.
  const byTerminal = !(every || a || d || euids || ruids || rgids || pids || pgids || sids || zones);
  if (byTerminal && caller.ttyNr === 0) return fail(['no controlling terminal'], false);

  const selected = snap.procs.filter((p) => {
    if ((a || d) && p.pid === p.sid) return false;
    const found =
      every ||
      d ||
      (pids?.includes(p.pid) ?? false) ||
      (euids?.has(p.euid) ?? false) ||
      (ruids?.has(p.ruid) ?? false) ||
      (rgids?.has(p.rgid) ?? false) ||
      (pgids?.includes(p.pgid) ?? false) ||
      (sids?.includes(p.sid) ?? false) ||
      (p.zone !== undefined && (zones?.has(p.zone) ?? false));
    if (!found && !byTerminal && !a) return false;
    if (isZombie(p)) return found || !byTerminal;
    if (a && p.ttyNr === 0) return false;
    if (byTerminal && !found) return p.ttyNr === caller.ttyNr && p.euid === caller.euid;
    return true;
  });
  if (req.json) {
    const names = [...new Set((req.format ?? PS_FIELDS).map((f) => f.name))];
    return { lines: [formatPsJson(selected, names, snap, acc).trimEnd()], errors: [], usage: false, status: selected.length > 0 ? 0 : 1 };
  }
  const lines = req.format ? formatFields(req.format, selected, snap, acc) : formatStandard(req, selected, snap, acc);
  return { lines, errors: [], usage: false, status: selected.length > 0 ? 0 : 1 };
}

function zoneText(p: Proc): string {
  return p.zone ?? '-';
}

/** The listing without -o: [ZONE] [UID] PID [PPID] [PGID SID] [C] [STIME] TTY TIME CMD (ps.c prcom). */
function formatStandard(req: ZpsRequest, procs: readonly Proc[], snap: Snapshot, acc: Accounts): string[] {
  const pw = pidWidth(snap.host.pidMax);
  const { hz, bootTime, uptime } = snap.host;
  let header = '';
  if (req.zoneColumn) header += '    ZONE';
  if (req.full) header += '     UID';
  header += ` ${right('PID', pw)}`;
  if (req.full) header += ` ${right('PPID', pw)}`;
  if (req.jobs) header += ` ${right('PGID', pw)} ${right('SID', pw)}`;
  if (req.full) header += `   C ${right('STIME', 8)}`;
  header += ' TTY         TIME CMD';
  const lines = [header];
  for (const p of procs) {
    const zombie = isZombie(p);
    let line = '';
    if (req.zoneColumn) line += `${right(zoneText(p).slice(0, 8), 8)} `;
    if (req.full) {
      const name = acc.userName(p.euid);
      line += name !== undefined ? `${right(name.slice(0, 8), 8)} ` : `${right(String(p.euid).padStart(7, '0').slice(-7), 7)} `;
    }
    line += right(p.pid, pw);
    if (req.full) line += ` ${right(p.ppid, pw)}`;
    if (req.jobs) line += ` ${right(p.pgid, pw)} ${right(p.sid, pw)}`;
    if (req.full) {
      const c = zombie ? 0 : Math.min(99, Math.round(lifetimeCpuPercent(p, uptime, hz, 1)));
      line += ` ${right(c, 3)}`;
      // prtime(start, width + 1): `%9.9s`, no blank of its own
      line += zombie ? ` ${right('-', 8)}` : right(startText(startedAt(p, bootTime, hz), snap.now, true).slice(0, 9), 9);
    }
    line += ` ${left(zombie ? '?' : ttyName(p.ttyNr), 8)}`;
    const t = cpuSeconds(p, hz);
    line += ` ${right(Math.floor(t / 60), 4)}:${two(t % 60)}`;
    if (zombie) line += ' <defunct>';
    else line += ` ${req.full ? psargs(p) : fname(p).slice(0, 8)}`;
    lines.push(line);
  }
  return lines;
}

const two = (n: number) => String(n).padStart(2, '0');

function fieldWidth(f: PsField, pw: number): number {
  const def = PS_FIELDS.find((d) => d.name === f.name)!;
  const w = f.width !== 0 ? f.width : def.width === -1 ? pw : def.width;
  return Math.max(w, def.minwidth);
}

/** `-o`: one column per field, blank-separated; the command columns full width unless last (ps.c pr_fields). */
function formatFields(fields: readonly PsField[], procs: readonly Proc[], snap: Snapshot, acc: Accounts): string[] {
  const pw = pidWidth(snap.host.pidMax);
  const widths = fields.map((f) => fieldWidth(f, pw));
  const lines: string[] = [];
  if (fields.some((f) => f.header !== '')) {
    lines.push(
      fields
        .map((f, i) => {
          const w = widths[i]!;
          if (f.name === 'tty') return left(f.header, w);
          if (f.name === 'fname' || f.name === 'comm' || f.name === 'args') return i < fields.length - 1 ? left(f.header, w) : f.header;
          return right(f.header, w);
        })
        .join(' '),
    );
  }
  for (const p of procs) lines.push(fields.map((f, i) => fieldText(f.name, p, widths[i]!, i === fields.length - 1, snap, acc)).join(' '));
  return lines;
}

function fieldText(name: string, p: Proc, w: number, last: boolean, snap: Snapshot, acc: Accounts): string {
  const { hz, bootTime, uptime, ncpus, memTotalKiB } = snap.host;
  const zombie = isZombie(p);
  const command = (text: string) => {
    const t = text.slice(0, w);
    return last ? t : left(t, w);
  };
  const pct = (v: number) => {
    const tenths = Math.min(999, Math.round(v * 10));
    return `${right(Math.floor(tenths / 10), Math.max(2, w - 2))}.${tenths % 10}`;
  };
  switch (name) {
    case 'user':
      return right(acc.userName(p.euid) ?? p.euid, w);
    case 'ruser':
      return right(acc.userName(p.ruid) ?? p.ruid, w);
    case 'group':
      return right(acc.groupName(p.egid) ?? p.egid, w);
    case 'rgroup':
      return right(acc.groupName(p.rgid) ?? p.rgid, w);
    case 'uid':
      return right(p.euid, w);
    case 'ruid':
      return right(p.ruid, w);
    case 'gid':
      return right(p.egid, w);
    case 'rgid':
      return right(p.rgid, w);
    case 'pid':
      return right(p.pid, w);
    case 'ppid':
      return right(p.ppid, w);
    case 'pgid':
      return right(p.pgid, w);
    case 'sid':
      return right(p.sid, w);
    case 'nlwp':
      return right(zombie ? 0 : p.nlwp, w);
    case 'pri':
      return zombie ? right(0, w) : right(39 - p.priority, w);
    case 's':
      return right(stateLetter(p), w);
    case 'pcpu':
      return zombie ? right('-', w) : pct(lifetimeCpuPercent(p, uptime, hz, ncpus));
    case 'pmem':
      return zombie ? right('-', w) : pct(memTotalKiB > 0 ? (p.rssKiB / memTotalKiB) * 100 : 0);
    case 'vsz':
      return right(zombie ? 0 : p.vszKiB, w);
    case 'rss':
      return right(zombie ? 0 : p.rssKiB, w);
    case 'nice':
      return zombie ? right('-', w) : right(p.nice + 20, w);
    case 'stime':
      return zombie ? right('-', w) : right(startText(startedAt(p, bootTime, hz), snap.now, false).slice(0, w), w);
    case 'etime':
      return zombie ? right('-', w) : right(elapsedText(snap.now - startedAt(p, bootTime, hz)), w);
    case 'time':
      return right(elapsedText(cpuSeconds(p, hz)), w);
    case 'tty':
      return left(zombie ? '?' : ttyName(p.ttyNr), w);
    case 'fname':
      return command(zombie ? '<defunct>' : fname(p));
    case 'comm':
      return command(zombie ? '<defunct>' : (psargs(p).split(/[ \t\r\v\f\n]/)[0] ?? ''));
    case 'args':
      return command(zombie ? '<defunct>' : psargs(p));
    case 'zone':
      return right(zoneText(p), w);
    case 'zoneid':
      return right(p.zoneid ?? '-', w);
    default:
      return right('-', w);
  }
}
