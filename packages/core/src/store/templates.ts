/**
 * zonecfg `create` templates. SUNWdefault is the Solaris 10 sparse-root default: brand native,
 * autoboot false, ip-type shared and one inherit-pkg-dir per system directory that is a real
 * directory on the host. SUNWblank has the same globals and no resources.
 *
 * inherit-pkg-dir order: /lib, /lib64, /bin, /sbin, /usr. That is the Solaris 10 SUNWdefault order
 * (/lib, /platform, /sbin, /usr) with the Linux-only directories slotted in FHS-style and /platform
 * (SPARC/x86 platform files, no Linux equivalent) left out. A directory that is a symlink (merged
 * /usr: /lib -> usr/lib) is skipped, because inheriting /usr already covers it; on Debian 12 the
 * result is /usr alone.
 */
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import type { ZoneConfig } from '../model/types.js';
import type { ZoneStore } from './zone-store.js';
import { SCHEMA, type Schema } from '../model/schema.js';

export const DEFAULT_TEMPLATE = 'SUNWdefault';
export const BLANK_TEMPLATE = 'SUNWblank';

/** Candidate inherit-pkg-dir directories, in the order they are added. */
export const INHERIT_PKG_DIR_CANDIDATES: readonly string[] = Object.freeze(['/lib', '/lib64', '/bin', '/sbin', '/usr']);

function isRealDir(p: string): boolean {
  try {
    return lstatSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** SUNWdefault for `zonename`; `hostRoot` is where the system directories are looked up. */
export function defaultTemplate(zonename: string, hostRoot = '/', schema: Schema = SCHEMA): ZoneConfig {
  return {
    globals: schema.defaultGlobals(zonename),
    resources: INHERIT_PKG_DIR_CANDIDATES.filter((d) => isRealDir(join(hostRoot, d))).map((dir) => ({
      type: 'inherit-pkg-dir' as const,
      props: { dir },
    })),
  };
}

/** SUNWblank for `zonename`: default globals, no resources. */
export function blankTemplate(zonename: string, schema: Schema = SCHEMA): ZoneConfig {
  return { globals: schema.defaultGlobals(zonename), resources: [] };
}

/**
 * `create -t <template>`: SUNWdefault, SUNWblank, or any zone that has a configuration (copied,
 * with only the zone name changed, as libzonecfg's zonecfg_get_template_handle does).
 * Returns undefined if there is no such template.
 */
export function resolveTemplate(
  template: string,
  store: ZoneStore,
  zonename: string,
  hostRoot = '/',
): ZoneConfig | undefined {
  if (template === DEFAULT_TEMPLATE) return defaultTemplate(zonename, hostRoot, store.schema);
  if (template === BLANK_TEMPLATE) return blankTemplate(zonename, store.schema);
  const cfg = store.load(template);
  if (!cfg) return undefined;
  const copy = structuredClone(cfg);
  copy.globals.zonename = zonename;
  return copy;
}
