/**
 * zpgrep and zpkill: Solaris pgrep/pkill with zones (docs/reference.md#82-zpgrep-and-zpkill): the
 * pattern, which processes match, what pgrep prints. Pure; zpkill's signals are sent by its main
 * through platform/proc-table.ts signalProcess.
 */
import { fname, isZombie, psargs } from './format.js';
import type { Proc } from './snapshot.js';

/** What a zpgrep or zpkill command line asks (argv/zpgrep.ts), ids already looked up. */
export interface PgrepRequest {
  kill: boolean;
  /** pkill's signal (SIGTERM by default) */
  signal: number;
  /** -f: match the argument string, not the program name */
  full: boolean;
  /** -l (pgrep): the name (or with -f the arguments) after each pid */
  long: boolean;
  /** -n / -o: only the newest / the oldest of the matches */
  newest: boolean;
  oldest: boolean;
  /** -v: the processes that do not match */
  reverse: boolean;
  /** -x: the pattern must match the whole name */
  exact: boolean;
  /** -d (pgrep): what separates the pids */
  delim: string;
  pattern?: string;
  euids?: Set<number>;
  ruids?: Set<number>;
  rgids?: Set<number>;
  ppids?: Set<number>;
  pgids?: Set<number>;
  sids?: Set<number>;
  /** -z: zone names or ids, resolved against the zones in the kernel when the table is read */
  zones?: string[];
}

/** POSIX bracket classes in the JavaScript syntax. */
const CLASSES: Record<string, string> = {
  alpha: 'A-Za-z',
  digit: '0-9',
  alnum: '0-9A-Za-z',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
  cntrl: '\\x00-\\x1f\\x7f',
  print: '\\x20-\\x7e',
  graph: '\\x21-\\x7e',
};

/**
 * A POSIX extended regular expression (regcomp REG_EXTENDED, as pgrep compiles its pattern) as a
 * JavaScript one: bracket expressions take `[:class:]` and a literal backslash; the rest of the
 * ERE syntax means the same in both.
 */
export function ereToJs(ere: string): string {
  let out = '';
  for (let i = 0; i < ere.length; i++) {
    const c = ere[i]!;
    if (c === '\\') {
      out += ere.slice(i, i + 2);
      i++;
      continue;
    }
    if (c !== '[') {
      out += c;
      continue;
    }
    // a bracket expression: `]` first (after an optional ^) is a member
    let j = i + 1;
    let body = '';
    if (ere[j] === '^') {
      body += '^';
      j++;
    }
    if (ere[j] === ']') {
      body += '\\]';
      j++;
    }
    for (; j < ere.length && ere[j] !== ']'; j++) {
      const m = /^\[:([a-z]+):\]/.exec(ere.slice(j));
      if (m && CLASSES[m[1]!] !== undefined) {
        body += CLASSES[m[1]!];
        j += m[0].length - 1;
      } else if (ere[j] === '\\' || ere[j] === '[') body += `\\${ere[j]}`;
      else body += ere[j];
    }
    if (j >= ere.length) return `${out}[${body}`; // unterminated: let the JavaScript compiler say so
    out += `[${body}]`;
    i = j;
  }
  return out;
}

/** regerror's words (glibc's) for what the JavaScript compiler found wrong. */
function regerrorText(message: string): string {
  if (/Unterminated character class/i.test(message)) return 'Unmatched [, [^, [:, [., or [=';
  if (/Unterminated group/i.test(message)) return 'Unmatched ( or \\(';
  if (/Unmatched '\)'/i.test(message)) return 'Unmatched ) or \\)';
  if (/Nothing to repeat/i.test(message)) return 'Invalid preceding regular expression';
  if (/numbers out of order|Incomplete quantifier/i.test(message)) return 'Invalid content of \\{\\}';
  if (/\\ at end of pattern/i.test(message)) return 'Trailing backslash';
  return 'Invalid regular expression';
}

/** The pattern compiled, or regerror's message. */
export function compilePattern(pattern: string, exact: boolean): RegExp | { error: string } {
  try {
    const js = ereToJs(pattern);
    return new RegExp(exact ? `^(?:${js})$` : js);
  } catch (e) {
    return { error: regerrorText((e as Error).message) };
  }
}

/** Who runs the tool: pgrep never reports itself, pkill never signals itself or its parent. */
export interface PgrepCaller {
  pid: number;
  ppid: number;
}

/** The processes a request selects, in pid order (pgrep.c scan_proc_dir). `zones`: the resolved -z list. */
export function selectPgrep(req: PgrepRequest, procs: readonly Proc[], caller: PgrepCaller, zones: Set<string> | undefined, re: RegExp | undefined): Proc[] {
  const has = (set: Set<number> | undefined, v: number) => set === undefined || set.has(v);
  const matches = (p: Proc) =>
    has(req.euids, p.euid) &&
    has(req.ruids, p.ruid) &&
    has(req.rgids, p.rgid) &&
    has(req.ppids, p.ppid) &&
    has(req.pgids, p.pgid) &&
    has(req.sids, p.sid) &&
    (zones === undefined || (p.zone !== undefined && zones.has(p.zone))) &&
    (re === undefined || re.test(req.full ? psargs(p) : fname(p)));
  const out = procs.filter((p) => !isZombie(p) && p.pid !== caller.pid && !(req.kill && p.pid === caller.ppid) && matches(p) !== req.reverse);
  if (!(req.newest || req.oldest) || out.length === 0) return out;
  let pick = out[0]!;
  for (const p of out) if (req.newest ? p.starttime > pick.starttime : p.starttime < pick.starttime) pick = p;
  return [pick];
}

/** What pgrep prints for the processes it found: the pids (with -l `%5d name`) joined by the delimiter, then a newline. */
export function pgrepOutput(req: PgrepRequest, procs: readonly Proc[]): string {
  if (procs.length === 0) return '';
  const item = (p: Proc) => (req.long ? `${String(p.pid).padStart(5)} ${req.full ? psargs(p) : fname(p)}` : String(p.pid));
  return `${procs.map(item).join(req.delim)}\n`;
}
