/**
 * zoneadm -z zone install [-x nodataset] [-c profile] [-d path] [-r release] [-m mirror] [-v variant] [-a arch]
 */
import { flagsOf, ZoneCommand } from '../zone-command.js';
import { ZONEADM_HELP } from '@zones/core/zoneadm/usage';
import { interactive, runOp, type GlobalFlags } from '../op.js';

interface InstallFlags extends GlobalFlags {
  x?: string;
  profile?: string;
  source?: string;
  release?: string;
  mirror?: string;
  variant?: string;
  arch?: string;
}

export default class Install extends ZoneCommand {
  static summary = ZONEADM_HELP.install.summary;
  static usage = ['-z zone install [-x nodataset] [-c profile] [-d path] [-r release] [-m mirror] [-v variant] [-a arch]'];
  static flags = flagsOf('install');
  static strict = true;
  protected readonly subcommand = 'install';

  async run(): Promise<void> {
    const { flags } = (await this.parseArgs(Install)) as unknown as { flags: InstallFlags };
    this.targetZone = flags.zone;
    await runOp('install', flags, async (ctx) => {
      const [{ installPrecheck, installZone, lineDisplay }, { readProfile, buildProfile }, { loadBrands }, { ZoneadmError }] =
        await Promise.all([
          import('@zones/core/zoneadm/install'),
          import('@zones/core/zoneadm/profile'),
          import('../brands.js'),
          import('@zones/core/zoneadm/errors'),
        ]);
      const entry = installPrecheck(ctx);
      const brands = await loadBrands();
      const defaults = brands.defaultProfile(entry.name);
      let answers = {};
      if (flags.profile !== undefined) answers = readProfile(flags.profile);
      else if (interactive()) {
        const { askProfile } = await import('../ask.js');
        try {
          answers = await askProfile(defaults);
        } catch (err) {
          if ((err as Error).name === 'ExitPromptError') throw new ZoneadmError('install cancelled; nothing was changed.');
          throw err;
        }
        installPrecheck(ctx);
      }
      const profile = await buildProfile(defaults, answers, brands.hashPassword);

      const ac = new AbortController();
      let signals = 0;
      const onSignal = (sig: NodeJS.Signals) => {
        if (++signals > 1) process.exit(1); // second ^C: stop now; the zone is already incomplete
        ac.abort(new Error(sig));
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        const display = process.stdout.isTTY ? (await import('../progress.js')).spinnerDisplay() : lineDisplay(ctx.io);
        await installZone(ctx, {
          options: { source: flags.source, release: flags.release, mirror: flags.mirror, variant: flags.variant, arch: flags.arch },
          profile,
          installerFor: brands.installerFor,
          signal: ac.signal,
          display,
        });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
  }
}
