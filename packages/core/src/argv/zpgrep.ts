/**
 * zpgrep [-flnovx] [-d delim] [-P ppidlist] [-g pgrplist] [-s sidlist] [-u euidlist]
 *        [-U uidlist] [-G gidlist] [-z zonelist] [pattern]
 * zpkill [-signal] [-fnovx] [-P ppidlist] [-g pgrplist] [-s sidlist] [-u euidlist]
 *        [-U uidlist] [-G gidlist] [-z zonelist] [pattern]        (docs/reference.md#82-zpgrep-and-zpkill)
 *
 * Their command lines, read as illumos pgrep.c main() reads them: pkill's signal first, options
 * and the one pattern in any order, each list checked as it is met. Exit 2 for every error here.
 */
import { constants } from 'node:os';
import { getopt, optstring, type OptionSpec } from '../argv.js';
import type { Accounts } from '../ptools/accounts.js';
import type { PgrepRequest } from '../ptools/pgrep.js';
import { splitList } from '../ptools/snapshot.js';

const COMMON: readonly OptionSpec[] = [
  { char: 'f', name: 'f', description: 'match the full argument string' },
  { char: 'n', name: 'n', description: 'only the newest match' },
  { char: 'o', name: 'o', description: 'only the oldest match' },
  { char: 'v', name: 'v', description: 'the processes that do not match' },
  { char: 'x', name: 'x', description: 'the pattern matches the whole name' },
  { char: 'u', name: 'u', value: true, description: 'effective users' },
  { char: 'U', name: 'U', value: true, description: 'real users' },
  { char: 'G', name: 'G', value: true, description: 'real groups' },
  { char: 'P', name: 'P', value: true, description: 'parent process ids' },
  { char: 'g', name: 'g', value: true, description: 'process groups (0: our own)' },
  { char: 's', name: 's', value: true, description: 'sessions (0: our own)' },
  { char: 'z', name: 'z', value: true, description: 'zones (names or ids)' },
];

export const ZPGREP_OPTIONS: readonly OptionSpec[] = [
  ...COMMON,
  { char: 'l', name: 'l', description: 'the name after each pid' },
  { char: 'd', name: 'd', value: true, description: 'the delimiter between pids' },
];
export const ZPKILL_OPTIONS: readonly OptionSpec[] = COMMON;

export const ZPGREP_USAGE =
  'Usage: zpgrep [-flnovx] [-d delim] [-P ppidlist] [-g pgrplist] [-s sidlist]\n\t[-u euidlist] [-U uidlist] [-G gidlist] [-z zonelist] [pattern]';
export const ZPKILL_USAGE =
  'Usage: zpkill [-signal] [-fnovx] [-P ppidlist] [-g pgrplist] [-s sidlist]\n\t[-u euidlist] [-U uidlist] [-G gidlist] [-z zonelist] [pattern]';

/** Linux's real-time signals as glibc numbers them (SIGRTMIN is 34: two are the threads library's). */
const RTMIN = 34;
const RTMAX = 64;

/** str2sig(3C): a signal by its name without `SIG` (`KILL`, `RTMIN+1`) or its number; `SIGKILL` is read too. */
export function signalNumber(word: string): number | undefined {
  if (/^\d+$/.test(word)) return Number(word) <= RTMAX ? Number(word) : undefined;
  const name = word.startsWith('SIG') ? word.slice(3) : word;
  const rt = /^RT(MIN|MAX)(?:([+-])(\d+))?$/.exec(name);
  if (rt) {
    const n = (rt[1] === 'MIN' ? RTMIN : RTMAX) + (rt[2] === '-' ? -1 : 1) * Number(rt[3] ?? 0);
    return n >= RTMIN && n <= RTMAX ? n : undefined;
  }
  if (name === 'CLD') return constants.signals.SIGCHLD;
  if (name === 'POLL') return constants.signals.SIGIO;
  const n = (constants.signals as Record<string, number | undefined>)[`SIG${name}`];
  return n;
}

/** What the caller's own ids stand in for: `-g 0`, `-s 0`. */
export interface PgrepContext {
  pgrp: number;
  sid: number;
  accounts: Accounts;
}

