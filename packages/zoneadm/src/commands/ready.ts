/** zoneadm -z zone ready */
import { ZoneCommand } from '../zone-command.js';
import { ZONEADM_HELP } from '@zones/core/zoneadm/usage';
import type { GlobalFlags } from '../op.js';
import { runLifecycle } from '../lifecycle-main.js';

export default class Ready extends ZoneCommand {
  static summary = ZONEADM_HELP.ready.summary;
  static usage = ['-z zone ready'];
  static strict = true;
  protected readonly subcommand = 'ready';

  async run(): Promise<void> {
    const { flags } = (await this.parseArgs(Ready)) as unknown as { flags: GlobalFlags };
    const f = flags;
    this.targetZone = f.zone;
    await runLifecycle('ready', f, {});
  }
}
