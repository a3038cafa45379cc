/** zoneadm -z zone verify   (zones-reference 3.1, 4.2) */
import { ZoneCommand } from '../zone-command.js';
import { runOp, type GlobalFlags } from '../op.js';

export default class Verify extends ZoneCommand {
  static summary = 'Check that the zone can be instantiated on this system.';
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
