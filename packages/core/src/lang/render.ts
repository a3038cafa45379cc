/**
 * `info` and `export` text, walking the schema table so that a new property needs no edit here.
 * Layouts follow docs/reference.md#32-info and docs/reference.md#33-export (Solaris 10 flavour: inherit-pkg-dir blocks come
 * right after the global properties).
 */
import type { PropValue, Resource, RctlValue, ZoneConfig } from '../model/types.js';
import { SCHEMA, globalValue, type ResourceSpec, type Schema } from '../model/schema.js';
import { formatRctlValue, getAlias } from '../model/rctl.js';
import { readCappedCpu, readCappedMemory } from '../model/capped.js';

/** Characters that end a bare token after the command word (zonecfg_lex.l's TSTATE). */
const NEEDS_QUOTES = /[\s;=[\]()"]/;

export function quoteIfNeeded(value: string): string {
  return value === '' || NEEDS_QUOTES.test(value) ? `"${value}"` : value;
}

/** info quotes only values with blanks; export quotes anything the lexer would split. */
function infoQuote(value: string): string {
  return /\s/.test(value) ? `"${value}"` : value;
}

export interface RenderOptions {
  /** `-z global`: only what its schema rows allow there is shown (docs/reference.md#32-info). */
  isGlobalZone?: boolean;
  schema?: Schema;
  /** The zone's host ids: info shows them as /proc/PID/uid_map does (inside, outside, count). */
  idmap?: { uid: number; gid: number; count: number };
}

/**
 * The resources as a user sees them, in info order: the stored ones plus the virtual capped-cpu
 * and capped-memory views built from their rctls.
 */
export function visibleResources(cfg: ZoneConfig, schema: Schema = SCHEMA): Resource[] {
  const out: Resource[] = [];
  for (const spec of schema.resources) {
    if (spec.type === 'capped-cpu') {
      const r = readCappedCpu(cfg);
      if (r) out.push(r);
    } else if (spec.type === 'capped-memory') {
      const r = readCappedMemory(cfg);
      if (r) out.push(r);
    } else {
      out.push(...cfg.resources.filter((r) => r.type === spec.type));
    }
  }
  return out;
}

export function infoGlobalProperty(cfg: ZoneConfig, name: string, schema: Schema = SCHEMA): string[] {
  if (schema.globalProperty(name)) return [`${name}: ${globalValue(cfg, name)}`];
  const alias = schema.rctlAlias(name);
  if (alias) {
    const v = getAlias(cfg, alias);
    return v === undefined ? [] : [`[${alias.alias}: ${v}]`];
  }
  return [];
}

export function infoResource(res: Resource, schema: Schema = SCHEMA): string[] {
  const spec = schema.resourceType(res.type);
  const lines = [`${res.type}:`];
  if (!spec) return lines;
  // The capped views print only what is set; every other resource names unset properties.
  const onlySet = res.type === 'capped-cpu' || res.type === 'capped-memory';
  for (const prop of spec.props) {
    const v = res.props[prop.name];
    const label = prop.aliasRctl ? `[${prop.name}: %s]` : `${prop.name}: %s`;
    if (v === undefined || (typeof v === 'string' && v === '' && prop.kind === 'simple')) {
      if (prop.kind === 'list') lines.push(`\t${prop.name}: []`);
      else if (!onlySet) lines.push(`\t${prop.name} not specified`);
      continue;
    }
    if (prop.kind === 'complex') {
      for (const rv of v as RctlValue[]) lines.push(`\t${prop.name}: ${formatRctlValue(rv)}`);
      continue;
    }
    lines.push('\t' + label.replace('%s', renderInfoValue(v)));
  }
  return lines;
}

function renderInfoValue(v: PropValue): string {
  if (typeof v === 'string') return infoQuote(v);
  const items = (v as string[]).map((s) => (s.includes('=') || /\s/.test(s) ? `"${s}"` : s));
  return `[${items.join(',')}]`;
}

/** Full `info` with no argument. */
export function infoAll(cfg: ZoneConfig, opts: RenderOptions = {}): string[] {
  const schema = opts.schema ?? SCHEMA;
  const lines: string[] = [];
  for (const g of schema.globals) {
    if (opts.isGlobalZone && !g.globalZone.includes('info')) continue;
    lines.push(...infoGlobalProperty(cfg, g.name, schema));
  }
  for (const a of schema.aliases) lines.push(...infoGlobalProperty(cfg, a.alias, schema));
  // Derived like the aliases (bracketed, never exported): given to the zone at its first boot.
  if (opts.idmap) lines.push(`[uid-map: 0 ${opts.idmap.uid} ${opts.idmap.count}]`, `[gid-map: 0 ${opts.idmap.gid} ${opts.idmap.count}]`);
  for (const r of visibleResources(cfg, schema)) {
    if (opts.isGlobalZone && !schema.resourceType(r.type)!.globalZoneAllowed) continue;
    lines.push(...infoResource(r, schema));
  }
  return lines;
}

/** Does a resource match every name=value filter (as `info`, `select` and `remove` use them)? */
export function matchesFilters(res: Resource, filters: ReadonlyArray<readonly [string, string]>): boolean {
  return filters.every(([name, want]) => {
    const v = res.props[name];
    if (v === undefined) return false;
    if (typeof v === 'string') return v === want;
    if (v.length > 0 && typeof v[0] === 'object') {
      return (v as RctlValue[]).some((rv) => formatRctlValue(rv) === want);
    }
    return (v as string[]).includes(want);
  });
}

/** `export`: a command file that recreates the configuration (docs/reference.md#33-export, Solaris 10 order). */
export function exportConfig(cfg: ZoneConfig, opts: RenderOptions = {}): string[] {
  const schema = opts.schema ?? SCHEMA;
  const lines = ['create -b'];
  for (const g of schema.globals) {
    if (g.export === 'never' || (opts.isGlobalZone && !g.globalZone.includes('export'))) continue;
    const v = globalValue(cfg, g.name);
    if (g.export === 'always') lines.push(`set ${g.name}=${quoteIfNeeded(v || g.default)}`);
    else if (v !== '' && v !== g.default) lines.push(`set ${g.name}=${quoteIfNeeded(v)}`);
  }
  for (const spec of schema.resourcesIn('export')) {
    if (opts.isGlobalZone && !spec.globalZoneAllowed) continue;
    for (const res of exportedResources(cfg, spec)) lines.push(...exportResource(res, spec));
  }
  return lines;
}

/** capped-cpu is exported as its rctl, capped-memory as its stored `physical` (swap and locked are rctls). */
function exportedResources(cfg: ZoneConfig, spec: ResourceSpec): Resource[] {
  if (spec.type === 'capped-cpu') return [];
  if (spec.type === 'capped-memory') {
    const view = readCappedMemory(cfg);
    return view?.props.physical !== undefined ? [view] : [];
  }
  return cfg.resources.filter((r) => r.type === spec.type);
}

function exportResource(res: Resource, spec: ResourceSpec): string[] {
  const lines = [`add ${res.type}`];
  for (const prop of spec.props) {
    // capped-memory swap/locked travel as their rctls.
    if (prop.aliasRctl) continue;
    const v = res.props[prop.name];
    if (v === undefined) continue;
    if (prop.kind === 'complex') {
      for (const rv of v as RctlValue[]) lines.push(`add ${prop.name} ${formatRctlValue(rv)}`);
    } else if (prop.kind === 'list') {
      for (const item of v as string[]) lines.push(`add ${prop.name} ${quoteIfNeeded(item)}`);
    } else if (v !== '') {
      lines.push(`set ${prop.name}=${quoteIfNeeded(v as string)}`);
    }
  }
  lines.push('end');
  return lines;
}
