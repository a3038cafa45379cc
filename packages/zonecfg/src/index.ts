import { Command } from '@oclif/core/command';
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { oclifFlags } from '@zones/core/argv';
import { ZONECFG_OPTIONS, ZONECFG_SUMMARY } from '@zones/core/argv/zonecfg';

/**
 * zonecfg as an oclif command: the declarations (core's option table) give `--help`; the work is
 * core's zonecfgCli, which reads the Solaris command line itself (0 ok, 1 error, 2 usage).
 */
export default class Zonecfg extends Command {
  static override description = ZONECFG_SUMMARY;
  static override usage = ['-z <zone>', '-z <zone> <command>', '-z <zone> -f <command-file>', 'help [commands|syntax|usage|<command>]'];
  static override strict = false;
  static override flags = oclifFlags(Flags, ZONECFG_OPTIONS);
  static override args = { commands: Args.string({ required: false, description: 'zonecfg commands' }) };

  override async run(): Promise<void> {
    const { zonecfgCli } = await import('@zones/core/zonecfg/main');
    process.exitCode = await zonecfgCli(this.argv);
  }
}
