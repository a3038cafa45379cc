/**
 * zoneadm [-R root] [-z zone] [-u uuid-match] list [-cipv]   (docs/reference.md#43-list)
 */
import { flagsOf, ZoneCommand } from '../zone-command.js';
import { runList } from '../list-main.js';

export default class List extends ZoneCommand {
  static summary = 'List zones.';
  static description =
    'By default only running zones; -i adds installed zones, -c all configured zones. ' +
    'With -z/-u, lists that zone regardless of state (-c and -i are not allowed). ' +
    '-v prints a table, -p colon-separated fields; they are mutually exclusive. ' +
    '--json prints the fields of -p as one JSON object.';
  // oclif always renders `$ zoneadm list ...`; the Solaris-order synopsis is in `zoneadm help`.
  static usage = ['[-cipv] [--json]', '[-pv] [--json] -z zone', '[-pv] [--json] -u uuid-match'];
  static flags = flagsOf('list');
  static strict = true;

  protected readonly subcommand = 'list';

  async run(): Promise<void> {
    const { flags } = (await this.parseArgs(List)) as unknown as {
      flags: { zone?: string; uuid?: string; root?: string; configured: boolean; installed: boolean; parsable: boolean; verbose: boolean; json: boolean };
    };
    const code = runList(flags);
    if (code !== 0) process.exitCode = code;
  }
}
