/** zoneadm -z zone boot [-- boot_arguments]   (legacy: boot -s) */
import { flagsOf, ZoneCommand } from '../zone-command.js';
import type { GlobalFlags } from '../op.js';
import { runLifecycle } from '../lifecycle-main.js';

export default class Boot extends ZoneCommand {
  static summary = 'Boot the zone (installed or ready -> running); returns once its init runs.';
  static description =
    'Arguments after -- go to the zone (e.g. -i zsched for the built-in minimal init, -i /sbin/init, ' +
    '-s, -m verbose) and replace the configured bootargs. -s alone is the legacy single-user boot.';
  static usage = ['-z zone boot [-- boot_arguments]'];
  static flags = flagsOf('boot');
  static strict = false;
  protected readonly subcommand = 'boot';

  async run(): Promise<void> {
    const { flags, operands, tail } = await this.parseWithTail(Boot);
    const f = flags as unknown as GlobalFlags & { single: boolean };
    this.targetZone = f.zone;
    await runLifecycle('boot', f, { single: f.single, operands, tail });
  }
}
