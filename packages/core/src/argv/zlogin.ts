/**
 * zlogin [-CEQ] [-e c] [-l user] zonename
 * zlogin [-nEQS] [-e c] [-l user] zonename utility [args...]      (docs/reference.md#5-zlogin)
 *
 * zlogin's command line: its options and the usage rules of illumos zlogin.c main(), in that
 * order, to a typed request or the message to print.
 */
import { altRootProblem, getopt, optstring, type OptionSpec } from '../argv.js';
import { parseEscapeChar } from '../zlogin/escape.js';

/** In the order of illumos zlogin's getopt string `nECR:Se:l:Q`, plus -d (newer illumos). */
export const ZLOGIN_OPTIONS: readonly OptionSpec[] = [
  { char: 'n', name: 'n', description: 'stdin from /dev/null (non-interactive only)' },
  { char: 'E', name: 'E', description: 'disable the escape character' },
  { char: 'C', name: 'C', description: 'connect to the zone console' },
  { char: 'R', name: 'R', value: true, description: 'alternate root', hidden: true },
  { char: 'S', name: 'S', description: 'safe (failsafe) login: run /bin/sh directly' },
  { char: 'e', name: 'e', value: true, description: 'escape character (c, \\\\, or \\nnn octal)' },
  { char: 'l', name: 'l', value: true, description: 'user to log in as (default root)' },
  { char: 'Q', name: 'Q', description: 'quiet: no connect/close banners' },
  { char: 'd', name: 'd', description: 'with -C: disconnect when the zone halts' },
];

/** The usage line zlogin prints after a usage error (illumos zlogin.c usage()). */
export const USAGE = 'usage: zlogin [ -nQCES ] [ -e cmdchar ] [-l user] zonename [command [args ...] ]';

/** `zlogin --help`'s summary and the manual page's NAME line. */
export const ZLOGIN_SUMMARY = 'Enter a zone: interactive login, a command, or the zone console.';

export const ZLOGIN_OPTSTRING = optstring(ZLOGIN_OPTIONS);

export interface ZloginRequest {
  zonename: string;
  /** the utility and its arguments; empty: a login */
  command: string[];
  /** -C */
  console: boolean;
  /** -l */
  user?: string;
  /** -S */
  failsafe: boolean;
  /** -n */
  nullStdin: boolean;
  /** -Q */
  quiet: boolean;
  /** -d */
  disconnectOnHalt: boolean;
  /** -E: null (none); -e: its byte; undefined: the default */
  escape: number | null | undefined;
  /** -R */
  root?: string;
}

export type ZloginArgs =
  | { ok: true; request: ZloginRequest }
  /** exit 2: `zlogin: <message>` if there is one, then the usage line if `usage` */
  | { ok: false; message?: string; usage: boolean };

/**
 * The bytes of an -e value given as `-e VALUE` or `-...eVALUE`, when `argv` (decoded as UTF-8)
 * lost some of them: the element of `raw` (the same arguments as bytes) that holds it.
 */
function valueBytes(value: string, argv: readonly string[], raw: readonly Uint8Array[] | undefined): string | Uint8Array {
  if (!raw || !value.includes('\uFFFD')) return value;
  for (let i = 0; i < argv.length && i < raw.length; i++) {
    const a = argv[i]!;
    if (Buffer.from(raw[i]!).toString('utf8') !== a) return value; // not the same arguments
    if (a === value && argv[i - 1]?.endsWith('e')) return raw[i]!;
    // `-Qe<value>`: what precedes the value is ASCII, one byte per character
    if (a.startsWith('-') && a.endsWith(`e${value}`)) return raw[i]!.subarray(a.length - value.length);
  }
  return value;
}

/**
 * zlogin's command line (without the program name), checked as illumos zlogin does. `raw`: the
 * same arguments as bytes (platform/proc ownArgumentBytes), for an -e that is not UTF-8.
 */
export function parseZloginArgs(argv: readonly string[], raw?: readonly Uint8Array[]): ZloginArgs {
  const fail = (message: string | undefined, usage = true): ZloginArgs => ({ ok: false, message, usage });
  const g = getopt(argv, ZLOGIN_OPTSTRING);
  const flags = new Set<string>();
  const values = new Map<string, string>();
  let escape: number | undefined;
  // illumos handles each option as its getopt loop returns it: -R and -e are checked on the spot
  for (const { char, value } of g.options) {
    if (value === undefined) {
      flags.add(char);
      continue;
    }
    if (char === 'R') {
      const problem = altRootProblem(value);
      if (problem) return fail(`${problem}.`, false);
    }
    if (char === 'e') {
      const r = parseEscapeChar(valueBytes(value, argv, raw));
      if (!r.ok) return fail(r.message);
      escape = r.char;
    }
    values.set(char, value);
  }
  if (g.error) return fail(g.error);
  const consoleLogin = flags.has('C');
  const lflag = values.has('l');
  if (consoleLogin) {
    if (lflag) return fail('-l may not be specified for console login');
    if (flags.has('n')) return fail('-n may not be specified for console login');
    if (flags.has('S')) return fail('-S may not be specified for console login');
    if (values.has('R')) return fail('-R may not be specified for console login', false);
  }
  if (flags.has('S') && lflag) return fail('-l may not be specified for failsafe login');
  const [zonename, ...command] = g.operands;
  if (zonename === undefined) return fail(undefined);
  if (command.length === 0 && flags.has('n')) return fail('-n may not be specified for interactive login');
  if (command.length > 0 && consoleLogin) return fail('Commands may not be specified for console login.');
  return {
    ok: true,
    request: {
      zonename,
      command,
      console: consoleLogin,
      user: values.get('l'),
      failsafe: flags.has('S'),
      nullStdin: flags.has('n'),
      quiet: flags.has('Q'),
      disconnectOnHalt: flags.has('d'),
      escape: flags.has('E') ? null : escape,
      root: values.get('R'),
    },
  };
}
