/** zoneadm -z zone boot [-- boot_arguments]   (legacy: boot -s) */
import { flagsOf, ZoneCommand } from '../zone-command.js';
import { ZONEADM_HELP } from '@zones/core/zoneadm/usage';
import type { GlobalFlags } from '../op.js';
import { runLifecycle } from '../lifecycle-main.js';

export default class Boot extends ZoneCommand {
  static summary = ZONEADM_HELP.boot.summary;
  static description = ZONEADM_HELP.boot.description;
  static usage = ['-z zone boot [-- boot_arguments]'];
  static flags = flagsOf('boot');
  static strict = false;
  protected readonly subcommand = 'boot';

  async run(): Promise<void> {
    const { flags, operands, tail } = await this.parseWithTail(Boot);
    const f = flags as unknown as GlobalFlags & { single: boolean };
    this.targetZone = f.zone;
    await runLifecycle('boot', f, { single: f.single, operands, tail });
  }
}
