/**
 * zoneadm's command line (illumos zoneadm.c main() and the option loops of the *_func handlers):
 * the global options before the subcommand, every subcommand's options, what a line asks for
 * (usage, help, a plain line the CLI runs itself, or one for oclif to parse and report), and the
 * rules for the boot arguments of the lifecycle subcommands.
 */
import type { Letter, OptionSpec } from '../argv.js';

/** -z/-u/-R, given before the subcommand. */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { char: 'z', name: 'zone', value: true, helpGroup: 'GLOBAL', description: 'zone to operate on' },
  { char: 'u', name: 'uuid', value: true, helpGroup: 'GLOBAL', description: 'zone uuid to operate on' },
  { char: 'R', name: 'root', value: true, helpGroup: 'GLOBAL', description: 'alternate root (instead of ZONES_ROOT)' },
];

export interface GlobalFlags {
  zone?: string;
  uuid?: string;
  root?: string;
}

export interface SubcommandSpec {
  options: readonly OptionSpec[];
  /**
   * What follows the options, where this table says it all: `none` (list), or boot arguments
   * (the lifecycle subcommands: words, then `-- words`; {@link lifecycleBootargs} rules on them).
   * Unset: operands that only the oclif command declares.
   */
  words?: 'none' | 'bootargs';
  /** Options of ours with no Solaris letter, given as `--name` only (list --json). */
  long?: readonly LongOption[];
}

/** A boolean option with a long name only: an addition to the Solaris command line. */
export interface LongOption {
  readonly name: string;
  readonly description: string;
}

const bool = (char: Letter, name: string, description?: string, hidden?: true): OptionSpec => ({ char, name, description, hidden });
const valued = (char: Letter, name: string, description: string): OptionSpec => ({ char, name, value: true, description });

/** Every subcommand, in Solaris order (the order of `zoneadm help`). */
export const SUBCOMMANDS = {
  help: { options: [] },
  boot: { options: [bool('s', 'single', 'legacy: boot arguments -s')], words: 'bootargs' },
  halt: { options: [], words: 'bootargs' },
  ready: { options: [], words: 'bootargs' },
  shutdown: { options: [bool('r', 'reboot', 'boot again once down')], words: 'bootargs' },
  reboot: { options: [], words: 'bootargs' },
  list: {
    options: [
      bool('c', 'configured', 'list all configured zones'),
      bool('i', 'installed', 'list installed zones too'),
      bool('p', 'parsable', 'machine-parsable output'),
      bool('v', 'verbose', 'verbose output'),
    ],
    words: 'none',
    long: [{ name: 'json', description: 'one JSON object: every field of -p, typed (docs/schemas/zoneadm-list.schema.json)' }],
  },
  verify: { options: [] },
  install: {
    options: [
      valued('x', 'x', 'nodataset (accepted, ignored: no ZFS)'),
      valued('c', 'profile', 'system configuration profile (YAML)'),
      valued('d', 'source', 'archive, directory or OCI image layout (DIR[:TAG]) to install from'),
      valued('r', 'release', 'release to bootstrap (bookworm, centos-7, ...)'),
      valued('m', 'mirror', 'package mirror'),
      valued('v', 'variant', 'bootstrap variant (minbase, ...)'),
      valued('a', 'arch', 'architecture'),
    ],
  },
  uninstall: { options: [bool('F', 'force', 'do not ask for confirmation')] },
  clone: { options: [valued('m', 'method', "clone method: only 'copy'")] },
  move: { options: [] },
  detach: { options: [bool('n', 'dryRun', 'print the manifest, change nothing')] },
  attach: {
    options: [bool('F', 'force', 'attach without validation'), valued('n', 'dryRun', "validate a manifest only (path, or '-' for stdin)")],
  },
  mark: { options: [bool('F', 'force', undefined, true)] },
  apply: { options: [bool('n', 'dryRun', 'check only, change nothing'), bool('q', 'quiet', 'no warnings')] },
  export: {
    options: [
      valued('t', 'type', 'what to write: oci-bundle, oci-image or kube'),
      valued('i', 'image', 'kube: the image reference the manifest runs'),
    ],
  },
} as const satisfies Record<string, SubcommandSpec>;

