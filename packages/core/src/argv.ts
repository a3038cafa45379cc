/**
 * What the command lines of zonecfg, zoneadm and zlogin have in common: options declared as data
 * (the CLIs parse with them, the oclif commands build their flags from them), POSIX getopt as the
 * illumos tools call it, the check of an alternate root (-R), and the hand-over to oclif. Each
 * tool's options and usage rules are in `argv/<tool>.ts`. Free of npm packages: the CLIs load it
 * at start.
 */
import { statSync } from 'node:fs';

type Lower = 'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g' | 'h' | 'i' | 'j' | 'k' | 'l' | 'm' | 'n' | 'o' | 'p' | 'q' | 'r' | 's' | 't' | 'u' | 'v' | 'w' | 'x' | 'y' | 'z';
export type Letter = Lower | Uppercase<Lower>;

/** One option of a command line. */
export interface OptionSpec {
  /** its letter (`-z`) */
  readonly char: Letter;
  /** its long name for oclif (`--zone`), and its key in a parsed command line */
  readonly name: string;
  /** takes a value (getopt `z:`) */
  readonly value?: boolean;
  /** the line of `--help` */
  readonly description?: string;
  /** left out of `--help` */
  readonly hidden?: boolean;
  /** the heading of `--help` it is listed under */
  readonly helpGroup?: string;
}

/** What a CLI's main hands back to its bin when oclif is to run the line (`--help`, for one). */
export interface ForOclif {
  oclif: string[];
}

/** `--help` and `--version` are oclif's, for the tools whose other lines never are (zlogin, zonecfg). */
export function oclifAnswers(argv: readonly string[]): boolean {
  return argv[0] === '--help' || argv[0] === '--version';
}

/** What oclif's `Flags` module offers {@link oclifFlags} (handed in: core does not load oclif). */
export interface FlagMaker<B, S> {
  boolean(options: FlagOptions): B;
  string(options: FlagOptions): S;
}

// All optional, as oclif's own option types are, so that its overloaded functions match.
export type FlagOptions = {
  char?: Letter;
  description?: string;
  hidden?: boolean;
  helpGroup?: string;
};

/** The oclif flags of `specs`, by name: the oclif commands declare nothing of their own. */
export function oclifFlags<B, S>(Flags: FlagMaker<B, S>, specs: readonly OptionSpec[]): Record<string, B | S> {
  return Object.fromEntries(
    specs.map((s) => {
      const o: FlagOptions = s.char ? { char: s.char } : {};
      if (s.description !== undefined) o.description = s.description;
      if (s.hidden) o.hidden = true;
      if (s.helpGroup !== undefined) o.helpGroup = s.helpGroup;
      return [s.name, s.value ? Flags.string(o) : Flags.boolean(o)];
    }),
  );
}

/** The getopt(3) option string of `specs` (`z:u:R:`). */
export function optstring(specs: readonly OptionSpec[]): string {
  return specs.map((s) => (s.value ? `${s.char}:` : s.char)).join('');
}

/**
 * A long option of ours (`--json`) among the option words of a POSIX getopt command line, before
 * any `--`: whether it was given, and the words without it for getopt to read.
 */
export function takeLongFlag(argv: readonly string[], flag: string): { given: boolean; rest: string[] } {
  const dd = argv.indexOf('--');
  const head = dd === -1 ? argv : argv.slice(0, dd);
  if (!head.includes(flag)) return { given: false, rest: [...argv] };
  return { given: true, rest: [...head.filter((w) => w !== flag), ...(dd === -1 ? [] : argv.slice(dd))] };
}

/** One option as getopt returned it, in command-line order. */
export interface GetoptOption {
  char: string;
  /** the value of an option that takes one */
  value?: string;
}

export interface GetoptResult {
  options: GetoptOption[];
  /** the words from the first operand on (a `--` that ended the options is not among them); none after an error */
  operands: string[];
  /**
   * getopt's complaint (`illegal option -- x`, `option requires an argument -- l`) after the
   * options in `options`: the tools handle those first, as their getopt loop would have.
   */
  error?: string;
}

/**
 * POSIX getopt over `argv` (without the program name): options up to the first operand, `-` or
 * `--`; letters group (`-nQ`); a value is the rest of its word or the next word (`-lroot`, `-l root`).
 */
export function getopt(argv: readonly string[], opts: string): GetoptResult {
  const options: GetoptOption[] = [];
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
      const k = opts.indexOf(c);
      if (c === ':' || k < 0) return { options, operands: [], error: `illegal option -- ${c}` };
      if (opts[k + 1] !== ':') {
        options.push({ char: c });
        continue;
      }
      const value = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
      if (value === undefined) return { options, operands: [], error: `option requires an argument -- ${c}` };
      options.push({ char: c, value });
      break;
    }
  }
  return { options, operands: argv.slice(i) };
}

/**
 * The one check of an alternate root (zoneadm -R, zlogin -R, zonecfg -R): an absolute path to a
 * directory. Returns what is wrong in the words all three tools use, each in its own format.
 */
export function altRootProblem(root: string): 'root path must be absolute' | 'root path must be a directory' | undefined {
  if (!root.startsWith('/')) return 'root path must be absolute';
  try {
    if (statSync(root).isDirectory()) return undefined;
  } catch {
    // missing or unreadable: not a directory we can use
  }
  return 'root path must be a directory';
}
