/**
 * zlogin [-CEQ] [-e c] [-l user] zonename
 * zlogin [-nEQS] [-e c] [-l user] zonename utility [args...]      (zones-reference 5)
 *
 * The whole CLI without oclif (bin/run.js calls it for everything but --help/--version, to keep
 * startup lean): getopt-style parsing and the usage checks in illumos zlogin.c main() order, then
 * core's zlogin: the zone checks, entering the zone (one exec of the native helper) or the console.
 * Messages go to stderr as `zlogin: <message>`; exit 2 usage, 1 failure, else the utility's status.
 */
import { statSync } from 'node:fs';
import { parseEscapeChar } from '@zones/core/zlogin/escape';
import { zlogin, zloginTarget, ZloginError } from '@zones/core/zlogin/login';

export const USAGE = 'usage: zlogin [ -nQCES ] [ -e cmdchar ] [-l user] zonename [command [args ...] ]';

/** getopt(3) option string of illumos zlogin, plus -d (newer illumos: with -C, leave when the zone halts). */
const OPTSTRING = 'nECR:Se:l:Qd';

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function zerror(msg: string): void {
  process.stderr.write(`zlogin: ${msg}\n`);
}

function usage(): never {
  process.stderr.write(`${USAGE}\n`);
  throw new Exit(2);
}

export interface ParsedArgs {
  flags: Set<string>;
  values: Map<string, string>;
  operands: string[];
}

/** POSIX getopt: options up to the first operand or `--`; `-nQ` groups; `-lroot` or `-l root`. */
export function getopt(argv: readonly string[], optstring = OPTSTRING): ParsedArgs {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      const k = optstring.indexOf(c);
      if (c === ':' || k < 0) {
        zerror(`illegal option -- ${c}`);
        usage();
      }
      if (optstring[k + 1] !== ':') {
        flags.add(c);
        continue;
      }
      let v: string | undefined = a.slice(j + 1);
      if (v === '') v = argv[++i];
      if (v === undefined) {
        zerror(`option requires an argument -- ${c}`);
        usage();
      }
      // Handled in order, as illumos' getopt loop does.
      if (c === 'R') checkRoot(v);
      if (c === 'e') {
        const r = parseEscapeChar(v);
        if (!r.ok) {
          zerror(r.message);
          usage();
        }
      }
      values.set(c, v);
      break;
    }
  }
  return { flags, values, operands: argv.slice(i) };
}

function checkRoot(r: string): void {
  if (!r.startsWith('/')) {
    zerror('root path must be absolute.');
    throw new Exit(2);
  }
  let dir = false;
  try {
    dir = statSync(r).isDirectory();
  } catch {
    dir = false;
  }
  if (!dir) {
    zerror('root path must be a directory.');
    throw new Exit(2);
  }
}

async function run(argv: readonly string[]): Promise<number> {
  const { flags, values, operands } = getopt(argv);
  const console = flags.has('C');
  const lflag = values.has('l');
  if (console) {
    if (lflag) { zerror('-l may not be specified for console login'); usage(); }
    if (flags.has('n')) { zerror('-n may not be specified for console login'); usage(); }
    if (flags.has('S')) { zerror('-S may not be specified for console login'); usage(); }
    if (values.has('R')) { zerror('-R may not be specified for console login'); throw new Exit(2); }
  }
  if (flags.has('S') && lflag) { zerror('-l may not be specified for failsafe login'); usage(); }
  if (operands.length === 1) {
    if (flags.has('n')) { zerror('-n may not be specified for interactive login'); usage(); }
  } else if (operands.length > 1) {
    if (console) { zerror('Commands may not be specified for console login.'); usage(); }
  } else {
    usage();
  }
  const zonename = operands[0]!;
  const command = operands.slice(1);
  const escape = flags.has('E') ? null : values.has('e') ? (parseEscapeChar(values.get('e')!) as { char: number }).char : undefined;
  const root = values.get('R');
  const target = zloginTarget(zonename, { root, console });
  if (console) {
    const { consoleSession } = await import('@zones/core/zlogin/console');
    return consoleSession(target, { escape, quiet: flags.has('Q'), disconnectOnHalt: flags.has('d') });
  }
  return zlogin(
    target,
    {
      user: values.get('l'),
      failsafe: flags.has('S'),
      nullStdin: flags.has('n'),
      interactive: command.length === 0 && process.stdin.isTTY === true,
      escape,
      command,
    },
    { quiet: flags.has('Q') },
  );
}

/** Runs zlogin with these arguments (after the program name); resolves with the exit status. */
export async function zloginMain(argv: readonly string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (e) {
    if (e instanceof Exit) return e.code;
    if (e instanceof ZloginError) {
      zerror(e.message);
      return 1;
    }
    zerror((e as Error).message);
    return 1;
  }
}