export type Subcommand = keyof typeof SUBCOMMANDS;
export type LifecycleCommand = { [K in Subcommand]: (typeof SUBCOMMANDS)[K] extends { words: 'bootargs' } ? K : never }[Subcommand];

/** The subcommands whose whole line the table describes: the ones the CLI runs without oclif. */
export type PlainSubcommand = { [K in Subcommand]: (typeof SUBCOMMANDS)[K] extends { words: string } ? K : never }[Subcommand];

export const SUBCOMMAND_NAMES = Object.keys(SUBCOMMANDS) as Subcommand[];

export function isSubcommand(name: string): name is Subcommand {
  return Object.hasOwn(SUBCOMMANDS, name);
}

const spec = (name: Subcommand): SubcommandSpec => SUBCOMMANDS[name];

function isPlain(name: Subcommand): name is PlainSubcommand {
  return spec(name).words !== undefined;
}

const LONG_GLOBALS = new Map(GLOBAL_OPTIONS.map((o) => [o.name, o]));
const SHORT_GLOBALS = new Map<string, OptionSpec>(GLOBAL_OPTIONS.map((o) => [o.char, o]));

interface GlobalsSplit {
  /** the global options as separate words (`-zV` becomes `-z`, `V`; `--zone=V` stays one word) */
  globals: string[];
  /** from the subcommand on */
  rest: string[];
  /** their values, when each was given once with a value (undefined: oclif parses and reports) */
  flags?: GlobalFlags;
}

/** Splits the leading global options off argv. A trailing option without its value ends them. */
export function splitGlobalFlags(argv: readonly string[]): GlobalsSplit {
  const globals: string[] = [];
  let flags: GlobalFlags | undefined = {};
  // the plain form has each option once; `--zone=` (nothing after the =) is not in it
  const set = (o: OptionSpec, v: string | undefined) => {
    if (flags && v !== undefined && !(o.name in flags)) (flags as Record<string, string>)[o.name] = v;
    else flags = undefined;
  };
  let i = 0;
  while (i < argv.length) {
    const a = argv[i]!;
    const short = /^-(.)(.*)$/s.exec(a);
    const long = /^--([a-z]+)(?:=(.*))?$/s.exec(a);
    const o = long ? LONG_GLOBALS.get(long[1]!) : short ? SHORT_GLOBALS.get(short[1]!) : undefined;
    if (!o) break;
    const inline = long ? long[2] : short![2] || undefined;
    if (inline !== undefined) {
      globals.push(...(long ? [a] : [`-${o.char}`, inline]));
      set(o, inline || undefined);
      i += 1;
    } else if (i + 1 < argv.length) {
      globals.push(a, argv[i + 1]!);
      set(o, argv[i + 1]);
      i += 2;
    } else break;
  }
  return { globals, rest: argv.slice(i), flags };
}

/**
 * oclif takes the command id from argv[0], so the global options move after the subcommand words
 * (`[...rest, ...globals]`), or just before the first `--` of rest so they are still options.
 */
export function hoistGlobalFlags(argv: readonly string[]): string[] {
  const { globals, rest } = splitGlobalFlags(argv);
  if (globals.length === 0) return [...argv];
  const dd = rest.indexOf('--');
  if (dd === -1) return [...rest, ...globals];
  return [...rest.slice(0, dd), ...globals, ...rest.slice(dd)];
}

/** The words after the options of a lifecycle subcommand. */
export interface LifecycleWords {
  /** boot -s (legacy) */
  single?: boolean;
  /** shutdown -r */
  reboot?: boolean;
  /** words after the options, before `--` */
  operands?: readonly string[];
  /** words after `--` (undefined: no `--`) */
  tail?: readonly string[];
}

