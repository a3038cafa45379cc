/** zoneadm -z zone halt */
import { ZoneCommand } from '../zone-command.js';
import { ZONEADM_HELP } from '@zones/core/zoneadm/usage';
import type { GlobalFlags } from '../op.js';
import { runLifecycle } from '../lifecycle-main.js';

export default class Halt extends ZoneCommand {
  static summary = ZONEADM_HELP.halt.summary;
  static usage = ['-z zone halt'];
  static strict = true;
  protected readonly subcommand = 'halt';

  async run(): Promise<void> {
    const { flags } = (await this.parseArgs(Halt)) as unknown as { flags: GlobalFlags };
    const f = flags;
    this.targetZone = f.zone;
    await runLifecycle('halt', f, {});
  }
}
