/**
 * zonestat [-z zonelist] [-r reslist] [-n namelist] [-T u|d|i] [-R reports] [-q] [-x]
 *          [-p [-P lines]] [-S cols] interval [duration [report]]      (docs/reference.md#9-zonestat)
 *
 * zonestat's command line, checked in the order of Solaris 11 zonestat.c main(): the getopt loop
 * (`:z:r:n:T:R:qpP:S:x?`), then -P/-p, -T d/-p, the operands, -q/-R, and the resource, report,
 * line and sort lists. `--json` (ours) asks for one JSON object per report instead of text.
 */
import { getopt, optstring, type OptionSpec } from '../argv.js';

export const ZONESTAT_OPTIONS: readonly OptionSpec[] = [
  { char: 'z', name: 'zones', value: true, description: 'report on these zones only (comma-separated, repeatable)' },
  { char: 'r', name: 'resources', value: true, description: 'resource types to report (summary, physical-memory, processor-set, processes, lwps, network, ...)' },
  { char: 'n', name: 'names', value: true, description: 'resource names to report (mem_default, vm_default, pset or link names)' },
  { char: 'T', name: 'timestamp', value: true, description: 'print a timestamp: u (seconds), d (date), i (ISO 8601)' },
  { char: 'R', name: 'reports', value: true, description: 'summary reports: total, average, high' },
  { char: 'q', name: 'quiet', description: 'print the reports only, not the intervals (needs -R)' },
  { char: 'p', name: 'parsable', description: 'machine-parsable output' },
  { char: 'P', name: 'lines', value: true, description: 'with -p: lines to print (resource, total, system, zones, header)' },
  { char: 'S', name: 'sort', value: true, description: 'sort by: name, used, cap, pcap, shr, pshru (summary: cpu, physical-memory, virtual-memory, network)' },
  { char: 'x', name: 'extended', description: 'extended network view (accepted; one line per zone either way)' },
];

/** `zonestat --help`'s summary and the manual page's NAME line. */
export const ZONESTAT_SUMMARY = 'Report the CPU, memory, process and network use of the running zones against their caps.';

/** Solaris' getopt string is `:z:r:n:T:R:qpP:S:x?`: the leading ':' makes a missing value a plain usage error. */
const OPTSTRING = optstring(ZONESTAT_OPTIONS);

