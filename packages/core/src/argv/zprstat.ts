/**
 * zprstat [-cZ] [-u euidlist] [-U uidlist] [-p pidlist] [-z zonelist]
 *         [-s key | -S key] [-n nprocs[,nzones]] [interval [count]]   (docs/reference.md#83-zprstat)
 *
 * zprstat's command line, read as illumos prstat.c main() reads it. Every error exits 1.
 */
import { getopt, optstring, takeLongFlag, type OptionSpec } from '../argv.js';
import type { Accounts } from '../ptools/accounts.js';
import { SORT_KEYS, type PrstatRequest, type SortKey } from '../ptools/prstat.js';
import { splitList } from '../ptools/snapshot.js';

export const ZPRSTAT_OPTIONS: readonly OptionSpec[] = [
  { char: 'c', name: 'c', description: 'print each report below the last (always so)' },
  { char: 'Z', name: 'Z', description: 'a line per zone' },
  { char: 'z', name: 'z', value: true, description: 'zones (names or ids)' },
  { char: 'n', name: 'n', value: true, description: 'process lines[,zone lines]' },
  { char: 's', name: 's', value: true, description: 'sort key, largest first' },
  { char: 'S', name: 'S', value: true, description: 'sort key, smallest first' },
  { char: 'u', name: 'u', value: true, description: 'effective users' },
  { char: 'U', name: 'U', value: true, description: 'real users' },
  { char: 'p', name: 'p', value: true, description: 'process ids' },
];

export const ZPRSTAT_USAGE = [
  'Usage:\tzprstat [-cZ] [-u euidlist] [-U uidlist]',
  '\t[-p pidlist] [-z zoneidlist]',
  '\t[-s key | -S key] [-n nprocs[,nzones]]',
  '\t[interval [counter]]',
].join('\n');

export type PrstatArgs =
  | { ok: true; request: PrstatRequest }
  /** exit 1: `zprstat: <message>`, or the usage alone */
  | { ok: false; message?: string; usage: boolean };

/** prutil.c Atoi: a non-negative decimal number. */
function atoi(word: string): number | undefined {
  return /^\+?\d+$/.test(word) && Number(word) <= 0x7fffffff ? Number(word) : undefined;
}

/** zprstat's command line, without the program name. */
export function parsePrstatArgs(argv: readonly string[], accounts: Accounts): PrstatArgs {
  const req: PrstatRequest = { zones: false, ntop: 15, nbottom: 5, sortKey: 'cpu', sortOrder: -1, interval: 5, count: -1 };
  const die = (message: string): PrstatArgs => ({ ok: false, message, usage: false });
  // --json is ours (no letter in Solaris prstat), as zps's
  const { given: json, rest } = takeLongFlag(argv, '--json');
  if (json) req.json = true;
  const g = getopt(rest, optstring(ZPRSTAT_OPTIONS));
  let sortk = 'cpu';
  for (const { char, value } of g.options) {
    const words = value === undefined ? [] : splitList(value);
    if (value !== undefined && words.length === 0) return die(`invalid argument for -${char}`);
    switch (char) {
      case 'Z':
        req.zones = true;
        break;
      case 'z':
        req.zoneFilter = [...(req.zoneFilter ?? []), ...words];
        break;
      case 'n': {
        const [top, bottom] = value!.split(',');
        const t = atoi(top ?? '');
        if (t === undefined) return die(`illegal argument -- ${top}`);
        req.ntop = t;
        if (bottom !== undefined) {
          const b = atoi(bottom);
          if (b === undefined) return die(`illegal argument -- ${bottom}`);
          req.nbottom = b;
        }
        break;
      }
      case 's':
      case 'S':
        sortk = value!;
        req.sortOrder = char === 's' ? -1 : 1;
        break;
      case 'u':
      case 'U': {
        const set = new Set<number>(char === 'u' ? req.euids : req.ruids);
        for (const w of words) {
          const id = /^\d/.test(w) ? atoi(w) : accounts.uid(w);
          if (id === undefined) return die(/^\d/.test(w) ? `illegal argument -- ${w}` : `invalid user name: ${w}`);
          set.add(id);
        }
        if (char === 'u') req.euids = set;
        else req.ruids = set;
        break;
      }
      case 'p': {
        const set = new Set<number>(req.pids);
        for (const w of words) {
          const id = atoi(w);
          if (id === undefined) return die(`illegal argument -- ${w}`);
          set.add(id);
        }
        req.pids = set;
        break;
      }
    }
  }
  if (g.error) return { ok: false, message: g.error, usage: true };
  if (req.ntop === 0 || req.nbottom === 0) return die('invalid argument for -n');
  if (!SORT_KEYS.includes(sortk as SortKey)) return die(`invalid sort key -- ${sortk}`);
  req.sortKey = sortk as SortKey;
  const [interval, count, ...extra] = g.operands;
  if (interval !== undefined) {
    const n = atoi(interval);
    if (n === undefined) return die(`illegal argument -- ${interval}`);
    req.interval = n;
  }
  if (count !== undefined) {
    const n = atoi(count);
    if (n === undefined) return die(`illegal argument -- ${count}`);
    if (n === 0) return die('invalid counter value');
    req.count = n;
  }
  if (extra.length > 0) return { ok: false, usage: true };
  return { ok: true, request: req };
}
