/**
 * `zoneadm export -t oci-image DIR`: an OCI image layout (image-spec v1.0) of an installed zone
 * (docs/oci-image.md). One gzip layer: the zone's root as it is on disk (the zone's own ids;
 * idmapped mounts shift them at boot) with a sparse zone's inherit-pkg-dirs folded in from the
 * host, since a cluster node has no copy of this host's /usr. The config carries the zone's init
 * as the entrypoint, its bootargs as the command and its whole configuration as labels, which
 * `zonecfg create -o` reads back.
 *
 * The layout is written beside DIR and renamed into place at the end (oci/export-dir.ts,
 * docs/oci-image.md#writing-it).
 */
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { machine } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, createGzip } from 'node:zlib';
import { faultPoint } from '../fault-points.js';
import { runTool } from '../sys/tools.js';
import { ZoneadmError } from '../zoneadm/errors.js';
import { LAYOUT_FILE, MEDIA, REF_NAME, blobPath, sha256Hex, type Descriptor } from './layout.js';
import { discardExportDir, makeWorkDir, prepareExportDir, publishExportDir, zoneAreas } from './export-dir.js';
import { imageConfig, inheritedDirs, zoneEntrypoint } from './image-config.js';
import type { ExportSubject } from './subject.js';

/** A stream stage that hashes what passes through it. */
function hasher(): { stage: Transform; digest: () => string; size: () => number } {
  const h = createHash('sha256');
  let n = 0;
  const stage = new Transform({
    transform(chunk: Buffer, _enc, done) {
      h.update(chunk);
      n += chunk.length;
      done(null, chunk);
    },
  });
  return { stage, digest: () => `sha256:${h.digest('hex')}`, size: () => n };
}

/**
 * The tar arguments of the layer: the zone root as `./...`, without the contents of /proc, /sys
 * and /dev (mount points, filled at boot) and without the inherit-pkg-dir mount points, which
 * come from the host instead (absolute names, renamed to `./...`: GNU tar's excludes apply to
 * every member, so the host parts are told apart by their leading `/`).
 */
export function layerTarArgs(root: string, inherited: readonly string[]): string[] {
  const args = [
    '--create',
    '--file=-',
    '--format=posix',
    '--pax-option=delete=atime,delete=ctime',
    '--numeric-owner',
    '--xattrs',
    '--xattrs-include=*',
    '--sort=name',
    '--anchored',
    '--no-wildcards-match-slash',
  ];
  for (const d of ['proc', 'sys', 'dev']) args.push(`--exclude=./${d}/*`);
  for (const d of inherited) args.push('--no-wildcards', `--exclude=.${d}`, '--wildcards');
  args.push('-C', root, '.');
  if (inherited.length > 0) args.push('--absolute-names', '--transform=s,^/,./,S', ...inherited);
  return args;
}

async function writeLayer(root: string, inherited: readonly string[], blobs: string): Promise<{ layer: Descriptor; diffId: string }> {
  const tmp = join(blobs, '.layer');
  const plain = hasher();
  const packed = hasher();
  const out = createWriteStream(tmp, { mode: 0o644 });
  // Level 1: 40% less CPU than the default 6 for 10% more bytes on a host's /usr (docs/oci-image.md#writing-it).
  const gzip = createGzip({ level: constants.Z_BEST_SPEED });
  // A failed write (a full disk) must end tar too, or it would block on a pipe nobody reads.
  const stop = new AbortController();
  const done = pipeline(plain.stage, gzip, packed.stage, out).catch((e: unknown) => {
    stop.abort();
    throw e;
  });
  const tar = runTool('tar', layerTarArgs(root, inherited), { stdout: plain.stage, signal: stop.signal, env: { ...process.env, LC_ALL: 'C' } });
  // Both must end: tar's exit status and the last byte on disk (a full disk fails the pipeline first).
  for (const r of await Promise.allSettled([done, tar])) if (r.status === 'rejected') throw r.reason;
  const layer: Descriptor = { mediaType: MEDIA.layerGzip, digest: packed.digest(), size: packed.size() };
  renameSync(tmp, blobPath(join(blobs, '..', '..'), layer.digest));
  return { layer, diffId: plain.digest() };
}

/** Writes a JSON blob; returns its descriptor. */
function putJson(layout: string, mediaType: string, doc: unknown): Descriptor {
  const text = JSON.stringify(doc);
  const digest = `sha256:${sha256Hex(text)}`;
  writeFileSync(blobPath(layout, digest), text, { mode: 0o644 });
  return { mediaType, digest, size: Buffer.byteLength(text) };
}

export async function writeImage(subject: ExportSubject, dir: string): Promise<void> {
  const { ctx, entry, cfg } = subject;
  const root = join(cfg.globals.zonepath, 'root');
  const inherited = inheritedDirs(cfg);
  // tar would read the layer it is writing.
  const out = prepareExportDir(dir, [cfg.globals.zonepath, ...inherited], 'image', zoneAreas(ctx.store));
  const tmp = out.work;
  const init = zoneEntrypoint(root, inherited, cfg.globals.bootargs);
  if (init.entrypoint === undefined) {
    ctx.io.err(`zoneadm: zone '${entry.name}': WARNING: ${init.why}; the image has no entrypoint: give podman a command to run\n`);
  }
  try {
    // 0700: the layer holds the zone's whole root (its /etc/shadow, its users' files)
    makeWorkDir(out);
    mkdirSync(join(tmp, 'blobs'));
    mkdirSync(join(tmp, 'blobs', 'sha256'));
    const { layer, diffId } = await writeLayer(root, inherited, join(tmp, 'blobs', 'sha256'));
    faultPoint('export:image-layer');
    const created = new Date().toISOString();
    const config = putJson(tmp, MEDIA.config, imageConfig({ entry, cfg, init, diffId, created, architecture: machine() }));
    const annotations = { 'org.opencontainers.image.created': created, 'org.opencontainers.image.title': entry.name };
    const manifest = putJson(tmp, MEDIA.manifest, { schemaVersion: 2, mediaType: MEDIA.manifest, config, layers: [layer], annotations });
    const index = { schemaVersion: 2, mediaType: MEDIA.index, manifests: [{ ...manifest, annotations: { [REF_NAME]: entry.name } }] };
    writeFileSync(join(tmp, 'index.json'), JSON.stringify(index), { mode: 0o644 });
    // oci-layout last: a reader that finds it finds the rest.
    writeFileSync(join(tmp, LAYOUT_FILE), JSON.stringify({ imageLayoutVersion: '1.0.0' }), { mode: 0o644 });
    publishExportDir(out);
  } catch (e) {
    discardExportDir(out);
    if (e instanceof ZoneadmError) throw e;
    throw new ZoneadmError(`writing the image to ${dir} failed: ${(e as Error).message.split('\n')[0]}`);
  }
}
