/**
 * `zoneadm detach [-n]` and `zoneadm attach [-F] [-n PATH] [-u|-U]` (zoneadm.c detach_func/attach_func).
 * Detach writes `<zonepath>/SUNWdetached.yaml` (the config plus what attach checks: brand, the
 * host's distribution and architecture, and the zone's block of host ids) and sets the zone
 * configured, files untouched. Attach checks that manifest against this host, gives the zone its
 * block here (docs/reference.md#46-moving-a-zone-to-another-host) and sets the zone installed.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, unlinkSync } from 'node:fs';
import { hostname, machine } from 'node:os';
import { join, resolve } from 'node:path';
import { dump, load } from 'js-yaml';
import { BRANDS } from '../model/schema.js';
import type { Resource, ZoneConfig } from '../model/types.js';
import type { IndexEntry } from '../store/index-file.js';
import { writeFileAtomic } from '../store/atomic.js';
import { faultPoint } from '../fault-points.js';
import { ZoneadmError, strerror } from './errors.js';
import { acquireOpLocks } from './oplock.js';
import { DETACHED_MANIFEST } from './paths.js';
import { checkZoneName, precheck, sanityCheck, zoneEntry, type OpContext } from './sanity.js';
import { refuseMounts } from './uninstall.js';
import { loadConfig, requireVerified, validateZonepath } from './verify.js';
import { parseOsRelease } from '../brands/host.js';
import { IdmapError, IdmapStore, blockText, idmapKey, type IdMap } from '../store/idmap.js';
import { inheritedDirs, refreshSparseRoot } from '../brands/sparse.js';
import { releaseProblem, upgradeCommand } from './attach-update.js';

export interface HostFacts {
  /** /etc/os-release ID and VERSION_ID ('' when absent). */
  distribution: { id: string; version_id: string };
  /** uname -m (x86_64, aarch64, ...). */
  architecture: string;
  hostname: string;
}

export interface DetachManifest {
  version: 1;
  zonename: string;
  uuid: string;
  brand: string;
  distribution: { id: string; version_id: string };
  architecture: string;
  hostname: string;
  detached: string;
  config: { globals: Record<string, string>; resources: Resource[] };
  /** The zone's block of host ids on the host it was detached from, if it had one. */
  idmap?: IdMap;
  /** Parsed manifests only: why its `idmap` could not be read (a hand edit); then no block is asked for. */
  idmapProblem?: string;
}

/** The facts of this host that a detached zone is checked against. */
export function hostFacts(hostRoot = '/'): HostFacts {
  let os: Record<string, string> = {};
  for (const p of ['etc/os-release', 'usr/lib/os-release']) {
    try {
      os = parseOsRelease(readFileSync(join(hostRoot, p), 'utf8'));
      break;
    } catch {
      /* try the next */
    }
  }
  return {
    distribution: { id: os.ID ?? '', version_id: os.VERSION_ID ?? '' },
    architecture: machine(),
    hostname: hostname(),
  };
}

export function buildManifest(entry: IndexEntry, cfg: ZoneConfig, facts: HostFacts, now = new Date(), idmap?: IdMap): DetachManifest {
  const m: DetachManifest = {
    version: 1,
    zonename: entry.name,
    uuid: entry.uuid,
    brand: cfg.globals.brand || 'native',
    distribution: { ...facts.distribution },
    architecture: facts.architecture,
    hostname: facts.hostname,
    detached: now.toISOString(),
    config: { globals: { ...cfg.globals }, resources: cfg.resources.map((r) => ({ type: r.type, props: r.props })) },
  };
  if (idmap) m.idmap = { uid: idmap.uid, gid: idmap.gid, count: idmap.count };
  return m;
}

/** The manifest's `idmap: {uid, gid, count}`, or why it is not one (it may have been edited by hand). */
function parseIdmapField(v: unknown): { idmap?: IdMap; idmapProblem?: string } {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) return { idmapProblem: "'idmap' is not a mapping" };
  const o = v as Record<string, unknown>;
  for (const k of ['uid', 'gid', 'count']) {
    const n = o[k];
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n <= 0) return { idmapProblem: `'idmap.${k}' is not a positive integer` };
  }
  return { idmap: { uid: o.uid as number, gid: o.gid as number, count: o.count as number } };
}

