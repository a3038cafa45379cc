/**
 * Whole-root zones of the Debian family, built by debootstrap. Defaults come from the host: the
 * suite is its VERSION_CODENAME, the mirror is its own apt source for that suite, the architecture
 * is dpkg's, the variant minbase. Roots are cached (cache.ts), so only the first install of a
 * suite/arch/variant/mirror pays for the bootstrap.
 */
import { runTool, type RunOptions, type RunResult } from '../sys/tools.js';
import { installCached } from './cache.js';
import { hostArch, mirrorForSuite, readAptSources, readOsRelease } from './host.js';
import { ensureMountPoints, prepareRoot } from './layout.js';
import { looksLikeRoot } from './fsutil.js';
import { applyProfile } from './sysconfig.js';
import { InstallError, type InstallContext, type Installer } from './types.js';

/** How installers run a tool; tests substitute a fake (rinse's mirrors are not reachable here). */
export type ToolRunner = (tool: string, args: readonly string[], opts?: RunOptions) => Promise<RunResult>;

export interface DebootstrapArgs {
  suite: string;
  target: string;
  mirror: string;
  variant: string;
  arch: string;
}

/** `debootstrap --variant=V --arch=A SUITE TARGET MIRROR` (variant `buildd`/`fakechroot`/`minbase`/`-` for the default). */
export function debootstrapArgv(a: DebootstrapArgs): string[] {
  const args: string[] = [];
  if (a.variant && a.variant !== '-' && a.variant !== 'default') args.push(`--variant=${a.variant}`);
  args.push(`--arch=${a.arch}`, a.suite, a.target, a.mirror);
  return args;
}

export interface DebootstrapPlan extends Omit<DebootstrapArgs, 'target'> {
  distro: string;
}

const SUITE_RE = /^[a-z0-9][a-z0-9.+-]*$/;
const VARIANTS = new Set(['minbase', 'buildd', 'fakechroot', '-', 'default']);

/** Resolves the suite, mirror, variant and arch of an install from the options and the host. */
export async function planDebootstrap(ctx: Pick<InstallContext, 'options' | 'hostRoot'>): Promise<DebootstrapPlan> {
  const os = readOsRelease(ctx.hostRoot);
  const suite = ctx.options.release ?? os.VERSION_CODENAME;
  if (!suite) throw new InstallError('cannot tell the host release (no VERSION_CODENAME in /etc/os-release): pass -r SUITE');
  if (!SUITE_RE.test(suite)) throw new InstallError(`invalid release '${suite}'`);
  const variant = ctx.options.variant ?? 'minbase';
  if (!VARIANTS.has(variant)) throw new InstallError(`invalid variant '${variant}' (minbase, buildd or fakechroot)`);
  let mirror = ctx.options.mirror;
  if (!mirror) {
    mirror = mirrorForSuite(readAptSources(ctx.hostRoot), suite);
    if (!mirror) throw new InstallError(`no apt source of this host serves '${suite}': pass the mirror with -m URL`);
  }
  if (!/^(https?|ftp|file):\/?\//.test(mirror)) throw new InstallError(`invalid mirror '${mirror}' (expected an http, https, ftp or file URL)`);
  const arch = ctx.options.arch ?? (await hostArch());
  if (!/^[a-z0-9-]+$/.test(arch)) throw new InstallError(`invalid architecture '${arch}'`);
  // the distribution debootstrap will fetch: the host's ID when its own suite, else named by the suite alone
  const distro = ctx.options.release && ctx.options.release !== os.VERSION_CODENAME ? 'debootstrap' : (os.ID ?? 'debootstrap');
  return { distro, suite, mirror, variant, arch };
}

export class DebootstrapInstaller implements Installer {
  constructor(private readonly run: ToolRunner = runTool) {}

  async install(ctx: InstallContext): Promise<void> {
    const plan = await planDebootstrap(ctx);
    prepareRoot(ctx.root);
    const describe = `${plan.suite} root (${plan.variant}, ${plan.arch})`;
    await installCached(ctx, { distro: plan.distro, release: plan.suite, arch: plan.arch, variant: plan.variant, mirror: plan.mirror }, describe, async (root) => {
      ctx.progress.step(`Bootstrapping ${plan.suite} (${plan.variant}, ${plan.arch}) from ${plan.mirror}`);
      await this.run('debootstrap', debootstrapArgv({ ...plan, target: root }), {
        onOutput: (c) => ctx.progress.log(c),
        signal: ctx.signal,
      });
    });
    if (!looksLikeRoot(ctx.root)) throw new InstallError(`debootstrap left no root file system in ${ctx.root}`);
    ensureMountPoints(ctx.root);
    ctx.progress.step('Applying the system profile');
    applyProfile(ctx.root, ctx.profile);
  }
}
