/**
 * zoneadm [-R root] [-z zone] [-u uuid-match] list [-cipv]   (docs/reference.md#43-list)
 */
import { flagsOf, ZoneCommand } from '../zone-command.js';
import { ZONEADM_HELP } from '@zones/core/zoneadm/usage';
import { runList } from '../list-main.js';

export default class List extends ZoneCommand {
  static summary = ZONEADM_HELP.list.summary;
  static description = ZONEADM_HELP.list.description;
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
