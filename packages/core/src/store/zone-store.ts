/**
 * The zone store: `$ZONES_ROOT/etc/zones/index` plus one `<name>.yaml` per zone.
 *
 * Writes are serialised: a config write holds the zone's lock (`<name>.lock`), and every index
 * rewrite holds the index lock (`index.lock`), always taken after the zone lock(s), so concurrent
 * writers never interleave and never deadlock. Every file is replaced atomically (temp file +
 * fsync + rename, atomic.ts).
 *
 * A commit that touches both files has one commit point, the index rewrite:
 *   1. the new configuration is written whole as `.<name>.yaml.pending`;
 *   2. the index is rewritten (a new line, a new zonepath or a new name): the commit point;
 *   3. the pending file is renamed over `<name>.yaml` (after a rename, `<old>.yaml` is removed).
 * A failure before 2 (a full disk, the index lock held too long) removes the pending file: the
 * old state stays. A crash between 2 and 3 leaves a pending file that readers apply: it is the
 * zone's configuration when the zone's index line has the pending file's zonepath, and is
 * ignored otherwise; the next write of the zone settles it (renames or removes it). A commit that
 * leaves the index line as it is (no new zonepath) skips step 2, and step 3 is its commit point.
 * A `<name>.yaml` without an index line is no zone (a crash after a rename's step 3 can leave the
 * old name's file): readers never see it and the next save of that name replaces it.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { GlobalPropName, PropValue, RctlValue, Resource, ResourceType, ZoneConfig } from '../model/types.js';
import { SCHEMA, globalValue, type Schema } from '../model/schema.js';
import { isAcceptedRctlValue } from '../model/rctl.js';
import { errnoText } from '../errno.js';
import { writeFileAtomic, fsyncDir } from './atomic.js';
import { LockFileError, withLock, withLocks, type LockOptions, LockTimeoutError } from './lock.js';
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
import { ZoneStoreError, type ZoneStoreErrorCode } from './errors.js';
import { parseYamlSubset, subsetScalar } from './yaml-subset.js';
import { IdmapError, IdmapStore, idmapKey, releaseIdmap } from './idmap.js';

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
  /**
   * The uuid a new zone asks for (`zonecfg create -a`: the detached zone's own). Taken only when it
   * is a uuid that no zone of this store has and no id block is recorded under; else, as always,
   * a fresh one: two zones never share a uuid, so never an id block.
   */
  uuid?: string;
}

const errnoCode = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | undefined)?.code;

/** A file-system failure as a store error naming the file (`Problem saving file: <path>: No space left on device`). */
function fsError(code: ZoneStoreErrorCode, path: string, err: unknown, zone?: string): ZoneStoreError {
  if (err instanceof ZoneStoreError) return err;
  if (typeof errnoCode(err) !== 'string') throw err;
  return new ZoneStoreError(code, zone, `${path}: ${errnoText(err as NodeJS.ErrnoException)}`);
}

/** The text of a file, undefined when it does not exist; any other failure is `code`. */
function readIfExists(path: string, code: ZoneStoreErrorCode, zone?: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw fsError(code, path, err, zone);
  }
}

