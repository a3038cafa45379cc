/** zoneadm -z zone export -t oci-bundle|oci-image dir | -t kube [-i image] */
import * as Args from '@oclif/core/args';
import { ZONEADM_HELP } from '@zones/core/zoneadm/usage';
import { flagsOf, ZoneCommand } from '../zone-command.js';
import { runOp, type GlobalFlags } from '../op.js';

export default class Export extends ZoneCommand {
  static summary = ZONEADM_HELP.export.summary;
  static usage = ['-z zone export -t oci-bundle|oci-image dir', '-z zone export -t kube [-i image]'];
  static flags = flagsOf('export');
  static args = { dir: Args.string({ required: false, description: 'the directory to write (oci-bundle, oci-image)' }) };
  static strict = true;
  protected readonly subcommand = 'export';

  async run(): Promise<void> {
    const { flags, args } = (await this.parseArgs(Export)) as unknown as {
      flags: GlobalFlags & { type?: string; image?: string };
      args: { dir?: string };
    };
    this.targetZone = flags.zone;
    await runOp('export', flags, async (ctx) => {
      const { exportZone } = await import('@zones/core/zoneadm/export');
      await exportZone(ctx, { type: flags.type, dir: args.dir, image: flags.image });
    });
  }
}
