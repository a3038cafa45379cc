/** zoneadm -z zone move new_zonepath */
import * as Args from '@oclif/core/args';
import { ZONEADM_HELP } from '@zones/core/zoneadm/usage';
import { ZoneCommand } from '../zone-command.js';
import { runOp, type GlobalFlags } from '../op.js';

export default class Move extends ZoneCommand {
  static summary = ZONEADM_HELP.move.summary;
  static usage = ['-z zone move zonepath'];
  static args = { zonepath: Args.string({ required: true, description: 'the new zonepath' }) };
  static strict = true;
  protected readonly subcommand = 'move';

  async run(): Promise<void> {
    const { flags, args } = (await this.parseArgs(Move)) as unknown as { flags: GlobalFlags; args: { zonepath: string } };
    this.targetZone = flags.zone;
    await runOp('move', flags, async (ctx) => {
      const { moveZone } = await import('@zones/core/zoneadm/move');
      await moveZone(ctx, args.zonepath);
    });
  }
}
