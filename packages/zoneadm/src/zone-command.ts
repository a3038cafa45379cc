/**
 * Base of every zoneadm subcommand: the global options -z/-u/-R (moved after the subcommand by
 * core's argv/zoneadm.ts), Solaris-style messages (`zoneadm: zone 'z': msg`) and exit codes (0 ok, 1 error,
 * 2 usage). Nothing here prints oclif decorations or stack traces.
 */
import { Command } from '@oclif/core/command';
import * as Flags from '@oclif/core/flags';
import { oclifFlags, type OptionSpec } from '@zones/core/argv';
import { GLOBAL_OPTIONS, SUBCOMMANDS, type Subcommand, type SubcommandSpec } from '@zones/core/argv/zoneadm';
import { EXIT_ERR, EXIT_OK, EXIT_USAGE, subUsage, ZoneadmExit, zerror } from './common.js';

export { EXIT_ERR, EXIT_OK, EXIT_USAGE, ZoneadmExit } from './common.js';

/** The oclif flags of a subcommand, from core's option table (the fast paths parse with it too). */
export const flagsOf = (subcommand: Subcommand) => {
  const s: SubcommandSpec = SUBCOMMANDS[subcommand];
  const long = (s.long ?? []).map((o) => [o.name, Flags.boolean({ description: o.description })] as const);
  return { ...oclifFlags(Flags, s.options), ...Object.fromEntries(long) };
};

/**
 * The global options as a subcommand's oclif flags: a letter the subcommand uses itself
 * (`attach -u`) is its own, and the global reaches it by its long name (core's hoistGlobalFlags).
 */
export const baseFlagsOf = (subcommand: Subcommand) => {
  const own = new Set<string>(SUBCOMMANDS[subcommand].options.map((o) => o.char));
  // A spec without a letter: oclifFlags passes no char on for it.
  return oclifFlags(Flags, GLOBAL_OPTIONS.map((o) => (own.has(o.char) ? { ...o, char: '' as OptionSpec['char'] } : o)));
};

export abstract class ZoneCommand extends Command {
  static baseFlags = oclifFlags(Flags, GLOBAL_OPTIONS);

  /** Subcommand name, for sub_usage. */
  protected abstract readonly subcommand: string;

  /** The zone named by -z (or resolved from -u), once known: zerror prefixes it. */
  protected targetZone: string | undefined;

  protected zerror(msg: string): void {
    zerror(this.targetZone, msg);
  }

  /**
   * oclif's parse with getopt-like reporting: an unknown option prints
   * `zoneadm: illegal option -- x` and the sub-usage (exit 2); `-?` prints the sub-usage (exit 0).
   */
  protected async parseArgs<T extends typeof Command>(cls: T, argv?: string[]): Promise<{ flags: Record<string, unknown> }> {
    try {
      return (await this.parse(cls as never, argv)) as never;
    } catch (err) {
      this.parsed = true; // reported here; keeps oclif from warning "did not parse its arguments"
      const flags: string[] = ((err as { flags?: string[] }).flags ?? []).filter((f) => typeof f === 'string');
      if (flags.includes('-?')) subUsage(this.subcommand, EXIT_OK);
      const bad = flags[0];
      if (bad) process.stderr.write(`zoneadm: illegal option -- ${bad.startsWith('--') ? bad.slice(2) : bad.slice(1, 2)}\n`);
      else if (err instanceof Error && /expects a value/.test(err.message)) {
        process.stderr.write(`zoneadm: option requires an argument -- ${/--(\w+)/.exec(err.message)?.[1]?.[0] ?? '?'}\n`);
      }
      return subUsage(this.subcommand, EXIT_USAGE);
    }
  }

  /**
   * Splits `this.argv` at the first `--`: the words before are parsed as options (getopt-like
   * reporting as parseArgs), the words after are returned as they are (boot arguments).
   */
  protected async parseWithTail<T extends typeof Command>(cls: T): Promise<{ flags: Record<string, unknown>; operands: string[]; tail: string[] | undefined }> {
    const all = [...this.argv]; // parse() may rewrite this.argv
    const dd = all.indexOf('--');
    const head = dd === -1 ? all : all.slice(0, dd);
    const tail = dd === -1 ? undefined : all.slice(dd + 1);
    const parsed = (await this.parseArgs(cls, head)) as { flags: Record<string, unknown>; argv?: unknown[] };
    const operands = (parsed.argv ?? []).map(String);
    // getopt: an option word among the operands (strict = false lets them through) is illegal
    const bad = operands.find((a) => a.startsWith('-') && a !== '-');
    if (bad) {
      process.stderr.write(`zoneadm: illegal option -- ${bad.replace(/^--?/, '').slice(0, 1)}\n`);
      subUsage(this.subcommand, EXIT_USAGE);
    }
    return { flags: parsed.flags, operands, tail };
  }

  /** No stack traces, no oclif decorations: every failure is a `zoneadm:` line and an exit code. */
  async catch(err: Error & { oclif?: { exit?: number } }): Promise<void> {
    if (err instanceof ZoneadmExit) {
      process.exitCode = err.exitCode;
      return;
    }
    if (err.oclif?.exit !== undefined && err.message.startsWith('EEXIT')) {
      process.exitCode = err.oclif.exit;
      return;
    }
    this.zerror(err.message);
    process.exitCode = EXIT_ERR;
  }
}
