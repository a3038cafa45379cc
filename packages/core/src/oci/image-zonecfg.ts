/**
 * `zonecfg -z NEW create -o DIR[:TAG]`: a zone configuration from an OCI image's labels
 * (docs/oci-image.md#the-way-back). The `org.zones.config` label is `zonecfg export` text; it is
 * replayed through the zonecfg language itself in a session whose store is memory only, so a
 * label can do nothing a command file could not, and touches no file. Then the image is treated
 * as what it is, input from anyone (a student's image on a teacher's host): what names this
 * host's files, devices, links or grants rights on it is left out, each with a line saying so.
 */
import type { ZoneConfig } from '../model/types.js';
import { defaultPrivileges, parseLimitpriv } from '../model/privileges.js';
import { blankTemplate } from '../store/templates.js';
import { Session, type ConfigBackend } from '../lang/session.js';
import { readImage, splitReference, zoneConfigLabel } from './image-read.js';
import { LayoutError } from './layout.js';

export interface ImportedConfig {
  config: ZoneConfig;
  /** One line per thing of the image's configuration that was left out, and why. */
  notes: string[];
}

/** Largest label text replayed (a real configuration is a few KiB). */
const MAX_LABEL = 256 * 1024;

/** Replays export text into a configuration, in memory; undefined plus the errors when it does not verify. */
async function replay(text: string): Promise<{ config?: ZoneConfig; errors: string[] }> {
  let saved: ZoneConfig | undefined;
  const errors: string[] = [];
  const memory: ConfigBackend = {
    lookup: () => undefined,
    template: (name) => (name === 'SUNWblank' ? blankTemplate('image') : undefined),
    save: (config) => {
      saved = structuredClone(config);
    },
    remove: () => {},
    writable: () => true,
    writeFile: () => {
      throw new Error('writing files is not allowed here');
    },
    detached: async () => 'no-manifest',
  };
  const io = { out: () => {}, err: (l: string) => void errors.push(l), confirm: async () => false };
  const session = new Session(memory, io, { zonename: 'image', mode: 'file', fileName: 'org.zones.config' });
  await session.run(text);
  if (!session.sawError) await session.commit();
  return session.sawError ? { errors } : { config: saved, errors };
}

function describe(r: ZoneConfig['resources'][number]): string {
  const keys = ['dir', 'special', 'type', 'physical', 'address', 'match', 'name', 'user'];
  const props = keys.filter((k) => typeof r.props[k] === 'string' && r.props[k] !== '').map((k) => `${k}=${String(r.props[k])}`);
  return [r.type, ...props].join(' ');
}

/** Resources that name something of the host (files, devices, links, datasets, users). */
const HOST_RESOURCES: Readonly<Record<string, string>> = {
  fs: 'it mounts a file system of this host',
  device: "it gives the zone one of this host's devices",
  net: "it names this host's network links",
  dataset: "it names one of this host's datasets",
  admin: 'it grants a user of this host rights on the zone',
  'dedicated-cpu': "it takes CPUs of this host from every other zone",
};

/** What of an image's configuration this host takes (pure; the rules of docs/oci-image.md#the-way-back). */
export function neutralize(cfg: ZoneConfig, zonename: string): ImportedConfig {
  const notes: string[] = [];
  const config = structuredClone(cfg);
  config.globals.zonename = zonename;
  if (config.globals.zonepath) notes.push(`zonepath ${config.globals.zonepath} not taken from the image: set a zonepath`);
  config.globals.zonepath = '';
  const ipType = config.globals['ip-type'] === 'exclusive' ? 'exclusive' : 'shared';
  const lp = config.globals.limitpriv;
  if (lp) {
    const r = parseLimitpriv(lp, ipType);
    const defaults = new Set(defaultPrivileges(ipType));
    if (!r.ok || r.privileges.some((p) => !defaults.has(p))) {
      notes.push(`limitpriv=${lp} not taken from the image: the zone gets the default privileges`);
      config.globals.limitpriv = '';
    }
  }
  if (config.globals['fs-allowed']) {
    notes.push(`fs-allowed=${config.globals['fs-allowed']} not taken from the image`);
    config.globals['fs-allowed'] = '';
  }
  // What takes from other zones or the host's start-up is the admin's to grant, not the image's.
  if (config.globals.autoboot === 'true') {
    notes.push('autoboot=true not taken from the image: set it if the zone is to boot with the host');
    config.globals.autoboot = 'false';
  }
  const kept = config.resources.filter((r) => r.type === 'rctl' || r.type === 'capped-memory' || r.type === 'capped-cpu');
  if (kept.length > 0) notes.push(`the image's resource controls are kept: ${[...new Set(kept.map((r) => r.type === 'rctl' ? String(r.props.name) : r.type))].join(', ')}`);
  const inherited = config.resources.filter((r) => r.type === 'inherit-pkg-dir');
  if (inherited.length > 0) notes.push(`inherit-pkg-dir ${inherited.map((r) => String(r.props.dir)).join(' ')} not taken: the image carries their files`);
  config.resources = config.resources.filter((r) => {
    if (r.type === 'inherit-pkg-dir') return false;
    const why = HOST_RESOURCES[r.type];
    if (why === undefined) return true;
    notes.push(`${describe(r)} not taken from the image: ${why}`);
    return false;
  });
  return { config, notes };
}

/** The configuration for zone `zonename` from the image at `ref` (DIR or DIR:TAG), or why there is none. */
export async function configFromImage(ref: string, zonename: string): Promise<ImportedConfig | { error: string }> {
  const { dir, tag } = splitReference(ref);
  let text: string | undefined;
  try {
    text = zoneConfigLabel(readImage(dir, tag));
  } catch (e) {
    if (e instanceof LayoutError) return { error: `${ref}: not a usable OCI image layout: ${e.message}` };
    return { error: `${ref}: ${(e as Error).message}` };
  }
  if (text === undefined) {
    return { config: blankTemplate(zonename), notes: [`${ref}: the image carries no zone configuration; starting from a blank one`] };
  }
  if (text.length > MAX_LABEL) return { error: `${ref}: the image's zone configuration is larger than ${MAX_LABEL} bytes` };
  const { config, errors } = await replay(text);
  if (!config) return { error: `${ref}: the image's zone configuration is invalid: ${errors.find((l) => !l.startsWith('On line')) ?? 'it does not verify'}` };
  return neutralize(config, zonename);
}
