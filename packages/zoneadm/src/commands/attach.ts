/** zoneadm -z zone attach [-F] [-n path] */
import { flagsOf, ZoneCommand } from '../zone-command.js';
import { ZONEADM_HELP } from '@zones/core/zoneadm/usage';
import { runOp, type GlobalFlags } from '../op.js';

export default class Attach extends ZoneCommand {
  static summary = ZONEADM_HELP.attach.summary;
  static usage = ['-z zone attach [-F] [-n path]'];
  static flags = flagsOf('attach');
  static strict = true;
  protected readonly subcommand = 'attach';

  async run(): Promise<void> {
    const { flags } = (await this.parseArgs(Attach)) as unknown as {
      flags: GlobalFlags & { force: boolean; dryRun?: string };
    };
    this.targetZone = flags.zone;
    await runOp('attach', flags, async (ctx) => {
      const { attachZone } = await import('@zones/core/zoneadm/detach');
      attachZone(ctx, { force: flags.force, dryRunPath: flags.dryRun });
    });
  }
}
