/** zoneadm -z zone attach [-F] [-n path] [-u | -U] */
import { baseFlagsOf, flagsOf, ZoneCommand } from '../zone-command.js';
import { ZONEADM_HELP } from '@zones/core/zoneadm/usage';
import { runOp, type GlobalFlags } from '../op.js';

export default class Attach extends ZoneCommand {
  static summary = ZONEADM_HELP.attach.summary;
  static usage = ['-z zone attach [-F] [-n path] [-u | -U]'];
  static baseFlags = baseFlagsOf('attach');
  static flags = flagsOf('attach');
  static strict = true;
  protected readonly subcommand = 'attach';

  async run(): Promise<void> {
    const { flags } = (await this.parseArgs(Attach)) as unknown as {
      flags: GlobalFlags & { force: boolean; dryRun?: string; update: boolean; updateAll: boolean };
    };
    this.targetZone = flags.zone;
    await runOp('attach', flags, async (ctx) => {
      const { attachZone } = await import('@zones/core/zoneadm/detach');
      attachZone(ctx, { force: flags.force, dryRunPath: flags.dryRun, update: flags.updateAll ? 'all' : flags.update ? 'min' : undefined });
    });
  }
}