/** A line in the plain form: options once each, letters only; what the CLI runs without oclif. */
export interface PlainLine extends LifecycleWords {
  subcommand: PlainSubcommand;
  globals: GlobalFlags;
  /** the letters given, by option name */
  options: Record<string, true>;
  operands: string[];
}

export type ZoneadmLine =
  /** `-?` (explicit: the long usage on stdout) or no, an unknown or an option word for a subcommand (the short usage on stderr); exit 2 either way */
  | { kind: 'usage'; explicit: boolean }
  /** `help [subcommand...]` */
  | { kind: 'help'; topics: string[] }
  | ({ kind: 'plain' } & PlainLine)
  /** anything else: for oclif, the global options moved after the subcommand */
  | { kind: 'oclif'; args: string[] };

/**
 * The words after `subcommand` in the plain form: its boolean letters (grouped: `-cv`), then, if it
 * takes boot arguments, words and `-- words`. Undefined for anything else (oclif reports it).
 */
function plainWords(subcommand: PlainSubcommand, words: readonly string[]): Pick<PlainLine, 'options' | 'operands' | 'tail'> | undefined {
  const { options: specs, words: kind, long = [] } = spec(subcommand);
  const dd = words.indexOf('--');
  if (dd !== -1 && kind !== 'bootargs') return undefined;
  const head = dd === -1 ? words : words.slice(0, dd);
  const options: Record<string, true> = {};
  let i = 0;
  for (; i < head.length && /^-./s.test(head[i]!); i++) {
    const named = long.find((o) => head[i] === `--${o.name}`);
    if (named) {
      options[named.name] = true;
      continue;
    }
    for (const ch of head[i]!.slice(1)) {
      const o = specs.find((s) => s.char === ch);
      if (!o || o.value) return undefined;
      options[o.name] = true;
    }
  }
  const operands = head.slice(i);
  if (operands.some((w) => w.startsWith('-')) || (operands.length > 0 && kind === 'none')) return undefined;
  return { options, operands, ...(dd === -1 ? {} : { tail: words.slice(dd + 1) }) };
}

/** What a zoneadm command line (without the program name) asks for, in zoneadm.c main()'s order. */
export function zoneadmLine(argv: readonly string[]): ZoneadmLine {
  const { rest, flags } = splitGlobalFlags(argv);
  const sub = rest[0];
  if (sub === '-?') return { kind: 'usage', explicit: true };
  if (sub === undefined || sub.startsWith('-') || !isSubcommand(sub)) return { kind: 'usage', explicit: false };
  if (sub === 'help') return { kind: 'help', topics: rest.slice(1) };
  const plain = flags && isPlain(sub) ? plainWords(sub, rest.slice(1)) : undefined;
  if (plain) return { kind: 'plain', subcommand: sub as PlainSubcommand, globals: flags!, ...plain, ...lifecycleFlags(plain.options) };
  return { kind: 'oclif', args: hoistGlobalFlags(argv) };
}

function lifecycleFlags(options: Record<string, true>): Pick<LifecycleWords, 'single' | 'reboot'> {
  return { ...(options.single ? { single: true } : {}), ...(options.reboot ? { reboot: true } : {}) };
}

/**
 * The boot arguments of a lifecycle line as zoneadm.c builds them: `-s`, then every other word;
 * `bootargs` undefined when none were given (the zone's configured bootargs apply). Undefined where
 * the subcommand takes none (halt, ready, shutdown without -r): a usage error.
 */
export function lifecycleBootargs(cmd: LifecycleCommand, a: LifecycleWords): { bootargs?: string[] } | undefined {
  const words = [...(a.single ? ['-s'] : []), ...(a.operands ?? []), ...(a.tail ?? [])];
  const bootargs = words.length > 0 || a.tail !== undefined ? words : undefined;
  if (bootargs === undefined) return {};
  if (cmd === 'halt' || cmd === 'ready' || (cmd === 'shutdown' && !a.reboot)) return undefined;
  return { bootargs };
}
