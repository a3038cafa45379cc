/**
 * Whole-root zones of the RPM family, built by rinse (`rinse --distribution centos-7 --directory
 * ROOT`). Cached like debootstrap roots. rinse's mirrors are not reachable from the machines this
 * project is tested on, so the argv is a pure function with unit tests and the steps after rinse
 * are tested with a stand-in runner (docs/brands.md).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runTool } from '../sys/tools.js';
import { installCached } from './cache.js';
import type { ToolRunner } from './debootstrap.js';
import { looksLikeRoot } from './fsutil.js';
import { hostArch } from './host.js';
import { ensureMountPoints, prepareRoot } from './layout.js';
import { applyProfile } from './sysconfig.js';
import { InstallError, type InstallContext, type Installer } from './types.js';

export interface RinseArgs {
  distribution: string;
  directory: string;
  arch?: string;
  /** rinse's configuration directory (`rinse.conf`, `DIST.packages`), passed explicitly when given. */
  configDir?: string;
}

/** rinse knows two architectures, with Debian's names. */
const RINSE_ARCHES = new Set(['amd64', 'i386']);

/** `rinse --distribution DIST --directory ROOT [--arch ARCH]`. */
export function rinseArgv(a: RinseArgs): string[] {
  const args = ['--distribution', a.distribution, '--directory', a.directory];
  if (a.arch) args.push('--arch', a.arch);
  if (a.configDir) args.push('--config', join(a.configDir, 'rinse.conf'), '--pkgs-dir', a.configDir);
  return args;
}

/**
 * The host's /etc/rinse, when it has one. rinse looks for its files in `<its bin>/../etc` first,
 * which on a host whose /usr/etc exists (node installs /usr/etc/npmrc) is the wrong place: it then
 * finds no package list and stops without building anything.
 */
export function rinseConfigDir(hostRoot: string): string | undefined {
  return existsSync(join(hostRoot, 'etc/rinse/rinse.conf')) ? '/etc/rinse' : undefined;
}

/**
 * What rinse said went wrong. rinse exits 0 when it cannot fetch its packages or finds no
 * package list, so its output is the only account of why no root was built.
 */
export function rinseFailure(output: string): string | undefined {
  const fetch = /Failed to fetch\s*:\s*(\S+)\s*\n\s*(.+)/.exec(output);
  if (fetch) return `rinse could not download its packages from ${fetch[1]} (${fetch[2]!.trim()})`;
  const list = /package list for the distribution (\S+) was not found/.exec(output);
  if (list) return `rinse has no package list for '${list[1]}' (rinse --list-distributions)`;
  const conf = /configuration file (\S+) was not found/.exec(output);
  if (conf) return `rinse found no configuration file ${conf[1]}`;
  return undefined;
}

/** Validates the release and arch of an rpm install; the release (distribution) is required. */
export async function planRinse(ctx: Pick<InstallContext, 'options'>): Promise<{ distribution: string; arch: string }> {
  const distribution = ctx.options.release;
  if (!distribution) throw new InstallError('the rpm brand needs a distribution: pass -r DIST (rinse --list-distributions shows them)');
  if (!/^[a-z0-9][a-z0-9.+-]*$/.test(distribution)) throw new InstallError(`invalid distribution '${distribution}'`);
  const arch = ctx.options.arch ?? (await hostArch());
  if (!RINSE_ARCHES.has(arch)) throw new InstallError(`rinse cannot install the architecture '${arch}' (amd64 or i386)`);
  return { distribution, arch };
}

export class RinseInstaller implements Installer {
  constructor(private readonly run: ToolRunner = runTool) {}

  async install(ctx: InstallContext): Promise<void> {
    const { distribution, arch } = await planRinse(ctx);
    prepareRoot(ctx.root);
    const describe = `${distribution} root (${arch})`;
    let said = '';
    await installCached(ctx, { distro: 'rinse', release: distribution, arch, variant: 'default', mirror: 'rinse.conf' }, describe, async (root) => {
      ctx.progress.step(`Installing ${distribution} (${arch}) with rinse`);
      await this.run('rinse', rinseArgv({ distribution, directory: root, arch, configDir: rinseConfigDir(ctx.hostRoot) }), {
        onOutput: (c) => {
          if (said.length < 65536) said += c;
          ctx.progress.log(c);
        },
        signal: ctx.signal,
      });
    });
    if (!looksLikeRoot(ctx.root)) {
      const why = rinseFailure(said);
      throw new InstallError(`${why ? `${why}: ` : ''}rinse left no root file system in ${ctx.root}`);
    }
    ensureMountPoints(ctx.root);
    ctx.progress.step('Applying the system profile');
    applyProfile(ctx.root, ctx.profile);
  }
}
