/**
 * zlogin [-CEQ] [-e c] [-l user] zonename
 * zlogin [-nEQS] [-e c] [-l user] zonename utility [args...]      (zones-reference 5)
 *
 * The oclif command: its flags are declared for `--help` and the manifest only; bin/run.js sends
 * every other command line straight to zloginMain (main.ts), which this command calls too.
 */
// oclif subpath imports: the @oclif/core index costs ~30 ms more at startup.
import { Command } from '@oclif/core/command';
import * as Flags from '@oclif/core/flags';
import * as Args from '@oclif/core/args';
import { USAGE, zloginMain } from './main.js';

export { USAGE };

/** zlogin options that take a value (getopt `e:l:R:`). */
export const VALUE_FLAGS = ['e', 'l', 'R'];

export default class Zlogin extends Command {
  static summary = 'Enter a zone: interactive login, a command, or the zone console.';
  static usage = '[-nQCESd] [-e cmdchar] [-l user] zonename [command [args ...]]';
  static strict = false;
  static flags = {
    C: Flags.boolean({ char: 'C', description: 'connect to the zone console' }),
    E: Flags.boolean({ char: 'E', description: 'disable the escape character' }),
    Q: Flags.boolean({ char: 'Q', description: 'quiet: no connect/close banners' }),
    S: Flags.boolean({ char: 'S', description: 'safe (failsafe) login: run /bin/sh directly' }),
    n: Flags.boolean({ char: 'n', description: 'stdin from /dev/null (non-interactive only)' }),
    d: Flags.boolean({ char: 'd', description: 'with -C: disconnect when the zone halts' }),
    e: Flags.string({ char: 'e', description: 'escape character (c, \\\\, or \\nnn octal)' }),
    l: Flags.string({ char: 'l', description: 'user to log in as (default root)' }),
    R: Flags.string({ char: 'R', description: 'alternate root', hidden: true }),
  };
  static args = {
    zonename: Args.string({ required: false }),
  };

  async run(): Promise<void> {
    this.parsed = true; // parsed by zloginMain (getopt rules, illumos messages)
    process.exitCode = await zloginMain(this.argv);
  }
}
