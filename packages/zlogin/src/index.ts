/**
 * zlogin [-CEQ] [-e c] [-l user] zonename
 * zlogin [-nEQS] [-e c] [-l user] zonename utility [args...]      (docs/reference.md#5-zlogin)
 *
 * The oclif command: its flags (core's option table) are declared for `--help` and the manifest
 * only; main.ts answers every other command line, and this command calls it too.
 */
// oclif subpath imports: the @oclif/core index costs ~30 ms more at startup.
import { Command } from '@oclif/core/command';
import * as Flags from '@oclif/core/flags';
import * as Args from '@oclif/core/args';
import { oclifFlags } from '@zones/core/argv';
import { ZLOGIN_OPTIONS, ZLOGIN_SUMMARY } from '@zones/core/argv/zlogin';
import { USAGE, zloginMain } from './main.js';

export { USAGE };

export default class Zlogin extends Command {
  static summary = ZLOGIN_SUMMARY;
  static usage = '[-nQCESd] [-e cmdchar] [-l user] zonename [command [args ...]]';
  static strict = false;
  static flags = oclifFlags(Flags, ZLOGIN_OPTIONS);
  static args = {
    zonename: Args.string({ required: false }),
  };

  async run(): Promise<void> {
    this.parsed = true; // parsed by zloginMain (getopt rules, illumos messages)
    process.exitCode = await zloginMain(this.argv);
  }
}
