/** zoneadm -z zone uninstall [-F] */
import { flagsOf, ZoneCommand } from '../zone-command.js';
import { ZONEADM_HELP } from '@zones/core/zoneadm/usage';
import { runOp, type GlobalFlags } from '../op.js';

export default class Uninstall extends ZoneCommand {
  static summary = ZONEADM_HELP.uninstall.summary;
  static usage = ['-z zone uninstall [-F]'];
  static flags = flagsOf('uninstall');
  static strict = true;
  protected readonly subcommand = 'uninstall';

  async run(): Promise<void> {
    const { flags } = (await this.parseArgs(Uninstall)) as unknown as { flags: GlobalFlags & { force: boolean } };
    this.targetZone = flags.zone;
    await runOp('uninstall', flags, async (ctx) => {
      const { uninstallZone } = await import('@zones/core/zoneadm/uninstall');
      const confirm = process.stdin.isTTY ? (await import('../ask.js')).askYesNo : undefined;
      await uninstallZone(ctx, { force: flags.force, confirm });
    });
  }
}
