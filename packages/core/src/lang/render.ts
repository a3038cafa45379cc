/**
 * `info` and `export` text, walking the schema table so that a new property needs no edit here.
 * Layouts follow zones-reference 3.2 and 3.3 (Solaris 10 flavour: inherit-pkg-dir blocks come
 * right after the global properties).
 */
import type { PropValue, Resource, RctlValue, ZoneConfig } from '../model/types.js';
import { GLOBAL_PROPERTIES, RCTL_ALIASES, RESOURCE_TYPES, resourceType } from '../model/schema.js';
import { getAlias } from '../model/rctl.js';
import { formatRctlValue } from '../model/rctl.js';
import { readCappedCpu, readCappedMemory } from '../model/capped.js';

/** Global properties that `info`/`export` leave out for `-z global` (zones-reference 3.2). */
const HIDDEN_FOR_GLOBAL = new Set([
  'zonepath',
  'brand',
  'autoboot',
  'bootargs',
  'limitpriv',
  'scheduling-class',
  'ip-type',
  'hostid',
  'fs-allowed',
]);
const HIDDEN_TYPES_FOR_GLOBAL = new Set(['fs', 'net', 'device', 'attr', 'dataset', 'inherit-pkg-dir']);

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
  isGlobalZone?: boolean;
  /** The zone's host ids: info shows them as /proc/PID/uid_map does (inside, outside, count). */
  idmap?: { uid: number; gid: number; count: number };
}

/**
 * The resources as a user sees them, in info order: the stored ones plus the virtual capped-cpu
 * and capped-memory views built from their rctls.
 */
export function visibleResources(cfg: ZoneConfig): Resource[] {
  const out: Resource[] = [];
  for (const spec of RESOURCE_TYPES) {
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

export function infoGlobalProperty(cfg: ZoneConfig, name: string): string[] {
  const g = GLOBAL_PROPERTIES.find((p) => p.name === name);
  if (g) return [`${name}: ${(cfg.globals as Record<string, string>)[name] ?? ''}`];
  const alias = RCTL_ALIASES.find((a) => a.alias === name);
  if (alias) {
    const v = getAlias(cfg, alias.alias);
    return v === undefined ? [] : [`[${alias.alias}: ${v}]`];
  }
  return [];
}

export function infoResource(res: Resource): string[] {
  const spec = resourceType(res.type);
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
  const lines: string[] = [];
  for (const g of GLOBAL_PROPERTIES) {
    if (opts.isGlobalZone && HIDDEN_FOR_GLOBAL.has(g.name)) continue;
    lines.push(...infoGlobalProperty(cfg, g.name));
  }
  for (const a of RCTL_ALIASES) lines.push(...infoGlobalProperty(cfg, a.alias));
  // Derived like the aliases (bracketed, never exported): given to the zone at its first boot.
  if (opts.idmap) lines.push(`[uid-map: 0 ${opts.idmap.uid} ${opts.idmap.count}]`, `[gid-map: 0 ${opts.idmap.gid} ${opts.idmap.count}]`);
  for (const r of visibleResources(cfg)) {
    if (opts.isGlobalZone && HIDDEN_TYPES_FOR_GLOBAL.has(r.type)) continue;
    lines.push(...infoResource(r));
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

/** Order of resource blocks in export (zones-reference 3.3, Solaris 10). */
const EXPORT_ORDER = [
  'inherit-pkg-dir',
  'fs',
  'net',
  'device',
  'capped-memory',
  'rctl',
  'attr',
  'dataset',
  'dedicated-cpu',
  'admin',
  'security-flags',
];

/** `export`: a command file that recreates the configuration. */
export function exportConfig(cfg: ZoneConfig, opts: RenderOptions = {}): string[] {
  const g = cfg.globals;
  const lines = ['create -b'];
  const set = (name: string, value: string) => lines.push(`set ${name}=${quoteIfNeeded(value)}`);
  if (!opts.isGlobalZone) {
    if (g.zonepath) set('zonepath', g.zonepath);
    if (g.brand && g.brand !== 'native') set('brand', g.brand);
    set('autoboot', g.autoboot || 'false');
    for (const name of ['bootargs', 'pool', 'limitpriv', 'scheduling-class'] as const) {
      if (g[name]) set(name, g[name]);
    }
    set('ip-type', g['ip-type'] || 'shared');
    for (const name of ['hostid', 'fs-allowed'] as const) if (g[name]) set(name, g[name]);
  } else {
    for (const name of ['pool', 'scheduling-class'] as const) if (g[name]) set(name, g[name]);
  }
  for (const type of EXPORT_ORDER) {
    if (opts.isGlobalZone && HIDDEN_TYPES_FOR_GLOBAL.has(type)) continue;
    // capped-memory exports only `physical`, in its printed form; swap and locked are rctls.
    const view = type === 'capped-memory' ? readCappedMemory(cfg) : undefined;
    const resources =
      type === 'capped-memory'
        ? view?.props.physical !== undefined
          ? [view]
          : []
        : cfg.resources.filter((r) => r.type === type);
    for (const res of resources) lines.push(...exportResource(res));
  }
  return lines;
}

function exportResource(res: Resource): string[] {
  const spec = resourceType(res.type);
  const lines = [`add ${res.type}`];
  for (const prop of spec?.props ?? []) {
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
