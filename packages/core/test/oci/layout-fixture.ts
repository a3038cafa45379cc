/** OCI image layouts made by hand for the import tests: any layers, any labels, and ways to break them. */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { writeTar, type TarEntry } from '../brands/helpers.js';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

export interface FixtureImage {
  /** Each layer's tar entries, bottom first. */
  layers: TarEntry[][];
  labels?: Record<string, string>;
  tag?: string;
}

/** Writes the layout into `dir` (created); returns the digests it used. */
export function writeLayout(dir: string, img: FixtureImage): { manifest: string; config: string; layers: string[] } {
  const blobs = join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const put = (b: Buffer | string) => {
    const h = sha(b);
    writeFileSync(join(blobs, h), b);
    return { digest: `sha256:${h}`, size: Buffer.byteLength(b) };
  };
  const layers = img.layers.map((entries, i) => {
    const tarPath = join(dir, `layer${i}.tar`);
    writeTar(tarPath, entries);
    const plain = readFileSync(tarPath);
    return { diffId: `sha256:${sha(plain)}`, ...put(gzipSync(plain)) };
  });
  const config = put(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Entrypoint: ['/sbin/init'], Labels: img.labels ?? {} },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    }),
  );
  const manifest = put(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: l.digest, size: l.size })),
    }),
  );
  writeIndex(dir, [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'org.opencontainers.image.ref.name': img.tag ?? 'latest' } }]);
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  return { manifest: manifest.digest, config: config.digest, layers: layers.map((l) => l.digest) };
}

export function writeIndex(dir: string, manifests: unknown[]): void {
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests }));
}

/** The blob file of a digest. */
export const blobFile = (dir: string, digest: string) => join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length));
