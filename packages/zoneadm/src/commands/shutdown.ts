/** zoneadm -z zone shutdown [-r [-- boot_arguments]] */
import { flagsOf, ZoneCommand } from '../zone-command.js';
import type { GlobalFlags } from '../op.js';
import { runLifecycle } from '../lifecycle-main.js';

export default class Shutdown extends ZoneCommand {
  static summary = "Shut the zone down gracefully through its init (-r: boot it again).";
  static description =
    'Asks the init to power off (SIGRTMIN+3 for systemd, SIGPWR for sysvinit-style inits, SIGTERM ' +
    'otherwise), waits up to $ZONES_SHUTDOWN_TIMEOUT seconds (default 30) showing what still runs, ' +
    'then halts what is left.';
  static usage = ['-z zone shutdown [-r [-- boot_arguments]]'];
  static flags = flagsOf('shutdown');
  static strict = false;
  protected readonly subcommand = 'shutdown';

  async run(): Promise<void> {
    const { flags, operands, tail } = await this.parseWithTail(Shutdown);
    const f = flags as unknown as GlobalFlags & { reboot: boolean };
    this.targetZone = f.zone;
    await runLifecycle('shutdown', f, { reboot: f.reboot, operands, tail });
  }
}
