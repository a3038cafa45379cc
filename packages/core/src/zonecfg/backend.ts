/** The zonecfg session's view of the on-disk store ($ZONES_ROOT/etc/zones). */
import { accessSync, constants, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ZoneConfig } from '../model/types.js';
import type { Schema } from '../model/schema.js';
import type { ConfigBackend, ZoneStateName } from '../lang/session.js';
import { ZoneStore } from '../store/zone-store.js';
import { ZONE_STORE_MESSAGES, ZoneStoreError } from '../store/errors.js';
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
      const entry = name === 'global' ? undefined : store.get(name);
      if (!entry && name !== 'global') return undefined;
      const state = (entry?.state ?? 'installed') as ZoneStateName;
      let config: ZoneConfig | undefined;
      try {
        // The global zone's own settings live in global.yaml when someone saved them.
        config = store.load(name);
      } catch (e) {
        // Still a zone: `delete -F` and `create -F` must reach it (the admin's way out).
        if (e instanceof ZoneStoreError && e.code === 'Z_INVALID_DOCUMENT') return { state, problem: e.message };
        throw e;
      }
      if (!entry) return config ? { config, state } : undefined;
      // An index line without its file (removed by hand): reported, and still deletable.
      if (!config) return { state, problem: ZONE_STORE_MESSAGES.Z_NO_ZONE };
      return { config, state, idmap: zoneIdmap(store.root, entry) };
    },
    async runtimeState(name) {
      // Loaded only for the commands that need it (delete): zonecfg's start-up stays light.
      const { loadKernelStateLookup } = await import('../zoneadm/kernel.js');
      return (await loadKernelStateLookup(store.root))(name);
    },
    async releaseHostRecords(name) {
      // A zone that halted by itself may still hold an address, a zone id or a cgroup.
      const { releaseZoneRecords } = await import('../runtime/lifecycle.js');
      await releaseZoneRecords(name, { root: store.root });
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
    async image(ref, zonename) {
      const { configFromImage } = await import('../oci/image-zonecfg.js');
      return configFromImage(ref, zonename);
    },
    writeFile(path, text) {
      writeFileSync(path, text, { mode: 0o644 });
    },
  };
}

/**
 * `zonecfg -r`: the store's backend, but the zone's configuration is its running one, and commit
 * applies the edit to the running zone, then saves the same change to the stored configuration
 * (docs/reference.md, "Live reconfiguration"). Throws the runtime's refusal (not running).
 */
export async function liveBackend(name: string, root?: string, schema?: Schema): Promise<ConfigBackend> {
  const base = storeBackend(root, schema);
  const store = new ZoneStore(root, { schema });
  const { liveRecord, applyLiveChange } = await import('../runtime/live-apply.js');
  const { persistLiveChange } = await import('../runtime/live-plan.js');
  const opts = { root: store.root };
  let seen = liveRecord(name, opts).config;
  return {
    ...base,
    lookup(n) {
      const stored = base.lookup(n);
      if (n !== name || !stored?.config) return stored;
      return { ...stored, config: structuredClone(seen), state: 'running' };
    },
    async commitLive(config) {
      const { warnings, plan } = await applyLiveChange(name, seen, config, opts);
      seen = structuredClone(config);
      try {
        const stored = store.load(name);
        if (stored) store.save(persistLiveChange(stored, plan, config));
      } catch (e) {
        if (!(e instanceof ZoneStoreError)) throw e;
        throw new Error(`the running zone has the change, but it could not be saved: ${e.message}`);
      }
      return warnings;
    },
  };
}