/** `.<name>.yaml.pending`: a configuration written but not yet committed (see the header). */
export function pendingPath(configFile: string): string {
  return join(dirname(configFile), `.${basename(configFile)}.pending`);
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

  /**
   * The zone's configuration, or undefined if it has no config file. A file that cannot be read
   * or has the wrong shape → ZoneStoreError(Z_INVALID_DOCUMENT) naming the file and the problem.
   */
  load(name: string): ZoneConfig | undefined {
    const found = this.configText(name);
    return found && parseConfigYaml(found.text, name, found.path, this.schema);
  }

  /**
   * Only the global properties of a zone (what `zoneadm list` needs: brand, ip-type, zonepath).
   * Files in the layout the store writes are scanned directly, without a YAML parse; anything else
   * (hand-edited, unusual quoting) falls back to {@link load}, with the same errors.
   */
  readGlobals(name: string, pending?: ReadonlySet<string>): Record<GlobalPropName, string> | undefined {
    const found = this.configText(name, pending);
    if (!found) return undefined;
    const fast = scanGlobals(found.text, this.schema);
    if (fast) {
      fast.zonename = name;
      return fast;
    }
    return parseConfigYaml(found.text, name, found.path, this.schema).globals;
  }

  /**
   * {@link readGlobals} for every zone of a listing: the configuration directory is looked at once
   * for pending files, instead of once per zone (200 zones: ~3 ms of `zoneadm list`).
   */
  globalsReader(): (name: string) => Record<GlobalPropName, string> | undefined {
    let pending: Set<string> | undefined;
    try {
      pending = new Set();
      for (const f of readdirSync(this.configDir)) {
        const m = /^\.(.+)\.yaml\.pending$/.exec(f);
        if (m) pending.add(m[1]!);
      }
    } catch {
      pending = undefined; // each zone then looks for itself
    }
    return (name) => this.readGlobals(name, pending);
  }

  /**
   * The text that is the zone's configuration: a committed pending file, else `<name>.yaml`.
   * `pending`, when given, names every zone that has a pending file.
   */
  private configText(name: string, pending?: ReadonlySet<string>): { text: string; path: string } | undefined {
    if (!SAFE_NAME.test(name)) return undefined;
    const path = this.configPath(name);
    const committed = pending && !pending.has(name) ? undefined : this.committedPending(name);
    if (committed !== undefined) return { text: committed, path };
    const text = readIfExists(path, 'Z_INVALID_DOCUMENT', name);
    return text === undefined ? undefined : { text, path };
  }

  /** The pending file's text when the index has committed it (its zonepath is the index line's). */
  private committedPending(name: string): string | undefined {
    const pending = pendingPath(this.configPath(name));
    // existsSync throws nothing: `zoneadm list` asks this of every zone.
    if (!existsSync(pending)) return undefined;
    let text: string;
    try {
      text = readFileSync(pending, 'utf8');
    } catch {
      return undefined; // none (the usual case), or unreadable: not committed either way
    }
    let zonepath: string;
    try {
      zonepath = parseConfigYaml(text, name, '', this.schema).globals.zonepath;
    } catch {
      return undefined;
    }
    const entry = name === GLOBAL_ZONENAME ? undefined : this.get(name);
    return entry !== undefined && entry.zonepath === zonepath ? text : undefined;
  }

  /** Apply or drop a pending file a crash left behind (the caller holds the zone's lock). */
  private settlePending(name: string): void {
    const path = this.configPath(name);
    const pending = pendingPath(path);
    let committed: boolean;
    try {
      committed = this.committedPending(name) !== undefined;
    } catch {
      committed = false;
    }
    try {
      if (committed) {
        this.clearConfigSlot(name);
        renameSync(pending, path);
      } else {
        unlinkSync(pending);
      }
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw fsError('Z_SAVING_FILE', pending, err, name);
    }
  }

  /** `<name>.yaml` may be replaced: an empty directory in its place is removed (a non-empty one is reported). */
  private clearConfigSlot(name: string): void {
    const path = this.configPath(name);
    try {
      if (lstatSync(path).isDirectory()) rmdirSync(path);
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw fsError('Z_SAVING_FILE', path, err, name);
    }
  }

  /**
   * Write the zone's config and enter it in the index. A new zone enters as `configured` with a
   * fresh uuid; an existing one keeps state and uuid (its zonepath is refreshed). With
   * `previousName` (a rename) the state and uuid move to the new name; the new name must be free
   * (Z_NAME_IN_USE) and the zone must be configured or installed (Z_INVALID_STATE).
   * The order of the writes is the header's: the index is the commit point.
   */
  save(cfg: ZoneConfig, opts: SaveOptions = {}): void {
    const name = cfg.globals.zonename;
    if (name === GLOBAL_ZONENAME && opts.previousName === undefined) {
      // The global zone's resource-management settings: a config file, never an index line.
      this.ensureDir();
      this.locked([zoneLockPath(name, this.root)], () => {
        this.clearConfigSlot(name);
        this.writeConfig(this.configPath(name), formatConfigYaml(cfg, this.schema), name);
      });
      return;
    }
    checkName(name);
    const prev = opts.previousName !== undefined && opts.previousName !== name ? opts.previousName : undefined;
    if (prev !== undefined) checkName(prev);
    this.ensureDir();
    const text = formatConfigYaml(cfg, this.schema);
    const zonepath = cfg.globals.zonepath;
    const locks = [zoneLockPath(name, this.root), ...(prev !== undefined ? [zoneLockPath(prev, this.root)] : [])];
    this.locked(locks, () => {
      if (prev !== undefined) this.settlePending(prev);
      this.settlePending(name);
      this.clearConfigSlot(name);
      const path = this.configPath(name);
      const pending = pendingPath(path);
      this.writeConfig(pending, text, name);
      try {
        if (prev !== undefined) {
          this.updateIndex((idx) => {
            const entries = indexEntries(idx);
            if (entries.some((e) => e.name === name)) throw new ZoneStoreError('Z_NAME_IN_USE', name);
            const line = idx.lines.find((l) => l.kind === 'entry' && l.entry.name === prev);
            if (!line || line.kind !== 'entry') throw new ZoneStoreError('Z_NO_ZONE', prev);
            if (line.entry.state !== 'configured' && line.entry.state !== 'installed') {
              throw new ZoneStoreError('Z_INVALID_STATE', prev);
            }
            line.entry = { ...line.entry, name, zonepath };
          });
        } else if (this.get(name)?.zonepath !== zonepath) {
          this.updateIndex((idx) => {
            const line = idx.lines.find((l) => l.kind === 'entry' && l.entry.name === name);
            if (line && line.kind === 'entry') {
              line.entry = { ...line.entry, zonepath };
            } else {
              idx.lines.push({ kind: 'entry', entry: { name, state: 'configured', zonepath, uuid: this.newUuid(indexEntries(idx), opts.uuid) } });
            }
          });
        }
      } catch (err) {
        try { unlinkSync(pending); } catch { /* gone already */ }
        throw err;
      }
      // Committed. A rename that fails now leaves the pending file, which readers apply.
      try { renameSync(pending, path); } catch { /* settled by the next write */ }
      if (prev !== undefined) {
        try { unlinkSync(this.configPath(prev)); } catch { /* already gone */ }
      }
      fsyncDir(this.configDir);
    });
  }

  /** A new zone's uuid: `wanted` (lower case) when it is one no zone and no id block has; else a fresh one. The caller holds the index lock. */
  private newUuid(entries: readonly IndexEntry[], wanted: string | undefined): string {
    const u = wanted?.toLowerCase();
    if (u === undefined || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(u)) return randomUUID();
    if (entries.some((e) => e.uuid.toLowerCase() === u)) return randomUUID();
    try {
      // A block left under that uuid (a zone deleted while the file was unreadable) is no one's to inherit.
      if (new IdmapStore(this.root).read().has(u)) return randomUUID();
    } catch (e) {
      if (e instanceof IdmapError) return randomUUID();
      throw e;
    }
    return u;
  }

  /** Delete the zone's config and index entry (Z_NO_ZONE if it has neither). */
  remove(name: string): void {
    checkName(name);
    this.locked([zoneLockPath(name, this.root)], () => {
      let gone: IndexEntry | undefined;
      // The index is the commit point: once the line is gone, so is the zone.
      this.updateIndex(
        (idx) => {
          const line = idx.lines.find((l) => l.kind === 'entry' && l.entry.name === name);
          idx.lines = idx.lines.filter((l) => l !== line);
          if (line?.kind === 'entry') gone = line.entry;
        },
        // The zone's block of host ids goes back to the pool with it.
        () => { if (gone) releaseIdmap(this.root, idmapKey(gone)); },
      );
      const path = this.configPath(name);
      let found = gone !== undefined;
      try { unlinkSync(pendingPath(path)); } catch { /* none */ }
      try {
        unlinkSync(path);
        found = true;
      } catch (err) {
        const code = errnoCode(err);
        if (code === 'EISDIR' || code === 'EPERM') {
          found = true;
          try {
            rmdirSync(path);
          } catch (e) {
            throw fsError('Z_MISC_FS', path, e, name);
          }
        } else if (code !== 'ENOENT') {
          throw fsError('Z_MISC_FS', path, err, name);
        }
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

  /** The parsed index (a fresh one if the file does not exist yet); an unreadable one is Z_MISC_FS. */
  readIndex(): ParsedIndex {
    const text = readIfExists(this.indexPath, 'Z_MISC_FS');
    return text === undefined ? emptyIndex() : parseIndex(text);
  }

  /** Rewrite the index under its lock; `afterCommit` runs once it is on disk, still under the lock. */
  private updateIndex(mutate: (idx: ParsedIndex) => void, afterCommit?: () => void): void {
    this.locked([indexLockPath(this.root)], () => {
      const idx = this.readIndex();
      mutate(idx);
      try {
        writeFileAtomic(this.indexPath, formatIndex(idx), 0o644);
      } catch (err) {
        throw fsError('Z_UPDATING_INDEX', this.indexPath, err);
      }
      afterCommit?.();
    });
  }

  private writeConfig(path: string, text: string, zone: string): void {
    try {
      writeFileAtomic(path, text, 0o644);
    } catch (err) {
      throw fsError('Z_SAVING_FILE', path, err, zone);
    }
  }

  private locked<T>(paths: string[], fn: () => T): T {
    try {
      return paths.length === 1 ? withLock(paths[0], fn, this.lockOpts) : withLocks(paths, fn, this.lockOpts);
    } catch (err) {
      if (err instanceof LockTimeoutError) throw new ZoneStoreError('Z_LOCKED', undefined, err.message);
      // A lock file that cannot be created or read (a full disk, a directory in its place...).
      if (err instanceof LockFileError) throw new ZoneStoreError('Z_MISC_FS', undefined, err.message);
      throw err;
    }
  }

  private ensureDir(): void {
    try {
      mkdirSync(this.configDir, { recursive: true, mode: 0o755 });
    } catch (err) {
      throw fsError('Z_MISC_FS', this.configDir, err);
    }
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

/** A js-yaml error as one line: `line 3, column 1: bad indentation of a mapping entry`. */
function yamlErrorText(err: unknown): string {
  const e = err as { reason?: string; mark?: { line: number; column: number }; message?: string };
  if (typeof e?.reason === 'string' && e.mark) return `line ${e.mark.line + 1}, column ${e.mark.column + 1}: ${e.reason}`;
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.replace(/:$/, '');
}

/**
 * Parse a stored config. Anything that is not the shape the model expects raises ZoneStoreError
 * (Z_INVALID_DOCUMENT, illumos's error for a configuration that does not validate) naming the file
 * and the problem; never a raw parser exception. Shapes follow the schema (a simple property is a
 * scalar, a list one a list, an rctl value a list of priv/limit/action); the values the runtime
 * turns into kernel limits (rctl values, capped-memory, dedicated-cpu) are checked too, so that a
 * hand edit cannot be silently ignored at boot. Everything else is `verify`'s business.
 */
export function parseConfigYaml(text: string, name: string, path = `${name}.yaml`, schema: Schema = SCHEMA): ZoneConfig {
  const bad = (why: string): never => {
    throw new ZoneStoreError('Z_INVALID_DOCUMENT', name, `${path}: ${why}`);
  };
  if (text.trim() === '') return bad('empty file');
  let doc: unknown = parseYamlSubset(text);
  try {
    doc ??= yaml().load(text);
  } catch (err) {
    return bad(yamlErrorText(err));
  }
  if (doc === undefined || doc === null) return bad('empty file');
  if (!isRecord(doc)) return bad('not a mapping');
  const g = doc.globals;
  if (!isRecord(g)) return bad("missing 'globals' mapping");
  const globals: Record<string, string> = {};
  for (const { name: k } of schema.globals) {
    const v = g[k];
    if (v === undefined || v === null) globals[k] = '';
    else if (isScalar(v)) globals[k] = String(v);
    else return bad(`globals.${k}: not a scalar`);
  }
  globals.zonename = name;
  const rs = doc.resources ?? [];
  if (!Array.isArray(rs)) return bad("'resources' is not a list");
  const resources: Resource[] = rs.map((r, i) => {
    const where = `resources[${i}]`;
    if (!isRecord(r) || typeof r.type !== 'string') return bad(`${where}: missing 'type'`);
    const props = r.props ?? {};
    if (!isRecord(props)) return bad(`${where}.props: not a mapping`);
    const out: Record<string, PropValue> = {};
    for (const [k, v] of Object.entries(props)) {
      // What this program's table does not know is kept as it is, in any of the three shapes.
      const value = propValue(v, schema.resourceProperty(r.type, k)?.kind);
      if (typeof value === 'object' && !Array.isArray(value)) return bad(`${where}.props.${k}: ${value.problem}`);
      out[k] = value;
    }
    const problem = runtimeValueProblem(r.type, out);
    if (problem) return bad(`${where}: ${problem}`);
    return { type: r.type as ResourceType, props: out };
  });
  return { globals: globals as Record<GlobalPropName, string>, resources };
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** A property value of the schema's kind (any kind when unknown), or what is wrong with it. */
function propValue(v: unknown, kind: 'simple' | 'list' | 'complex' | undefined): PropValue | { problem: string } {
  if (kind === undefined) {
    const asSimple = propValue(v, 'simple');
    if (typeof asSimple === 'string') return asSimple;
    return Array.isArray(v) && v.every(isScalar) ? propValue(v, 'list') : propValue(v, 'complex');
  }
  if (kind === 'simple') return isScalar(v) ? String(v) : { problem: 'a simple value was expected' };
  if (kind === 'list') {
    if (isScalar(v)) return [String(v)];
    return Array.isArray(v) && v.every(isScalar) ? v.map(String) : { problem: 'a list of simple values was expected' };
  }
  const fields = ['priv', 'limit', 'action'] as const;
  if (!Array.isArray(v) || !v.every((x) => isRecord(x) && fields.every((f) => isScalar(x[f])))) {
    return { problem: 'a list of (priv,limit,action) values was expected' };
  }
  return v.map((x) => {
    const r = x as Record<string, string | number | boolean>;
    return { priv: String(r.priv), limit: String(r.limit), action: String(r.action) };
  });
}

/** What stops the runtime from applying a resource the way zonecfg would have accepted it. */
function runtimeValueProblem(type: string, props: Record<string, PropValue>): string | undefined {
  if (type === 'rctl') {
    const values = (props.value ?? []) as RctlValue[];
    const bad = values.find((v) => !isAcceptedRctlValue(v));
    if (bad) return `(priv=${bad.priv},limit=${bad.limit},action=${bad.action}): Invalid rctl value specification`;
  }
  if (type === 'capped-memory' && props.physical !== undefined && !/^\d{1,20}$/.test(props.physical as string)) {
    return `physical ${props.physical as string}: not a number of bytes`;
  }
  if (type === 'dedicated-cpu' && props.ncpus !== undefined && !/^\d+(-\d+)?$/.test(props.ncpus as string)) {
    return 'ncpus property is out of range.';
  }
  return undefined;
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
