/** zoneadm -z zone shutdown [-r [-- boot_arguments]] */
import { flagsOf, ZoneCommand } from '../zone-command.js';
import { ZONEADM_HELP } from '@zones/core/zoneadm/usage';
import type { GlobalFlags } from '../op.js';
import { runLifecycle } from '../lifecycle-main.js';

export default class Shutdown extends ZoneCommand {
  static summary = ZONEADM_HELP.shutdown.summary;
  static description = ZONEADM_HELP.shutdown.description;
  static usage = ['-z zone shutdown [-r [-- boot_arguments]]'];
  static flags = flagsOf('shutdown');
  static strict = false;
  protected readonly subcommand = 'shutdown';

  async run(): Promise<void> {
    const { flags, operands, tail } = await this.parseWithTail(Shutdown);
    const f = flags as unknown as GlobalFlags & { reboot: boolean };
    this.targetZone = f.zone;
    await runLifecycle('shutdown', f, { reboot: f.reboot, operands, tail });
  }
}