export type PgrepArgs =
  | { ok: true; request: PgrepRequest }
  /** exit 2: each message as `<tool>: <message>`, then the usage if `usage` */
  | { ok: false; messages: string[]; usage: boolean };

/** pgrep.c parse_ids: decimal numbers, 0 standing for `zero`. */
function idList(value: string, char: string, zero: number): Set<number> | string {
  const out = new Set<number>();
  for (const w of splitList(value)) {
    if (!/^\d+$/.test(w)) return `invalid argument for option '${char}' -- ${w}`;
    out.add(Number(w) === 0 ? zero : Number(w));
  }
  return out;
}

/** pgrep.c parse_uids / parse_gids: a number, or a name the host knows. */
function accountList(value: string, find: (w: string) => number | undefined, what: 'user' | 'group'): Set<number> | string {
  const out = new Set<number>();
  for (const w of splitList(value)) {
    const id = /^\d+$/.test(w) ? Number(w) : find(w);
    if (id === undefined) return `invalid ${what} name -- ${w}`;
    out.add(id);
  }
  return out;
}

/** The command line of zpgrep (`kill` false) or zpkill, without the program name. */
export function parsePgrepArgs(given: readonly string[], kill: boolean, ctx: PgrepContext): PgrepArgs {
  const req: PgrepRequest = { kill, signal: constants.signals.SIGTERM, full: false, long: false, newest: false, oldest: false, reverse: false, exact: false, delim: '\n' };
  let argv = [...given];
  if (kill && argv[0]?.startsWith('-')) {
    const sig = signalNumber(argv[0].slice(1));
    if (sig !== undefined) {
      req.signal = sig;
      argv = argv.slice(1);
    }
  }
  const opts = optstring(kill ? ZPKILL_OPTIONS : ZPGREP_OPTIONS);
  const fail = (message: string, usage: boolean): PgrepArgs => ({ ok: false, messages: [message], usage });
  type IdKey = 'euids' | 'ruids' | 'rgids' | 'ppids' | 'pgids' | 'sids';
  const lists: Record<string, { key: IdKey; read: (v: string) => Set<number> | string } | undefined> = {
    u: { key: 'euids', read: (v) => accountList(v, ctx.accounts.uid, 'user') },
    U: { key: 'ruids', read: (v) => accountList(v, ctx.accounts.uid, 'user') },
    G: { key: 'rgids', read: (v) => accountList(v, ctx.accounts.gid, 'group') },
    P: { key: 'ppids', read: (v) => idList(v, 'P', 0) },
    g: { key: 'pgids', read: (v) => idList(v, 'g', ctx.pgrp) },
    s: { key: 'sids', read: (v) => idList(v, 's', ctx.sid) },
  };
  let criteria = false;
  while (argv.length > 0) {
    const g = getopt(argv, opts);
    for (const { char, value } of g.options) {
      const reader = lists[char];
      if (reader) {
        const list = reader.read(value!);
        if (typeof list === 'string') return fail(list, false);
        req[reader.key] = new Set([...(req[reader.key] ?? []), ...list]);
      }
      switch (char) {
        case 'f':
          req.full = true;
          break;
        case 'l':
          req.long = true;
          break;
        case 'n':
          req.newest = true;
          break;
        case 'o':
          req.oldest = true;
          break;
        case 'v':
          req.reverse = true;
          break;
        case 'x':
          req.exact = true;
          break;
        case 'd':
          req.delim = value!;
          break;
        case 'z':
          req.zones = [...(req.zones ?? []), ...splitList(value!)];
          break;
      }
      if (value !== undefined && char !== 'd') criteria = true;
    }
    // illumos reads a missing value as an unknown option (its getopt string has no leading ':')
    if (g.error) return fail(`illegal option -- ${g.error.slice(-1)}`, true);
    if (g.operands.length === 0) break;
    if (req.pattern !== undefined) return fail(`illegal argument -- ${g.operands[0]}`, true);
    req.pattern = g.operands[0]!;
    criteria = true;
    argv = g.operands.slice(1);
  }
  if (req.newest && req.oldest) return fail('-n and -o are mutually exclusive', true);
  if (!criteria) return fail('No matching criteria specified', true);
  return { ok: true, request: req };
}
