import { Command } from '@oclif/core/command';
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';

/**
 * zonecfg as an oclif command: the declarations give `--help`; the work is core's zonecfgCli,
 * which reads the Solaris command line itself (0 ok, 1 error, 2 usage).
 */
export default class Zonecfg extends Command {
  static override description = 'Configure a zone (Solaris zonecfg).';
  static override usage = ['-z <zone>', '-z <zone> <command>', '-z <zone> -f <command-file>', 'help [commands|syntax|usage|<command>]'];
  static override strict = false;
  static override flags = {
    zone: Flags.string({ char: 'z', description: 'the zone to configure' }),
    file: Flags.string({ char: 'f', description: 'read commands from this file (- for standard input)' }),
    root: Flags.string({ char: 'R', description: 'alternate root (absolute path to a directory)' }),
  };
  static override args = { commands: Args.string({ required: false, description: 'zonecfg commands' }) };

  override async run(): Promise<void> {
    const { zonecfgCli } = await import('@zones/core/zonecfg/main');
    process.exitCode = await zonecfgCli(this.argv);
  }
}