/** Resource types and the nicknames that stand for several (zonestat.c g_resource_list). */
export const RESOURCE_TYPES = ['summary', 'physical-memory', 'virtual-memory', 'processor-set', 'processes', 'lwps', 'network'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

const NICKNAMES: Readonly<Record<string, readonly ResourceType[]>> = {
  memory: ['physical-memory', 'virtual-memory'],
  psets: ['processor-set'],
  'default-pset': ['processor-set'],
  limits: ['processes', 'lwps'],
  all: RESOURCE_TYPES,
};

/** Solaris resources this host has no counterpart for yet: refused by name, not silently empty. */
const NOT_REPORTED = ['locked-memory', 'lofi', 'shm-memory', 'shm-ids', 'sem-ids', 'msg-ids', 'sysv'];

export type ReportKind = 'total' | 'average' | 'high';
export type LineKind = 'resource' | 'total' | 'system' | 'zones' | 'header';
export type SortKey = 'name' | 'used' | 'cap' | 'pcap' | 'shr' | 'pshru';
export type SummarySort = 'cpu' | 'physical-memory' | 'virtual-memory' | 'network';

export interface ZonestatRequest {
  zones: string[];
  resources: Set<ResourceType>;
  /** only `default-pset` asked (no other pset) */
  defaultPsetOnly: boolean;
  names: string[];
  /** -T; undefined: none (the -p header and footer then use ISO) */
  timestamp?: 'u' | 'd' | 'i';
  reports: ReportKind[];
  quiet: boolean;
  parsable: boolean;
  lines: Set<LineKind>;
  sort: SortKey[];
  summarySort: SummarySort;
  json: boolean;
  /** seconds */
  interval: number;
  /** seconds; Infinity: until interrupted */
  duration: number;
  /** seconds between reports; Infinity: one report at the end */
  report: number;
}

export type ZonestatArgs =
  | { ok: true; request: ZonestatRequest }
  /** `-?`: the usage on stdout, exit 0 */
  | { ok: false; explicit: true }
  /** exit 2: each message as `zonestat: Error: <message>`, then the usage on stderr */
  | { ok: false; explicit: false; messages: string[] };

/** The interval used for `default` (Solaris reads it from the zones-monitoring service; its default is 5). */
export const DEFAULT_INTERVAL = 5;

/** `[Nh][Nm][Ns]` or plain seconds (strtol base 0), `default`, `inf` (zonestat_parse_time); -1 when bad. */
export function parseTime(s: string): { seconds: number; formatted: boolean } | undefined {
  if (s === 'default') return { seconds: DEFAULT_INTERVAL, formatted: true };
  if (s === 'inf') return { seconds: Infinity, formatted: true };
  const int = (t: string) => (/^[+-]?(0x[0-9a-f]+|0[0-7]*|[1-9][0-9]*)$/i.test(t) ? Number.parseInt(t, /^[+-]?0x/i.test(t) ? 16 : /^[+-]?0[0-7]/.test(t) ? 8 : 10) : NaN);
  const m = /^(?:([^hms]*)h)?(?:([^hms]*)m)?(?:([^hms]*)s)?$/.exec(s);
  if (m && (m[1] !== undefined || m[2] !== undefined || m[3] !== undefined)) {
    const parts = [m[1], m[2], m[3]].map((p) => (p === undefined ? 0 : int(p)));
    if (parts.some((n) => !Number.isFinite(n) || n < 0)) return undefined;
    return { seconds: parts[0]! * 3600 + parts[1]! * 60 + parts[2]!, formatted: true };
  }
  const n = int(s);
  return Number.isFinite(n) && n >= 0 ? { seconds: n, formatted: false } : undefined;
}

const names = (lists: string[]) => lists.flatMap((l) => l.split(','));

/** zonestat's command line (without the program name). */
export function parseZonestatArgs(argv: readonly string[]): ZonestatArgs {
  const fail = (...messages: string[]): ZonestatArgs => ({ ok: false, explicit: false, messages });
  const dd = argv.indexOf('--');
  const head = dd === -1 ? argv : argv.slice(0, dd);
  const json = head.includes('--json');
  const words = [...head.filter((w) => w !== '--json'), ...(dd === -1 ? [] : argv.slice(dd))];
  const g = getopt(words, OPTSTRING);
  const lists: Record<string, string[]> = { z: [], r: [], n: [], R: [], P: [], S: [] };
  const flags = new Set<string>();
  let timestamp: ZonestatRequest['timestamp'];
  for (const { char, value } of g.options) {
    if (value === undefined) flags.add(char);
    else if (char === 'T') {
      if (value !== 'u' && value !== 'd' && value !== 'i') return fail(`Invalid -T arg "${value}". Must be 'u', 'i', or 'd'.`);
      timestamp = value;
    } else lists[char]!.push(value);
  }
  if (g.error) {
    const m = /^illegal option -- (.)$/.exec(g.error);
    if (m?.[1] === '?') return { ok: false, explicit: true };
    // getopt's ':' case (a missing value) falls to zonestat.c's default: the usage alone
    if (m?.[1] === '-') return fail(`unrecongnized option: ${words.find((w) => w.startsWith('--')) ?? '--'}`);
    return m ? fail(`unrecongnized option: -${m[1]}`) : fail();
  }
  const parsable = flags.has('p');
  if (lists.P!.length > 0 && !parsable) return fail('-P requires -p');
  if (timestamp === 'd' && parsable) return fail('-T d invalid with -p.  Use -T [u | i]');
  if (json && parsable) return fail('--json invalid with -p');
  const [iv, du, re] = g.operands;
  if (iv === undefined) return fail('Interval required.');
  const interval = parseTime(iv);
  if (!interval || interval.seconds === 0 || interval.seconds === Infinity) return fail(`Invalid interval: "${iv}"`);
  let duration = Infinity;
  if (du !== undefined) {
    const d = parseTime(du);
    if (!d || d.seconds === 0) return fail(`Invalid duration: "${du}"`);
    duration = d.formatted ? d.seconds : d.seconds * interval.seconds;
  }
  let report = Infinity;
  if (re !== undefined) {
    const r = parseTime(re);
    if (!r || r.seconds === 0 || r.seconds === Infinity) return fail(`Invalid report period: "${re}"`);
    report = r.formatted ? r.seconds : r.seconds * interval.seconds;
  }
  if (flags.has('q') && lists.R!.length === 0) return fail('-q requires -R');
  const errors: string[] = [];
  const resources = new Set<ResourceType>();
  const restypes = names(lists.r!);
  let defaultPsetOnly = false;
  if (restypes.length === 0) (lists.n!.length > 0 ? RESOURCE_TYPES : ['summary' as const]).forEach((r) => resources.add(r));
  for (const r of restypes) {
    if ((RESOURCE_TYPES as readonly string[]).includes(r)) resources.add(r as ResourceType);
    else if (NICKNAMES[r]) NICKNAMES[r]!.forEach((x) => resources.add(x));
    else if (NOT_REPORTED.includes(r)) errors.push(`Resource not reported on this system: ${r}`);
    else errors.push(`Unknown resource: ${r}`);
  }
  if (restypes.includes('default-pset') && !restypes.some((r) => r === 'processor-set' || r === 'psets' || r === 'all')) defaultPsetOnly = true;
  if (errors.length > 0) return fail(...errors);
  const reports: ReportKind[] = [];
  for (const r of names(lists.R!)) {
    if (r === 'total' || r === 'average' || r === 'high') reports.push(r);
    else errors.push(`Unknown -R arg: ${r}`);
  }
  if (errors.length > 0) return fail(...errors);
  const LINES: readonly LineKind[] = ['resource', 'total', 'system', 'zones', 'header'];
  const lines = new Set<LineKind>();
  for (const l of names(lists.P!)) {
    if ((LINES as readonly string[]).includes(l)) lines.add(l as LineKind);
    else errors.push(`Unknown -O arg: ${l}`);
  }
  if (lists.P!.length === 0) LINES.forEach((l) => lines.add(l));
  if (errors.length > 0) return fail(...errors);
  const sort: SortKey[] = [];
  let summarySort: SummarySort | undefined;
  let multi = false;
  for (const s of names(lists.S!)) {
    if (['name', 'used', 'cap', 'pcap', 'shr', 'pshru'].includes(s)) sort.push(s as SortKey);
    else if (['byte', 'prbyte', 'pobyte', 'maxbw'].includes(s)) continue; // network columns: the order stays
    else if (['cpu', 'physical-memory', 'virtual-memory', 'network'].includes(s)) {
      if (summarySort !== undefined) multi = true;
      summarySort = s as SummarySort;
    } else errors.push(`Unknown -S arg: ${s}`);
  }
  if (multi) errors.push('-S: only one of "cpu", "physical-memory", "virtual-memory", or "network" permitted');
  if (errors.length > 0) return fail(...errors);
  return {
    ok: true,
    request: {
      zones: names(lists.z!),
      resources,
      defaultPsetOnly,
      names: names(lists.n!),
      timestamp,
      reports,
      quiet: flags.has('q'),
      parsable,
      lines,
      sort: sort.length === 0 ? ['used', 'name'] : sort,
      summarySort: summarySort ?? 'cpu',
      json,
      interval: interval.seconds,
      duration,
      report,
    },
  };
}

/** The usage, as zonestat.c zonestat_usage prints it (the resources listed are the ones reported here). */
export function zonestatUsage(): string {
  const q = (s: string) => `"${s}"`;
  return [
    'Usage:',
    '    zonestat [-z zonelist] [-r reslist] [-n namelist]',
    '             [-T u | d | i] [-R reports] [-q] [-p [-P lines]] [-S cols]',
    '             interval [duration [report]]',
    '',
    '    Options:',
    '    -r    Report resources of specified types.',
    '\t    Valid resource types are:',
    `\t      ${q('virtual-memory')}`,
    `\t      ${q('physical-memory')}`,
    `\t      ${q('processor-set')}`,
    `\t      ${q('processes')}, ${q('lwps')}`,
    `\t      ${q('network')}`,
    '\t    The following resource nicknames can also be specified:',
    ...['summary', 'memory', 'psets', 'default-pset', 'limits'].map((n) => `\t      ${q(n)}`),
    '    -z    Report resources used by zones',
    '    -n    Report resources with specific names.',
    '\t    Valid resource names are:',
    `\t      ${q('mem_default')}`,
    `\t      ${q('vm_default')}`,
    '\t      Name of a zone using dedicated-cpu',
    '\t      Name of a bridge used by exclusive-IP zones',
    '    -T    Print timestamp. Valid timestamps are:',
    `\t      ${q('d')}\tDate as specifed by date(1) command`,
    `\t      ${q('u')}\tUnix time as returned by time(2)`,
    `\t      ${q('i')}\tISO 8601 timestamp ${q('YYYYMMDDThhmmssZ')}`,
    '    -R    Print reports at end or after each report interval.',
    '\t    Valid reports are:',
    `\t      ${q('total')}\tUsage of each zone`,
    `\t      ${q('average')}\tUsage of each zone while running`,
    `\t      ${q('high')}\tMaximum usage of each zone`,
    '    -q    Quiet.  Do not print intervals.  Only print reports.',
    '    -p    Machine parseable output.',
    '    -P    Select desired lines in parseable output.',
    `\t      ${q('resource')}\tLines describing each resource`,
    `\t      ${q('total')}\tTotal usage of each resource`,
    `\t      ${q('system')}\tSystem usage of each resource`,
    `\t      ${q('zones')}\tPer-zone usage of each resource`,
    `\t      ${q('header')}\tHeader lines between intervals and reports`,
    '    -S    Sort output by the specified columns:',
    `\t      ${q('name')}\tby name alphanumerically`,
    `\t      ${q('used')}\tby percent of resource used`,
    `\t      ${q('cap')}\tby configured cap`,
    `\t      ${q('pcap')}\tby percent of cap used`,
    `\t      ${q('shr')}\tby shares configured`,
    `\t      ${q('pshru')}\tby percent of share used`,
    `\t      ${q('cpu')}\tSort summary by cpu`,
    `\t      ${q('physical-memory')}\tSort summary by physical memory`,
    `\t      ${q('virtual-memory')}\tSort summary by virtual memory`,
    `\t      ${q('network')}\tSort summary by network usage`,
    '    --json    One JSON object per report (exact numbers), for scripts.',
    '',
  ].join('\n');
}
