/** zoneadm -z zone apply [-n] [-q]   (Solaris 11 live zone reconfiguration; docs/resource-controls.md#live-changes) */
import { flagsOf, ZoneCommand } from '../zone-command.js';
import { ZONEADM_HELP } from '@zones/core/zoneadm/usage';
import { runOp, type GlobalFlags } from '../op.js';

export default class Apply extends ZoneCommand {
  static summary = ZONEADM_HELP.apply.summary;
  static usage = ['-z zone apply [-n] [-q]'];
  static flags = flagsOf('apply');
  static strict = true;
  protected readonly subcommand = 'apply';

  async run(): Promise<void> {
    const { flags } = (await this.parseArgs(Apply)) as unknown as { flags: GlobalFlags & { dryRun?: boolean; quiet?: boolean } };
    this.targetZone = flags.zone;
    await runOp('apply', flags, async (ctx) => {
      const { zoneadmApply } = await import('@zones/core/zoneadm/apply');
      await zoneadmApply(ctx, { dryRun: flags.dryRun, quiet: flags.quiet });
    });
  }
}
