/**
 * zps [-aAdefjZ] [-o format] [-u userlist] [-U userlist] [-G grouplist]
 *     [-p proclist] [-g pgrplist] [-s sidlist] [-z zonelist]     (docs/reference.md#81-zps)
 *
 * zps's command line: Solaris ps's options (the subset Linux can answer), checked as illumos
 * ps.c main() checks them, to a request (ptools/ps.ts) or the messages to print. Exit 1 on any
 * error, with the usage after a bad option, an operand or a bad list.
 */
import { getopt, optstring, takeLongFlag, type OptionSpec } from '../argv.js';
import { PS_FIELDS, type PsField, type ZpsRequest } from '../ptools/ps.js';
import { splitList } from '../ptools/snapshot.js';

export const ZPS_OPTIONS: readonly OptionSpec[] = [
  { char: 'a', name: 'a', description: 'processes with a terminal, except session leaders' },
  { char: 'A', name: 'A', description: 'every process' },
  { char: 'd', name: 'd', description: 'every process except session leaders' },
  { char: 'e', name: 'e', description: 'every process' },
  { char: 'f', name: 'f', description: 'full listing' },
  { char: 'j', name: 'j', description: 'session and process group ids' },
  { char: 'Z', name: 'Z', description: 'the ZONE column' },
  { char: 'o', name: 'o', value: true, description: 'output format' },
  { char: 'p', name: 'p', value: true, description: 'process ids' },
  { char: 'u', name: 'u', value: true, description: 'effective users' },
  { char: 'U', name: 'U', value: true, description: 'real users' },
  { char: 'G', name: 'G', value: true, description: 'real groups' },
  { char: 'g', name: 'g', value: true, description: 'process groups' },
  { char: 's', name: 's', value: true, description: 'sessions' },
  { char: 'z', name: 'z', value: true, description: 'zones (names or ids)' },
];

export const ZPS_USAGE = [
  'usage: zps [ -aAdefjZ ] [ -o format ]',
  '\t[ -u userlist ] [ -U userlist ] [ -G grouplist ]',
  '\t[ -p proclist ] [ -g pgrplist ] [ -s sidlist ] [ -z zonelist ]',
  "  'format' is one or more of:",
  '\tuser ruser group rgroup uid ruid gid rgid pid ppid pgid sid',
  '\tpri nice pcpu pmem vsz rss nlwp s time etime stime tty',
  '\tzone zoneid fname comm args',
].join('\n');

export type ZpsArgs =
  | { ok: true; request: ZpsRequest }
  /** exit 1: each message as `zps: <message>`, then the usage if `usage` */
  | { ok: false; messages: string[]; usage: boolean };

/** ps.c parse_format: `name[=header]`, fields separated by commas or blanks; a header runs to the end of the value. */
export function parseFormat(value: string, fields: PsField[], messages: string[]): void {
  let rest = value;
  for (;;) {
    rest = rest.replace(/^[,\s]+/, '');
    if (rest === '') return;
    const m = /[ \t\r\v\f\n,=]/.exec(rest);
    const name = m ? rest.slice(0, m.index) : rest;
    let header: string | undefined;
    let width = 0;
    if (m && m[0] === '=') {
      const raw = rest.slice(m.index + 1);
      width = raw.length;
      header = raw.trim();
      rest = '';
    } else rest = m ? rest.slice(m.index + 1) : '';
    const def = PS_FIELDS.find((d) => d.name === name);
    if (!def) {
      messages.push(`unknown output format: -o ${name}`);
      continue;
    }
    fields.push({ name, header: header ?? def.header, width });
  }
}

/** ps.c str2id for -p, -g and -s: a decimal number from 0 to the largest pid. */
function idList(value: string, char: string, pidMax: number, messages: string[]): number[] {
  const out: number[] = [];
  for (const w of splitList(value)) {
    if (!/^[+-]?\d+$/.test(w)) messages.push(`${w} is an invalid non-numeric argument for -${char} option`);
    else if (Number(w) < 0 || Number(w) > pidMax) messages.push(`${w} exceeds valid range for -${char} option`);
    else out.push(Number(w));
  }
  return out;
}

/** zps's command line (without the program name); `pidMax` bounds the ids of -p, -g and -s. */
export function parseZpsArgs(argv: readonly string[], pidMax: number): ZpsArgs {
  // --json is ours (no letter in Solaris ps): taken out of the option words before getopt reads them
  const { given: json, rest } = takeLongFlag(argv, '--json');
  const g = getopt(rest, optstring(ZPS_OPTIONS));
  const messages: string[] = [];
  const req: ZpsRequest = { every: false, allTerminals: false, notLeaders: false, full: false, jobs: false, zoneColumn: false };
  const add = <K extends 'pids' | 'pgids' | 'sids'>(k: K, v: number[]) => (req[k] = [...(req[k] ?? []), ...v]);
  const addWords = <K extends 'euids' | 'ruids' | 'rgids' | 'zones'>(k: K, v: string[]) => (req[k] = [...(req[k] ?? []), ...v]);
  for (const { char, value } of g.options) {
    switch (char) {
      case 'A':
      case 'e':
        req.every = true;
        break;
      case 'a':
        req.allTerminals = true;
        break;
      case 'd':
        req.notLeaders = true;
        break;
      case 'f':
        req.full = true;
        break;
      case 'j':
        req.jobs = true;
        break;
      case 'Z':
        req.zoneColumn = true;
        break;
      case 'o':
        parseFormat(value!, (req.format ??= []), messages);
        break;
      case 'p':
        add('pids', idList(value!, char, pidMax, messages));
        break;
      case 'g':
        add('pgids', idList(value!, char, pidMax, messages));
        break;
      case 's':
        add('sids', idList(value!, char, pidMax, messages));
        break;
      case 'u':
        addWords('euids', splitList(value!));
        break;
      case 'U':
        addWords('ruids', splitList(value!));
        break;
      case 'G':
        addWords('rgids', splitList(value!));
        break;
      case 'z':
        addWords('zones', splitList(value!));
        break;
    }
  }
  if (g.error) return { ok: false, messages: [...messages, g.error], usage: true };
  if (messages.length > 0 || g.operands.length > 0) return { ok: false, messages, usage: true };
  if (json) req.json = true;
  return { ok: true, request: req };
}
