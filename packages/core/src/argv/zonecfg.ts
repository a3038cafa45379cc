/**
 * zonecfg's command line (docs/research/zonecfg-behaviour.md section 3.1): `help` first, else
 * getopt("?f:R:rz:"), the first other word starting the commands. `-r` (Solaris 11 live mode) edits
 * the running zone's configuration (docs/reference.md, "Live reconfiguration").
 */
import { getopt, optstring, type OptionSpec } from '../argv.js';

export const ZONECFG_OPTIONS: readonly OptionSpec[] = [
  { char: 'z', name: 'zone', value: true, description: 'the zone to configure' },
  { char: 'f', name: 'file', value: true, description: 'read commands from this file (- for standard input)' },
  { char: 'R', name: 'root', value: true, description: 'alternate root (absolute path to a directory)' },
  { char: 'r', name: 'live', description: "edit the running zone's live configuration; commit applies it to the zone and saves it" },
];

/** `zonecfg --help`'s description and the manual page's NAME line. */
export const ZONECFG_SUMMARY = 'Configure a zone (Solaris zonecfg).';

const OPTSTRING = `?${optstring(ZONECFG_OPTIONS)}`;

export interface ZonecfgArgs {
  zone?: string;
  file?: string;
  root?: string;
  /** -r: the running zone's live configuration */
  live?: boolean;
  /** the commands given as arguments */
  words: string[];
}

export type ZonecfgLine =
  /** no arguments: the usage and the short list of subcommands on stderr, exit 2 */
  | { kind: 'bare' }
  /** `help [subject]`: a one-off help command with no zone, exit 0 */
  | { kind: 'help'; subject?: string }
  /** `-?`: the usage and the subcommands with their help on stdout, exit 2 */
  | { kind: 'explicit-usage' }
  /** getopt's complaint, then the usage, on stderr; exit 2 */
  | { kind: 'usage'; complaint: string }
  | { kind: 'run'; args: ZonecfgArgs };

/** What a zonecfg command line (without the program name) asks for. */
export function zonecfgLine(argv: readonly string[]): ZonecfgLine {
  if (argv.length === 0) return { kind: 'bare' };
  if (argv[0] === 'help') return { kind: 'help', subject: argv[1] };
  const g = getopt(argv, OPTSTRING);
  const args: ZonecfgArgs = { words: [] };
  for (const { char, value } of g.options) {
    if (char === '?') return { kind: 'explicit-usage' };
    const name = ZONECFG_OPTIONS.find((s) => s.char === char)!.name as 'zone' | 'file' | 'root' | 'live';
    if (name === 'live') args.live = true;
    else args[name] = value;
  }
  if (g.error) return { kind: 'usage', complaint: `zonecfg: ${g.error}` };
  args.words = g.operands;
  return { kind: 'run', args };
}
