/**
 * `zoneadm install -d DIR[:TAG]` where DIR is an OCI image layout (it has an `oci-layout` file):
 * the image's layers, bottom first, become the zone root (docs/oci-image.md#the-way-back). An
 * image is untrusted input. Every blob is hashed against its digest before use; each layer's
 * listing passes the archive checks of tarball.ts (absolute names, `..`, members under a link of
 * the same layer, hard links out, device nodes skipped); and a layer above the first may not
 * write through, nor hard-link through, a symbolic link an earlier layer left on disk (a layer
 * that makes `etc -> /etc` and one that then writes `etc/shadow`). Whiteouts (`.wh.NAME`,
 * `.wh..wh..opq`) remove what the layers below made, inside the root only. Owners are kept as
 * stored: they are the zone's own ids, shifted by its user namespace at boot.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join, posix } from 'node:path';
import { readImage } from '../oci/image-read.js';
import { LayoutError, verifyBlob } from '../oci/layout.js';
import { lstatIn, normalizeMember, removeIn } from './fsutil.js';
import { compressionOf, listArchive, planArchive, unpackArchive, type Member } from './tarball.js';
import { InstallError, type InstallContext } from './types.js';

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

/** The first parent of `rel` (or `rel` itself with `self`) that is a symbolic link on disk under `root`. */
function linkOnTheWay(root: string, rel: string, self = false): string | undefined {
  const parts = normalizeMember(rel).split('/').filter((p) => p !== '');
  const upto = self ? parts.length : parts.length - 1;
  for (let i = 1; i <= upto; i++) {
    const prefix = parts.slice(0, i).join('/');
    const st = lstatIn(root, prefix);
    if (st === undefined) return undefined;
    if (st.isSymbolicLink()) return prefix;
  }
  return undefined;
}

/** Applies one layer's whiteouts to what the layers below left in `root`. */
function applyWhiteouts(root: string, whiteouts: readonly Member[], refuse: (why: string) => never): void {
  for (const m of whiteouts) {
    const n = normalizeMember(m.raw);
    const dir = posix.dirname(n) === '.' ? '' : posix.dirname(n);
    const name = posix.basename(n);
    if (dir !== '' && linkOnTheWay(root, dir, true)) refuse(`whiteout '${m.raw}' lies under a symbolic link`);
    if (name === OPAQUE) {
      if (dir === '') {
        for (const e of readdirSync(root)) removeIn(root, e);
      } else if (lstatIn(root, dir)?.isDirectory()) {
        for (const e of readdirSync(join(root, dir))) removeIn(root, `${dir}/${e}`);
      }
    } else {
      const target = name.slice(WHITEOUT.length);
      if (target === '' || target === '.' || target === '..') refuse(`whiteout '${m.raw}' names nothing`);
      removeIn(root, dir === '' ? target : `${dir}/${target}`);
    }
  }
}

/** Unpacks the image at `dir` (`tag`: which of its images) into `ctx.root`, layer by layer. */
export async function installImage(ctx: InstallContext, dir: string, tag: string | undefined, given: string): Promise<void> {
  let img;
  try {
    img = readImage(dir, tag);
  } catch (e) {
    if (e instanceof LayoutError) throw new InstallError(`${given}: not a usable OCI image layout: ${e.message}`);
    throw e;
  }
  const scratch = join(ctx.zonepath, `.install-exclude-${process.pid}`);
  const copy = join(ctx.zonepath, `.install-layer-${process.pid}`);
  try {
    for (const [i, layer] of img.layers.entries()) {
      const what = `layer ${i + 1} of ${img.layers.length}`;
      const refuse = (why: string): never => {
        throw new InstallError(`${given}: refusing to install: ${what}: ${why}`);
      };
      ctx.progress.step(`Checking ${what} (${layer.digest.slice(7, 19)})`);
      // The layer is checked, listed and unpacked from one root-only copy: the image's owner may
      // rewrite a blob of theirs between a check and a later read of it by path.
      rmSync(copy, { force: true });
      let blob: string;
      try {
        blob = await verifyBlob(dir, layer, what, copy);
      } catch (e) {
        if (e instanceof LayoutError) throw new InstallError(`${given}: not a usable OCI image layout: ${e.message}`);
        throw e;
      }
      const compression = compressionOf(blob);
      const members = await listArchive(blob, compression, ctx.signal);
      // The archive checks (tarball.ts); an image layer is never stripped of a top directory.
      const plan = planArchive(`${given} (${what})`, members);
      const whiteouts = members.filter((m) => posix.basename(normalizeMember(m.raw)).startsWith(WHITEOUT));
      if (i > 0) {
        for (const m of members) {
          const via = linkOnTheWay(ctx.root, m.raw) ?? (m.type === 'hardlink' && m.target !== undefined ? linkOnTheWay(ctx.root, m.target, true) : undefined);
          if (via !== undefined) refuse(`'${m.raw}' would be written through the symbolic link '${via}' of a layer below`);
        }
      }
      applyWhiteouts(ctx.root, whiteouts, refuse);
      if (plan.devices.length) ctx.progress.log(`${what}: not unpacking ${plan.devices.length} device node(s); the zone's /dev is created at boot\n`);
      ctx.progress.step(`Unpacking ${what}`);
      await unpackArchive(blob, ctx.root, {
        compression,
        exclude: [...plan.devices, ...whiteouts.map((m) => m.raw)],
        xattrs: true,
        scratch,
        onOutput: (c) => ctx.progress.log(c),
        signal: ctx.signal,
      });
    }
  } finally {
    rmSync(scratch, { force: true });
    rmSync(copy, { force: true });
  }
}
