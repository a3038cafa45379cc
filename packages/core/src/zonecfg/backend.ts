/** The zonecfg session's view of the on-disk store ($ZONES_ROOT/etc/zones). */
import { accessSync, constants, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ZoneConfig } from '../model/types.js';
import type { Schema } from '../model/schema.js';
import type { ConfigBackend, ZoneStateName } from '../lang/session.js';
import { ZoneStore } from '../store/zone-store.js';
import { resolveTemplate } from '../store/templates.js';
import { IdmapError, IdmapStore, idmapKey } from '../store/idmap.js';

/** The zone's host ids, if it has them (a corrupt idmap file is reported by the boot that needs it). */
function zoneIdmap(root: string, entry: { name: string; uuid: string }) {
  try {
    return new IdmapStore(root).lookup(idmapKey(entry));
  } catch (e) {
    if (e instanceof IdmapError) return undefined;
    throw e;
  }
}

/** `schema`: the table the store reads and writes (this program's, unless a test extends it). */
export function storeBackend(root?: string, schema?: Schema): ConfigBackend {
  const store = new ZoneStore(root, { schema });
  return {
    lookup(name) {
      const entry = store.get(name);
      if (!entry || name === 'global') {
        // The global zone's own settings live in global.yaml when someone saved them.
        const cfg = name === 'global' ? store.load(name) : undefined;
        return cfg ? { config: cfg, state: 'installed' } : undefined;
      }
      const config = store.load(name);
      return config ? { config, state: entry.state as ZoneStateName, idmap: zoneIdmap(store.root, entry) } : undefined;
    },
    template(name) {
      return resolveTemplate(name, store, name);
    },
    save(config, previousName) {
      store.save(config, previousName !== undefined ? { previousName } : {});
    },
    remove(name) {
      store.remove(name);
    },
    writable() {
      // The nearest existing directory on the way to etc/zones decides, as a save would create the rest.
      for (let dir = store.configDir; ; dir = dirname(dir)) {
        try {
          accessSync(dir, constants.W_OK);
          return true;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || dir === dirname(dir)) return false;
        }
      }
    },
    async detached(path) {
      const { DETACHED_MANIFEST } = await import('../zoneadm/paths.js');
      const { parseManifest } = await import('../zoneadm/detach.js');
      let text: string;
      try {
        text = readFileSync(join(path, DETACHED_MANIFEST), 'utf8');
      } catch {
        return 'no-manifest';
      }
      try {
        const m = parseManifest(text, path);
        return { globals: { ...m.config.globals }, resources: m.config.resources } as ZoneConfig;
      } catch {
        return 'invalid-manifest';
      }
    },
    writeFile(path, text) {
      writeFileSync(path, text, { mode: 0o644 });
    },
  };
}
