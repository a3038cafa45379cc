/** zoneadm -z zone clone [-m copy] source_zone */
import * as Args from '@oclif/core/args';
import { ZONEADM_HELP } from '@zones/core/zoneadm/usage';
import { flagsOf, ZoneCommand } from '../zone-command.js';
import { runOp, type GlobalFlags } from '../op.js';

export default class Clone extends ZoneCommand {
  static summary = ZONEADM_HELP.clone.summary;
  static usage = ['-z zone clone [-m method] zonename'];
  static flags = flagsOf('clone');
  static args = { source: Args.string({ required: true, description: 'the zone to copy' }) };
  static strict = true;
  protected readonly subcommand = 'clone';

  async run(): Promise<void> {
    const { flags, args } = (await this.parseArgs(Clone)) as unknown as {
      flags: GlobalFlags & { method?: string };
      args: { source: string };
    };
    this.targetZone = flags.zone;
    await runOp('clone', flags, async (ctx) => {
      const { cloneZone } = await import('@zones/core/zoneadm/clone');
      await cloneZone(ctx, { source: args.source, method: flags.method });
    });
  }
}
