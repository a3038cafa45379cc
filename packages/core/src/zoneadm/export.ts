/**
 * `zoneadm -z NAME export -t TYPE` (ours; Solaris has no such subcommand): the installed zone in
 * the forms of the OCI and Kubernetes world, so that it runs on hosts without zones
 * (docs/scale.md). Each form lives in core/src/oci/; this module checks the request and the
 * zone, holds the zone's operation lock while its files are read, and dispatches.
 */
import { ZoneadmUsageError } from './errors.js';
import { acquireOpLocks } from './oplock.js';
import { checkTarget, precheck, sanityCheck, zoneEntry, type OpContext } from './sanity.js';
import { loadConfig, requireVerified } from './verify.js';

export const EXPORT_TYPES = ['oci-bundle', 'oci-image', 'kube'] as const;
export type ExportType = (typeof EXPORT_TYPES)[number];

export interface ExportRequest {
  /** -t */
  type?: string;
  /** The directory operand (oci-bundle, oci-image). */
  dir?: string;
  /** -i: the image a kube manifest runs. */
  image?: string;
}

/** A usage error with its reason first: `zoneadm: zone 'z': <why>`, then the usage (exit 2). */
function usage(ctx: OpContext, why: string): ZoneadmUsageError {
  ctx.io.err(`zoneadm: ${ctx.zone !== undefined ? `zone '${ctx.zone}': ` : ''}${why}\n`);
  return new ZoneadmUsageError('export');
}

function exportType(ctx: OpContext, t: string | undefined): ExportType {
  if (t === undefined) throw usage(ctx, 'an export type must be given with -t');
  if (!(EXPORT_TYPES as readonly string[]).includes(t)) {
    throw usage(ctx, `unknown export type '${t}': one of ${EXPORT_TYPES.join(', ')}`);
  }
  return t as ExportType;
}

export async function exportZone(ctx: OpContext, req: ExportRequest): Promise<void> {
  const type = exportType(ctx, req.type);
  if (type === 'kube') {
    if (req.dir !== undefined) throw usage(ctx, '-t kube prints the manifest; it takes no directory');
    // Only the configuration is read: any zone that exists, in any state.
    const zone = checkTarget(ctx, 'export');
    const entry = zoneEntry(ctx.store, zone);
    const cfg = loadConfig(ctx, zone);
    const { kubeManifest } = await import('../oci/kube.js');
    ctx.io.out(kubeManifest({ ctx, entry, cfg }, { image: req.image }));
    return;
  }
  if (req.image !== undefined) throw usage(ctx, '-i is for -t kube only');
  if (req.dir === undefined) throw usage(ctx, `-t ${type} needs a directory to write`);
  const zone = precheck(ctx, 'export').name;
  const release = acquireOpLocks(ctx.store.root, [zone], ctx.io);
  try {
    const entry = sanityCheck(ctx, 'export');
    const cfg = loadConfig(ctx, zone);
    requireVerified(ctx, 'export', entry, cfg);
    const subject = { ctx, entry, cfg };
    if (type === 'oci-bundle') {
      const { writeBundle } = await import('../oci/bundle.js');
      await writeBundle(subject, req.dir);
    } else {
      const { writeImage } = await import('../oci/image.js');
      await writeImage(subject, req.dir);
    }
  } finally {
    release();
  }
}
