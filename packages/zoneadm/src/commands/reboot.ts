/** zoneadm -z zone reboot [-- boot_arguments] */
import { ZoneCommand } from '../zone-command.js';
import { ZONEADM_HELP } from '@zones/core/zoneadm/usage';
import type { GlobalFlags } from '../op.js';
import { runLifecycle } from '../lifecycle-main.js';

export default class Reboot extends ZoneCommand {
  static summary = ZONEADM_HELP.reboot.summary;
  static usage = ['-z zone reboot [-- boot_arguments]'];
  static strict = false;
  protected readonly subcommand = 'reboot';

  async run(): Promise<void> {
    const { flags, operands, tail } = await this.parseWithTail(Reboot);
    const f = flags as unknown as GlobalFlags;
    this.targetZone = f.zone;
    await runLifecycle('reboot', f, { operands, tail });
  }
}
