/**
 * The zone store: `$ZONES_ROOT/etc/zones/index` plus one `<name>.yaml` per zone.
 *
 * Writes are atomic (temp file + fsync + rename) and serialised: a config write holds the zone's
 * lock (`<name>.lock`), and every index rewrite holds the index lock (`index.lock`), always taken
 * after the zone lock(s), so concurrent writers never interleave and never deadlock.
 */
import { mkdirSync, readFileSync, unlinkSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { GlobalPropName, PropValue, RctlValue, Resource, ResourceType, ZoneConfig } from '../model/types.js';
import { SCHEMA, globalValue, type Schema } from '../model/schema.js';
import { writeFileAtomic, fsyncDir } from './atomic.js';
import { withLock, withLocks, type LockOptions, LockTimeoutError } from './lock.js';
import {
  emptyIndex,
  formatIndex,
  GLOBAL_ENTRY,
  GLOBAL_ZONENAME,
  indexEntries,
  parseIndex,
  type IndexEntry,
  type ParsedIndex,
} from './index-file.js';
import { configDir, configPath, indexLockPath, indexPath, zoneLockPath, zonesRoot } from './paths.js';
import { PERSISTED_STATES, type ZoneState } from '../model/states.js';
import { ZoneStoreError } from './errors.js';
import { parseYamlSubset, subsetScalar } from './yaml-subset.js';
import { idmapKey, releaseIdmap } from './idmap.js';

export type { IndexEntry } from './index-file.js';

/**
 * js-yaml is loaded on first use (synchronously, through require), so commands that only read the
 * index or the globals (`zoneadm list`) do not pay for it at startup.
 */
let yamlLib: typeof import('js-yaml') | undefined;
function yaml(): typeof import('js-yaml') {
  yamlLib ??= createRequire(import.meta.url)('js-yaml') as typeof import('js-yaml');
  return yamlLib;
}

/** Names the store accepts as file names (Solaris zonename syntax, at most 64 characters). */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export interface ZoneStoreOptions extends LockOptions {
  /** Which global properties a configuration file holds (this program's table, unless a test extends it). */
  schema?: Schema;
}

export interface SaveOptions {
  /** The zone's name before this save, when `set zonename=` renamed it. */
  previousName?: string;
}

export class ZoneStore {
  readonly root: string;
  readonly schema: Schema;
  private readonly lockOpts: LockOptions;

  constructor(root: string = zonesRoot(), { schema = SCHEMA, ...lockOpts }: ZoneStoreOptions = {}) {
    this.root = root;
    this.schema = schema;
    this.lockOpts = lockOpts;
  }

  get configDir(): string { return configDir(this.root); }
  get indexPath(): string { return indexPath(this.root); }
  configPath(name: string): string { return configPath(name, this.root); }

  /** Non-global zones in index order. */
  list(): IndexEntry[] {
    return indexEntries(this.readIndex()).filter((e) => e.name !== GLOBAL_ZONENAME);
  }

  /** The index entry of `name`; `global` always exists (`global:installed:/`). */
  get(name: string): IndexEntry | undefined {
    const e = indexEntries(this.readIndex()).find((x) => x.name === name);
    if (e) return e;
    return name === GLOBAL_ZONENAME ? { ...GLOBAL_ENTRY } : undefined;
  }

  exists(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** The zone whose uuid is `uuid` (case-insensitive), for `zoneadm -u`. */
  findByUuid(uuid: string): IndexEntry | undefined {
    const u = uuid.toLowerCase();
    return this.list().find((e) => e.uuid.toLowerCase() === u);
  }

  /** The zone's configuration, or undefined if it has no config file. Malformed → ZoneStoreError(Z_BAD_CONFIG). */
  load(name: string): ZoneConfig | undefined {
    if (!SAFE_NAME.test(name)) return undefined;
    const path = this.configPath(name);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    return parseConfigYaml(text, name, path, this.schema);
  }

  /**
   * Only the global properties of a zone (what `zoneadm list` needs: brand, ip-type, zonepath).
   * Files in the layout the store writes are scanned directly, without a YAML parse; anything else
   * (hand-edited, unusual quoting) falls back to {@link load}, with the same errors.
   */
  readGlobals(name: string): Record<GlobalPropName, string> | undefined {
    if (!SAFE_NAME.test(name)) return undefined;
    let text: string;
    try {
      text = readFileSync(this.configPath(name), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const fast = scanGlobals(text, this.schema);
    if (fast) {
      fast.zonename = name;
      return fast;
    }
    return parseConfigYaml(text, name, this.configPath(name), this.schema).globals;
  }

  /**
   * Write the zone's config and enter it in the index. A new zone enters as `configured` with a
   * fresh uuid; an existing one keeps state and uuid (its zonepath is refreshed). With
   * `previousName` (a rename) the state and uuid move to the new name; the new name must be free
   * (Z_NAME_IN_USE) and the zone must be configured or installed (Z_INVALID_STATE).
   */
  save(cfg: ZoneConfig, opts: SaveOptions = {}): void {
    const name = cfg.globals.zonename;
    if (name === GLOBAL_ZONENAME && opts.previousName === undefined) {
      // The global zone's resource-management settings: a config file, never an index line.
      this.ensureDir();
      this.locked([zoneLockPath(name, this.root)], () => writeFileAtomic(this.configPath(name), formatConfigYaml(cfg, this.schema), 0o644));
      return;
    }
    checkName(name);
    const prev = opts.previousName;
    this.ensureDir();
    const text = formatConfigYaml(cfg, this.schema);
    if (prev !== undefined && prev !== name) {
      checkName(prev);
      this.locked([zoneLockPath(prev, this.root), zoneLockPath(name, this.root)], () => {
        this.updateIndex((idx) => {
          const entries = indexEntries(idx);
          if (entries.some((e) => e.name === name)) throw new ZoneStoreError('Z_NAME_IN_USE', name);
          const line = idx.lines.find((l) => l.kind === 'entry' && l.entry.name === prev);
          if (!line || line.kind !== 'entry') throw new ZoneStoreError('Z_NO_ZONE', prev);
          if (line.entry.state !== 'configured' && line.entry.state !== 'installed') {
            throw new ZoneStoreError('Z_INVALID_STATE', prev);
          }
          writeFileAtomic(this.configPath(name), text, 0o644);
          line.entry = { ...line.entry, name, zonepath: cfg.globals.zonepath };
        });
        try { unlinkSync(this.configPath(prev)); } catch { /* already gone */ }
        fsyncDir(this.configDir);
      });
      return;
    }
    this.locked([zoneLockPath(name, this.root)], () => {
      writeFileAtomic(this.configPath(name), text, 0o644);
      this.updateIndex((idx) => {
        const line = idx.lines.find((l) => l.kind === 'entry' && l.entry.name === name);
        if (line && line.kind === 'entry') {
          line.entry = { ...line.entry, zonepath: cfg.globals.zonepath };
        } else {
          idx.lines.push({
            kind: 'entry',
            entry: { name, state: 'configured', zonepath: cfg.globals.zonepath, uuid: randomUUID() },
          });
        }
      });
    });
  }

  /** Delete the zone's config and index entry (Z_NO_ZONE if it has neither). */
  remove(name: string): void {
    checkName(name);
    this.locked([zoneLockPath(name, this.root)], () => {
      let found = false;
      this.updateIndex((idx) => {
        const gone = idx.lines.find((l) => l.kind === 'entry' && l.entry.name === name);
        idx.lines = idx.lines.filter((l) => l !== gone);
        found = gone !== undefined;
        // The zone's block of host ids goes back to the pool with it.
        if (gone?.kind === 'entry') releaseIdmap(this.root, idmapKey(gone.entry));
      });
      try {
        unlinkSync(this.configPath(name));
        found = true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      fsyncDir(this.configDir);
      if (!found) throw new ZoneStoreError('Z_NO_ZONE', name);
    });
  }

  /**
   * Record a persisted state (configured, incomplete or installed). Kernel states (ready, running,
   * ...) are never written to the index; the runtime reports them.
   */
  setState(name: string, state: ZoneState): void {
    checkName(name);
    if (!PERSISTED_STATES.includes(state)) {
      throw new TypeError(`state '${state}' is not persisted in the index`);
    }
    this.locked([zoneLockPath(name, this.root)], () => {
      this.updateIndex((idx) => {
        const line = idx.lines.find((l) => l.kind === 'entry' && l.entry.name === name);
        if (!line || line.kind !== 'entry') throw new ZoneStoreError('Z_NO_ZONE', name);
        line.entry = { ...line.entry, state };
      });
    });
  }

  /** The parsed index (a fresh one if the file does not exist yet). */
  readIndex(): ParsedIndex {
    try {
      return parseIndex(readFileSync(this.indexPath, 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyIndex();
      throw err;
    }
  }

  private updateIndex(mutate: (idx: ParsedIndex) => void): void {
    this.locked([indexLockPath(this.root)], () => {
      const idx = this.readIndex();
      mutate(idx);
      writeFileAtomic(this.indexPath, formatIndex(idx), 0o644);
    });
  }

  private locked<T>(paths: string[], fn: () => T): T {
    try {
      return paths.length === 1 ? withLock(paths[0], fn, this.lockOpts) : withLocks(paths, fn, this.lockOpts);
    } catch (err) {
      if (err instanceof LockTimeoutError) throw new ZoneStoreError('Z_LOCKED', undefined, err.message);
      throw err;
    }
  }

  private ensureDir(): void {
    mkdirSync(this.configDir, { recursive: true, mode: 0o755 });
  }
}

function checkName(name: string): void {
  if (typeof name !== 'string' || !SAFE_NAME.test(name) || name === GLOBAL_ZONENAME) {
    throw new ZoneStoreError('Z_BAD_ZONE_NAME', name);
  }
}

/** The YAML text stored for a config. */
export function formatConfigYaml(cfg: ZoneConfig, schema: Schema = SCHEMA): string {
  const globals: Record<string, string> = {};
  for (const { name } of schema.globals) globals[name] = globalValue(cfg, name);
  return yaml().dump({ globals, resources: cfg.resources.map(plainResource) });
}

/**
 * A resource rebuilt as fresh plain data: js-yaml dumps only objects whose prototype is its own
 * realm's Object.prototype, and a configuration copied with structuredClone in another realm
 * (jest's test contexts) has other ones.
 */
function plainResource(r: Resource): { type: string; props: Record<string, PropValue> } {
  const props: Record<string, PropValue> = {};
  for (const [k, v] of Object.entries(r.props)) {
    if (typeof v === 'string') props[k] = v;
    else if (v.every((x) => typeof x === 'string')) props[k] = [...(v as string[])];
    else props[k] = (v as RctlValue[]).map(({ priv, limit, action }) => ({ priv, limit, action }));
  }
  return { type: r.type, props };
}

/**
 * Parse a stored config. Anything that is not the expected shape raises ZoneStoreError
 * (Z_BAD_CONFIG) naming the file and the problem; never a raw parser exception.
 */
export function parseConfigYaml(text: string, name: string, path = `${name}.yaml`, schema: Schema = SCHEMA): ZoneConfig {
  const bad = (why: string): never => {
    throw new ZoneStoreError('Z_BAD_CONFIG', name, `${path}: ${why}`);
  };
  let doc: unknown = parseYamlSubset(text);
  try {
    doc ??= yaml().load(text);
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return bad(msg);
  }
  if (!isRecord(doc)) return bad('not a mapping');
  const g = doc.globals;
  if (!isRecord(g)) return bad("missing 'globals' mapping");
  const globals: Record<string, string> = {};
  for (const { name: k } of schema.globals) {
    const v = g[k];
    if (v === undefined || v === null) globals[k] = '';
    else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') globals[k] = String(v);
    else return bad(`globals.${k}: not a scalar`);
  }
  globals.zonename = name;
  const rs = doc.resources ?? [];
  if (!Array.isArray(rs)) return bad("'resources' is not a list");
  const resources: Resource[] = rs.map((r, i) => {
    if (!isRecord(r) || typeof r.type !== 'string') return bad(`resources[${i}]: missing 'type'`);
    const props = r.props ?? {};
    if (!isRecord(props)) return bad(`resources[${i}].props: not a mapping`);
    const out: Record<string, PropValue> = {};
    for (const [k, v] of Object.entries(props)) out[k] = propValue(v, () => bad(`resources[${i}].props.${k}: bad value`));
    return { type: r.type as ResourceType, props: out };
  });
  return { globals: globals as Record<GlobalPropName, string>, resources };
}

function propValue(v: unknown, fail: () => never): PropValue {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'string' || typeof x === 'number')) return v.map(String);
    if (v.every((x) => isRecord(x))) {
      return v.map((x) => {
        const r = x as Record<string, unknown>;
        return { priv: String(r.priv ?? ''), limit: String(r.limit ?? ''), action: String(r.action ?? '') };
      });
    }
  }
  return fail();
}

/**
 * Fast path for {@link ZoneStore.readGlobals}: the `globals:` block exactly as formatConfigYaml
 * writes it (first key of the document, two-space indented `key: value` lines with plain or
 * single-quoted scalars). Returns undefined as soon as anything else shows up.
 */
export function scanGlobals(text: string, schema: Schema = SCHEMA): Record<GlobalPropName, string> | undefined {
  const lines = text.split('\n');
  if (lines[0] !== 'globals:') return undefined;
  const out: Record<string, string> = {};
  for (const { name } of schema.globals) out[name] = '';
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (!line.startsWith('  ')) {
      if (line === '' || /^[a-z]/.test(line)) return out as Record<GlobalPropName, string>;
      return undefined;
    }
    const m = /^  ([a-z-]+): (.*)$/.exec(line);
    if (!m || !Object.hasOwn(out, m[1])) return undefined;
    const v = subsetScalar(m[2]);
    if (v === undefined) return undefined;
    out[m[1]] = v;
  }
  return out as Record<GlobalPropName, string>;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