export function formatManifest(m: DetachManifest): string {
  return `# zone detach manifest (zoneadm detach); zoneadm attach checks it against the new host\n${dump(m)}`;
}

/** Parse a manifest; `name` names it in the message (a path, or `Input` for stdin). */
export function parseManifest(text: string, name: string): DetachManifest {
  const bad = (why: string): never => {
    throw new ZoneadmError(`${name} is not a valid detach manifest: ${why}`);
  };
  let doc: unknown;
  try {
    doc = load(text);
  } catch (e) {
    return bad((e instanceof Error ? e.message : String(e)).split('\n')[0]);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return bad('not a mapping');
  const d = doc as Record<string, unknown>;
  for (const k of ['zonename', 'brand', 'architecture']) {
    if (typeof d[k] !== 'string') bad(`missing '${k}'`);
  }
  const dist = d.distribution as Record<string, unknown> | undefined;
  if (typeof dist !== 'object' || dist === null || typeof dist.id !== 'string') bad("missing 'distribution.id'");
  return {
    version: 1,
    zonename: String(d.zonename),
    uuid: String(d.uuid ?? ''),
    brand: String(d.brand),
    distribution: { id: String(dist!.id), version_id: String(dist!.version_id ?? '') },
    architecture: String(d.architecture),
    hostname: String(d.hostname ?? ''),
    detached: String(d.detached ?? ''),
    config: (d.config as DetachManifest['config']) ?? { globals: {}, resources: [] },
    ...parseIdmapField(d.idmap),
  };
}

/** Why a detached zone cannot be attached here (empty: it can); `update`: attach -u or -U. */
export function manifestProblems(m: DetachManifest, facts: HostFacts, zoneBrand?: string, update = false): string[] {
  const out: string[] = [];
  if (!(BRANDS as readonly string[]).includes(m.brand)) out.push(`brand '${m.brand}' is not supported on this system`);
  else if (zoneBrand !== undefined && zoneBrand !== m.brand) {
    out.push(`the zone was detached with brand '${m.brand}' but is configured with brand '${zoneBrand}'`);
  }
  if (m.architecture !== facts.architecture) {
    out.push(`the zone was detached from a ${m.architecture} system; this system is ${facts.architecture}`);
  }
  const release = releaseProblem(m.distribution, facts.distribution, update);
  if (release) out.push(release);
  return out;
}

function mismatch(problems: string[]): ZoneadmError {
  return new ZoneadmError('the detached zone does not match this system:', 'zone', 1, problems.map((p) => `\t${p}`));
}

export interface DetachRequest {
  /** -n: print the manifest, change nothing. */
  dryRun: boolean;
  facts?: HostFacts;
}

/** The zone's block of host ids here, for the manifest; an unreadable allocation file is a warning. */
function zoneBlock(ctx: OpContext, entry: IndexEntry): IdMap | undefined {
  try {
    return new IdmapStore(ctx.store.root).lookup(idmapKey(entry));
  } catch (e) {
    if (!(e instanceof IdmapError)) throw e;
    ctx.io.err(`zoneadm: zone '${entry.name}': WARNING: the manifest does not record the zone's id block: ${e.message}\n`);
    return undefined;
  }
}

export function detachZone(ctx: OpContext, req: DetachRequest): void {
  const facts = req.facts ?? hostFacts();
  if (req.dryRun) {
    // A dry run works for anyone: only the minimal checks (detach_func).
    const zone = checkZoneName(ctx.zone, 'detach');
    const entry = zoneEntry(ctx.store, zone);
    ctx.io.out(formatManifest(buildManifest(entry, loadConfig(ctx, zone), facts, undefined, zoneBlock(ctx, entry))));
    return;
  }
  const zone = precheck(ctx, 'detach').name;
  const release = acquireOpLocks(ctx.store.root, [zone], ctx.io);
  try {
    const entry = sanityCheck(ctx, 'detach');
    const cfg = loadConfig(ctx, zone);
    requireVerified(ctx, 'detach', entry, cfg);
    const zonepath = cfg.globals.zonepath;
    refuseMounts(zonepath);
    try {
      writeFileAtomic(join(zonepath, DETACHED_MANIFEST), formatManifest(buildManifest(entry, cfg, facts, undefined, zoneBlock(ctx, entry))), 0o600);
    } catch (e) {
      throw new ZoneadmError(`saving the detach manifest failed: ${strerror(e)}`, 'exec');
    }
    faultPoint('detach:manifest');
    ctx.store.setState(zone, 'configured');
  } finally {
    release();
  }
}

export interface AttachRequest {
  /** -F: no validation. */
  force: boolean;
  /** -n PATH (or `-` for stdin): dry-run validation of a manifest. */
  dryRunPath?: string;
  /** Reads stdin for `-n -`. */
  readStdin?: () => string;
  /**
   * -u: a zone detached from an older release of this distribution is attached, and what it took
   * from the host at install is refreshed; -U (`all`): its own packages too, which only a sparse
   * zone can have done from the host (docs/reference.md#update-on-attach).
   */
  update?: 'min' | 'all';
  facts?: HostFacts;
  /** The host tree a sparse zone is refreshed from (tests); `/` normally. */
  hostRoot?: string;
}

/**
 * The text of a regular file, opened without following a final symbolic link: the manifest in a
 * zonepath may come from another host, and a link there to /etc/shadow must not be read (the
 * parse error would quote it).
 */
function readRegularNoFollow(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    if (!fstatSync(fd).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EINVAL' });
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

function readManifest(path: string, readStdin?: () => string, inZonepath = false): DetachManifest {
  if (path === '-') {
    let text: string;
    try {
      text = (readStdin ?? (() => readFileSync(0, 'utf8')))();
    } catch (e) {
      throw new ZoneadmError(`could not read the manifest from standard input: ${strerror(e)}`);
    }
    return parseManifest(text, 'Input');
  }
  let text: string;
  try {
    text = inZonepath ? readRegularNoFollow(path) : readFileSync(path, 'utf8');
  } catch (e) {
    throw new ZoneadmError(`could not open manifest path ${resolve(path)}: ${strerror(e)}`);
  }
  return parseManifest(text, path);
}

/** `-U` of a whole-root zone: its packages are its own, updated by its package manager, from inside. */
function refuseUpdateAll(zone: string, cfg: { resources: Resource[] }, zoneRoot: string | undefined): void {
  if (inheritedDirs(cfg as ZoneConfig).length > 0) return;
  const cmd = zoneRoot ? upgradeCommand(zoneRoot) : "the zone's package manager";
  const run = cmd.includes(' ') && !cmd.startsWith('the ') ? `zlogin ${zone} '${cmd}'` : `${cmd} inside the zone`;
  throw new ZoneadmError(
    `attach -U cannot update a whole-root zone's packages from the global zone (they are its own, and need its network): ` +
      `attach with -u, boot the zone, then run ${run}`,
  );
}

/**
 * The zone takes the block of host ids the manifest records where this host allows it, else the
 * block it has here or the next free one, with a one-line warning (docs/reference.md#46-moving-a-zone-to-another-host).
 */
function adoptBlock(ctx: OpContext, zone: string | undefined, entry: IndexEntry | undefined, m: DetachManifest, dryRun = false): void {
  if (!m.idmap && !m.idmapProblem) return;
  const nameOf = (key: string) => ctx.store.list().find((e) => idmapKey(e) === key)?.name;
  const invalid = m.idmapProblem && `the manifest's id block is malformed (${m.idmapProblem})`;
  const ids = new IdmapStore(ctx.store.root);
  let got;
  try {
    const key = entry && idmapKey(entry);
    got = dryRun || key === undefined ? ids.preview(key, m.idmap, invalid, nameOf) : ids.adopt(key, m.idmap, invalid, nameOf);
  } catch (e) {
    if (e instanceof IdmapError) throw new ZoneadmError(`cannot give the zone its id block: ${e.message}`);
    throw e;
  }
  if (got.refused === undefined) return;
  const what = m.idmap ? `id block ${blockText(m.idmap)} cannot be kept: ${got.refused}` : got.refused;
  const prefix = zone === undefined ? 'zoneadm: ' : `zoneadm: zone '${zone}': `;
  ctx.io.err(`${prefix}WARNING: ${what}; the zone ${dryRun ? 'would use' : 'now uses'} ${blockText(got.map)}.\n`);
}

export function attachZone(ctx: OpContext, req: AttachRequest): void {
  if (req.force && req.dryRunPath !== undefined) throw new ZoneadmError('-F and -n flags are mutually exclusive');
  if (req.force && req.update) throw new ZoneadmError(`-F and -${req.update === 'all' ? 'U' : 'u'} flags are mutually exclusive`);
  const facts = req.facts ?? hostFacts();
  const update = req.update !== undefined;
  if (req.dryRunPath !== undefined) {
    const m = readManifest(req.dryRunPath, req.readStdin);
    const problems = manifestProblems(m, facts, undefined, update);
    if (problems.length > 0) throw mismatch(problems);
    if (req.update === 'all') refuseUpdateAll(m.zonename, m.config, undefined);
    // What attach would do with the zone's id block here (nothing is written).
    const entry = ctx.zone !== undefined ? ctx.store.get(ctx.zone) : undefined;
    adoptBlock(ctx, ctx.zone, entry, m, true);
    return;
  }
  const zone = precheck(ctx, 'attach').name;
  const release = acquireOpLocks(ctx.store.root, [zone], ctx.io);
  try {
    const entry = sanityCheck(ctx, 'attach');
    const cfg = loadConfig(ctx, zone);
    requireVerified(ctx, 'attach', entry, cfg);
    const zonepath = cfg.globals.zonepath;
    const manifestPath = join(zonepath, DETACHED_MANIFEST);
    let manifest: DetachManifest | undefined;
    if (!req.force) {
      manifest = readManifest(manifestPath, undefined, true);
      const problems = manifestProblems(manifest, facts, cfg.globals.brand || 'native', update);
      if (problems.length > 0) throw mismatch(problems);
      let rootOk = false;
      try {
        rootOk = lstatSync(join(zonepath, 'root')).isDirectory();
      } catch {
        rootOk = false;
      }
      if (!rootOk) throw new ZoneadmError(`${zonepath}/root is not a directory; nothing to attach.`);
      if (req.update === 'all') refuseUpdateAll(zone, cfg, join(zonepath, 'root'));
    } else {
      // -F validates nothing, but a readable manifest still carries the zone's id block.
      try {
        manifest = readManifest(manifestPath, undefined, true);
      } catch {
        manifest = undefined;
      }
    }
    if (!validateZonepath(ctx, zone, zonepath, 'attach', entry.state)) {
      ctx.io.err(`could not verify zonepath ${zonepath} because of the above errors.\n`);
      throw new ZoneadmError('', 'reported');
    }
    if (update && inheritedDirs(cfg).length > 0) {
      // Adds only what is missing: a crash here leaves a configured zone that attach -u finishes.
      let stats;
      try {
        stats = refreshSparseRoot(join(zonepath, 'root'), req.hostRoot ?? '/', cfg);
      } catch (e) {
        throw new ZoneadmError(`could not update the zone from the global zone: ${e instanceof Error ? e.message : String(e)}`);
      }
      ctx.io.out(`Updating the zone from the global zone: ${stats.added.length} entries added${stats.leftOut.length > 0 ? `, ${stats.leftOut.length} left out` : ''}.\n`);
    }
    // The block first, under the zone's own uuid, then the state: a crash between the two leaves
    // a configured zone that owns its block (as after an uninstall); attach again keeps it, and
    // `zonecfg delete` gives it back. Never two blocks, never one that no zone owns.
    if (manifest) adoptBlock(ctx, zone, entry, manifest);
    faultPoint('attach:idmap');
    // Installed first, then the manifest goes: a crash between the two leaves an installed zone
    // with a stale manifest (harmless, replaced by the next detach), never a configured zone
    // without one, which only `attach -F` could bring back.
    ctx.store.setState(zone, 'installed');
    faultPoint('attach:installed');
    try {
      unlinkSync(manifestPath);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') ctx.io.err(`WARNING: could not remove ${manifestPath}: ${strerror(e)}\n`);
    }
  } finally {
    release();
  }
}
