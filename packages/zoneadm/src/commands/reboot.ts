/** zoneadm -z zone reboot [-- boot_arguments] */
import { ZoneCommand } from '../zone-command.js';
import type { GlobalFlags } from '../op.js';
import { runLifecycle } from '../lifecycle-main.js';

export default class Reboot extends ZoneCommand {
  static summary = 'Restart the zone (halt, then boot); only a running zone.';
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
