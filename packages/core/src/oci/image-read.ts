/**
 * Reading an OCI image layout back (`zonecfg create -o DIR`, `zoneadm install -d DIR`): the one
 * image of index.json (or the one tagged TAG), its manifest and config, digests checked. The
 * layout is untrusted (docs/oci-image.md#the-way-back); see layout.ts for the file checks.
 */
import { LABELS, LAYOUT_FILE, LayoutError, MEDIA, REF_NAME, descriptor, readJsonBlob, readLayoutJson, type Descriptor } from './layout.js';

export interface ImageRead {
  manifest: Descriptor;
  /** The image config's `config` object (Entrypoint, Cmd, Env, Labels...). */
  config: Record<string, unknown>;
  labels: Record<string, string>;
  /** The layers, bottom first. */
  layers: Descriptor[];
}

const LAYER_TYPES: ReadonlySet<string> = new Set([MEDIA.layerGzip, MEDIA.layerTar, MEDIA.layerZstd, 'application/vnd.docker.image.rootfs.diff.tar.gzip']);

/** Splits `DIR:TAG` (the form podman and skopeo take after `oci:`); a DIR with no colon has no tag. */
export function splitReference(ref: string): { dir: string; tag?: string } {
  const i = ref.lastIndexOf(':');
  if (i <= 0 || ref.slice(i + 1).includes('/')) return { dir: ref };
  return { dir: ref.slice(0, i), tag: ref.slice(i + 1) };
}

export function readImage(dir: string, tag?: string): ImageRead {
  const layout = readLayoutJson(dir, LAYOUT_FILE);
  if (layout.imageLayoutVersion !== '1.0.0') throw new LayoutError(`unsupported image layout version '${String(layout.imageLayoutVersion)}'`);
  const index = readLayoutJson(dir, 'index.json');
  if (!Array.isArray(index.manifests)) throw new LayoutError('index.json lists no manifests');
  const all = index.manifests.map((m, i) => descriptor(m, `index.json manifest ${i + 1}`));
  const picked = tag !== undefined ? all.filter((m) => m.annotations?.[REF_NAME] === tag) : all;
  if (picked.length === 0) throw new LayoutError(tag !== undefined ? `no image tagged '${tag}' in the layout` : 'the layout holds no image');
  if (picked.length > 1) throw new LayoutError(`the layout holds ${picked.length} images${tag !== undefined ? ` tagged '${tag}'` : ''}; name one as DIR:TAG`);
  const manifest = picked[0]!;
  if (manifest.mediaType !== MEDIA.manifest) throw new LayoutError(`unsupported manifest type '${manifest.mediaType}' (an image manifest expected)`);
  const m = readJsonBlob(dir, manifest, 'manifest');
  const configDesc = descriptor(m.config, 'config');
  if (configDesc.mediaType !== MEDIA.config) throw new LayoutError(`unsupported config type '${configDesc.mediaType}'`);
  if (!Array.isArray(m.layers)) throw new LayoutError('the manifest lists no layers');
  const layers = m.layers.map((l, i) => descriptor(l, `layer ${i + 1}`));
  for (const l of layers) if (!LAYER_TYPES.has(l.mediaType)) throw new LayoutError(`unsupported layer type '${l.mediaType}'`);
  const doc = readJsonBlob(dir, configDesc, 'config');
  if (doc.os !== undefined && doc.os !== 'linux') throw new LayoutError(`the image is for '${String(doc.os)}', not linux`);
  const config = typeof doc.config === 'object' && doc.config !== null ? (doc.config as Record<string, unknown>) : {};
  const labels: Record<string, string> = {};
  if (typeof config.Labels === 'object' && config.Labels !== null) {
    for (const [k, v] of Object.entries(config.Labels as Record<string, unknown>)) if (typeof v === 'string') labels[k] = v;
  }
  return { manifest, config, labels, layers };
}

/** The zonecfg export text the image carries, if it was made by `zoneadm export -t oci-image`. */
export function zoneConfigLabel(img: ImageRead): string | undefined {
  return img.labels[LABELS.config];
}
