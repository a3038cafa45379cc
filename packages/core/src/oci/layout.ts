/**
 * The OCI image layout on disk (image-spec v1.0: `oci-layout`, `index.json`, `blobs/sha256/`),
 * shared by the writer (`zoneadm export -t oci-image`) and the readers (`zonecfg create -o`,
 * `zoneadm install -d`). A layout given to the readers is untrusted input: digests are checked
 * against a strict pattern before they name a file, blobs must be regular files (never a link to
 * a host file), JSON documents are size-capped, and every blob is hashed before it is used
 * (docs/oci-image.md).
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, createReadStream, createWriteStream, fstatSync, openSync, readFileSync } from 'node:fs';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';

export const LAYOUT_FILE = 'oci-layout';
export const MEDIA = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  layerTar: 'application/vnd.oci.image.layer.v1.tar',
  layerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
} as const;
/** The annotation that names a manifest of index.json (the TAG of `oci:DIR:TAG`). */
export const REF_NAME = 'org.opencontainers.image.ref.name';
/** The labels that carry the zone (docs/oci-image.md#labels). */
export const LABELS = {
  config: 'org.zones.config',
  zonename: 'org.zones.zonename',
  brand: 'org.zones.brand',
  distribution: 'org.zones.distribution',
  architecture: 'org.zones.architecture',
  init: 'org.zones.init',
} as const;

/** Largest index, manifest or config accepted from a layout (a hostile one could be huge). */
const MAX_JSON = 4 * 1024 * 1024;

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

export class LayoutError extends Error {}

const DIGEST = /^sha256:([a-f0-9]{64})$/;

/** The file of a blob; throws on a digest that is not `sha256:<64 hex>` (it must never name a path). */
export function blobPath(dir: string, digest: unknown): string {
  const m = typeof digest === 'string' ? DIGEST.exec(digest) : null;
  if (!m) throw new LayoutError(`unsupported or malformed digest '${String(digest).slice(0, 80)}'`);
  return join(dir, 'blobs', 'sha256', m[1]!);
}

/** Opens a file of the layout read-only, refusing a symbolic link or anything but a regular file. */
function openRegular(path: string, what: string): number {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new LayoutError(code === 'ENOENT' ? `${what} is missing` : code === 'ELOOP' ? `${what} is a symbolic link` : `${what}: ${(e as Error).message}`);
  }
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw new LayoutError(`${what} is not a regular file`);
  }
  return fd;
}

function readSmall(path: string, what: string): Buffer {
  const fd = openRegular(path, what);
  try {
    if (fstatSync(fd).size > MAX_JSON) throw new LayoutError(`${what} is larger than ${MAX_JSON} bytes`);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

function parseJson(buf: Buffer, what: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(buf.toString('utf8'));
  } catch {
    throw new LayoutError(`${what} is not valid JSON`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new LayoutError(`${what} is not a JSON object`);
  return doc as Record<string, unknown>;
}

/** A JSON file of the layout (oci-layout, index.json). */
export function readLayoutJson(dir: string, name: string): Record<string, unknown> {
  return parseJson(readSmall(join(dir, name), name), name);
}

export function sha256Hex(buf: Buffer | string): string {
  return createHash('sha256').update(buf).digest('hex');
}

/** A small blob (manifest, config), its size and digest checked against its descriptor. */
export function readJsonBlob(dir: string, d: Descriptor, what: string): Record<string, unknown> {
  const buf = readSmall(blobPath(dir, d.digest), `the ${what} blob`);
  if (buf.length !== d.size || `sha256:${sha256Hex(buf)}` !== d.digest) throw new LayoutError(`the ${what} blob does not match its digest`);
  return parseJson(buf, `the ${what}`);
}

/**
 * Streams a (large) blob through sha256 and checks it against its descriptor; returns its path.
 * With `copyTo`, the bytes hashed are also written to that new file (0600), and its path is
 * returned: what is checked is then what is used, whatever happens to the blob afterwards (an
 * image's owner may rewrite it between a check and a later read by path).
 */
export async function verifyBlob(dir: string, d: Descriptor, what: string, copyTo?: string): Promise<string> {
  const path = blobPath(dir, d.digest);
  const fd = openRegular(path, `the ${what} blob`);
  const hash = createHash('sha256');
  let size = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      hash.update(chunk);
      done(null, copyTo === undefined ? undefined : chunk);
    },
  });
  const sink = copyTo !== undefined ? createWriteStream(copyTo, { flags: 'wx', mode: 0o600 }) : new Writable({ write: (_c, _e, done) => done() });
  await pipeline(createReadStream('', { fd, autoClose: true }), count, sink);
  if (size !== d.size || `sha256:${hash.digest('hex')}` !== d.digest) throw new LayoutError(`the ${what} blob does not match its digest`);
  return copyTo ?? path;
}

/** A descriptor read from untrusted JSON, or a LayoutError saying which one is malformed. */
export function descriptor(v: unknown, what: string): Descriptor {
  const o = v as Record<string, unknown> | null;
  if (typeof o !== 'object' || o === null || typeof o.mediaType !== 'string' || typeof o.size !== 'number' || !Number.isSafeInteger(o.size) || o.size < 0) {
    throw new LayoutError(`the ${what} descriptor is malformed`);
  }
  blobPath('', o.digest);
  const annotations = typeof o.annotations === 'object' && o.annotations !== null ? (o.annotations as Record<string, string>) : undefined;
  return { mediaType: o.mediaType, digest: o.digest as string, size: o.size, annotations };
}

/** Whether `dir` holds an OCI image layout (its `oci-layout` file is there). */
export function isImageLayout(dir: string): boolean {
  try {
    closeSync(openRegular(join(dir, LAYOUT_FILE), LAYOUT_FILE));
    return true;
  } catch {
    return false;
  }
}
