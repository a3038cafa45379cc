import { Args, Command, Flags } from '@oclif/core';

/**
 * zonecfg: parse the options, hand the commands to core, print, exit with Solaris status codes
 * (0 ok, 1 error, 2 usage).
 */
export default class Zonecfg extends Command {
  static override description = 'Configure a zone (Solaris zonecfg).';
  static override usage = ['-z <zone>', '-z <zone> <command>', '-z <zone> -f <command-file>', 'help [topic]'];
  static override strict = false;
  static override flags = {
    zone: Flags.string({ char: 'z', description: 'the zone to configure' }),
    file: Flags.string({ char: 'f', description: 'read commands from this file (- for standard input)' }),
    root: Flags.string({ char: 'R', description: 'alternate root (absolute path to a directory)' }),
  };
  static override args = { commands: Args.string({ required: false, description: 'zonecfg commands' }) };

  override async run(): Promise<void> {
    const { flags, argv } = await this.parse(Zonecfg);
    const words = argv as string[];
    const { zonecfgMain } = await import('@zones/core/zonecfg/main');
    process.exitCode = await zonecfgMain({ zone: flags.zone, file: flags.file, root: flags.root, words });
  }

  override async catch(error: Error & { oclif?: { exit?: number } }): Promise<void> {
    // Unknown options and missing values are usage errors: Solaris prints its usage and exits 2.
    const { usageText } = await import('@zones/core/zonecfg/main');
    process.stderr.write(`zonecfg: ${error.message.split('\n')[0]}\n`);
    for (const l of usageText()) process.stderr.write(l + '\n');
    process.exitCode = 2;
  }
}
