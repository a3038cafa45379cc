/**
 * `zoneadm install -d PATH`: a zone root from a tar archive (plain, gzip, xz, zstd, bzip2; detected
 * by magic bytes), from an OCI image layout (oci-image.ts) or from a directory. Archives are listed and checked before anything is
 * unpacked (see tarball.ts); device nodes are never unpacked, since the zone's /dev is a tmpfs
 * built at boot and a device node elsewhere in a root would reach the host's devices.
 */
import { chmodSync, constants, copyFileSync, existsSync, realpathSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { runTool } from '../sys/tools.js';
import { splitReference } from '../oci/image-read.js';
import { isImageLayout } from '../oci/layout.js';
import { installImage } from './oci-image.js';
import { changeableByOthers, looksLikeRoot, walk } from './fsutil.js';
import { ensureMountPoints, prepareRoot } from './layout.js';
import { applyProfile } from './sysconfig.js';
import { compressionOf, listArchive, planArchive, unpackArchive } from './tarball.js';
import { InstallError, type InstallContext, type Installer } from './types.js';

/** Removes char and block device nodes under `root` (returns how many). */
export function removeDeviceNodes(root: string): number {
  let n = 0;
  for (const { path, stat } of walk(root)) {
    if (stat.isCharacterDevice() || stat.isBlockDevice()) {
      unlinkSync(path);
      n++;
    }
  }
  return n;
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

export class ArchiveInstaller implements Installer {
  async install(ctx: InstallContext): Promise<void> {
    const given = ctx.options.source;
    if (!given) throw new InstallError('no archive or directory given (install -d PATH)');
    let source = resolve(given);
    let tag: string | undefined;
    // DIR:TAG names one image of an OCI layout (docs/oci-image.md#the-way-back).
    const ref = splitReference(given);
    if (ref.tag !== undefined && !existsSync(source) && isImageLayout(resolve(ref.dir))) {
      source = resolve(ref.dir);
      tag = ref.tag;
    }
    let isDir: boolean;
    try {
      const st = statSync(source);
      if (!st.isDirectory() && !st.isFile()) throw new InstallError(`${given}: not a regular file or directory`);
      isDir = st.isDirectory();
    } catch (err) {
      if (err instanceof InstallError) throw err;
      throw new InstallError(`${given}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (err as Error).message}`);
    }
    prepareRoot(ctx.root);

    if (isDir && isImageLayout(source)) await installImage(ctx, source, tag, given);
    else if (isDir) await this.fromDirectory(ctx, source);
    else await this.fromArchive(ctx, source);

    if (!looksLikeRoot(ctx.root)) throw new InstallError(`${given} does not look like a root file system`);
    ensureMountPoints(ctx.root);
    ctx.progress.step('Applying the system profile');
    applyProfile(ctx.root, ctx.profile);
  }

  private async fromArchive(ctx: InstallContext, given: string): Promise<void> {
    // The archive is listed, checked and then unpacked by a second read: one that another user
    // could rewrite or swap in between is copied first, root's alone, and that copy is used.
    const open = changeableByOthers(given);
    const copy = join(ctx.zonepath, `.install-archive-${process.pid}`);
    let file = given;
    if (open !== undefined) {
      ctx.progress.log(`archive: ${open} can be changed by users other than root; installing from a copy\n`);
      rmSync(copy, { force: true });
      copyFileSync(given, copy, constants.COPYFILE_EXCL);
      chmodSync(copy, 0o600);
      file = copy;
    }
    try {
      await this.unpackChecked(ctx, file, given);
    } finally {
      rmSync(copy, { force: true });
    }
  }

  private async unpackChecked(ctx: InstallContext, file: string, given: string): Promise<void> {
    const compression = compressionOf(file);
    ctx.progress.step(`Checking ${given}`);
    const members = await listArchive(file, compression, ctx.signal);
    const plan = planArchive(given, members);
    if (plan.strippedTop) ctx.progress.log(`archive: stripping the top-level directory ${plan.strippedTop}/\n`);
    if (plan.devices.length) ctx.progress.log(`archive: not unpacking ${plan.devices.length} device node(s); the zone's /dev is created at boot\n`);
    ctx.progress.step(`Unpacking ${given}`);
    const scratch = join(ctx.zonepath, `.install-exclude-${process.pid}`);
    try {
      await unpackArchive(file, ctx.root, {
        compression,
        strip: plan.strip,
        exclude: plan.devices,
        xattrs: true,
        scratch,
        onOutput: (c) => ctx.progress.log(c),
        signal: ctx.signal,
      });
    } finally {
      rmSync(scratch, { force: true });
    }
  }

  private async fromDirectory(ctx: InstallContext, dir: string): Promise<void> {
    const real = realpathSync(dir);
    const zp = existsSync(ctx.zonepath) ? realpathSync(ctx.zonepath) : ctx.zonepath;
    if (isInside(zp, real) || isInside(real, zp)) throw new InstallError(`${dir} overlaps the zonepath ${ctx.zonepath}`);
    ctx.progress.step(`Copying ${dir}`);
    await runTool('cp', ['-a', '--reflink=auto', '--', `${real}/.`, `${ctx.root}/`], {
      onOutput: (c) => ctx.progress.log(c),
      signal: ctx.signal,
    });
    const n = removeDeviceNodes(ctx.root);
    if (n) ctx.progress.log(`directory: removed ${n} device node(s); the zone's /dev is created at boot\n`);
  }
}
