/** zoneadm -z zone verify   (docs/reference.md#31-what-is-validated, docs/reference.md#42-subcommands-and-states) */
import { ZoneCommand } from '../zone-command.js';
import { ZONEADM_HELP } from '@zones/core/zoneadm/usage';
import { runOp, type GlobalFlags } from '../op.js';

export default class Verify extends ZoneCommand {
  static summary = ZONEADM_HELP.verify.summary;
  static usage = ['-z zone verify'];
  static strict = true;
  protected readonly subcommand = 'verify';

  async run(): Promise<void> {
    const { flags } = (await this.parseArgs(Verify)) as unknown as { flags: GlobalFlags };
    this.targetZone = flags.zone;
    await runOp('verify', flags, async (ctx) => {
      const { verifyZone } = await import('@zones/core/zoneadm/verify');
      verifyZone(ctx);
    });
  }
}
