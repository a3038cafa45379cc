/** zoneadm -z zone detach [-n] */
import { flagsOf, ZoneCommand } from '../zone-command.js';
import { ZONEADM_HELP } from '@zones/core/zoneadm/usage';
import { runOp, type GlobalFlags } from '../op.js';

export default class Detach extends ZoneCommand {
  static summary = ZONEADM_HELP.detach.summary;
  static usage = ['-z zone detach [-n]'];
  static flags = flagsOf('detach');
  static strict = true;
  protected readonly subcommand = 'detach';

  async run(): Promise<void> {
    const { flags } = (await this.parseArgs(Detach)) as unknown as { flags: GlobalFlags & { dryRun: boolean } };
    this.targetZone = flags.zone;
    await runOp('detach', flags, async (ctx) => {
      const { detachZone } = await import('@zones/core/zoneadm/detach');
      detachZone(ctx, { dryRun: flags.dryRun });
    });
  }
}
