/** zoneadm -z zone mark incomplete   (private: mark -F configured|installed) */
import * as Args from '@oclif/core/args';
import { ZONEADM_HELP } from '@zones/core/zoneadm/usage';
import { flagsOf, ZoneCommand } from '../zone-command.js';
import { runOp, type GlobalFlags } from '../op.js';
import { subUsage } from '../common.js';

export default class Mark extends ZoneCommand {
  static summary = ZONEADM_HELP.mark.summary;
  static usage = ['-z zone mark incomplete'];
  static flags = flagsOf('mark');
  static args = { state: Args.string({ required: true, description: 'incomplete' }) };
  static strict = true;
  protected readonly subcommand = 'mark';

  async run(): Promise<void> {
    const { flags, args } = (await this.parseArgs(Mark)) as unknown as {
      flags: GlobalFlags & { force: boolean };
      args: { state: string };
    };
    this.targetZone = flags.zone;
    const state = args.state;
    if (state !== 'incomplete' && !(flags.force && (state === 'configured' || state === 'installed'))) subUsage('mark');
    await runOp('mark', flags, async (ctx) => {
      const { markZone } = await import('@zones/core/zoneadm/uninstall');
      markZone(ctx, state as 'incomplete' | 'configured' | 'installed');
    });
  }
}
