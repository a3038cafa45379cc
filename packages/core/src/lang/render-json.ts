/**
 * `info --json` (docs/reference.md#32-info): what `info` shows, as typed data, walking the same
 * schema table as the text (render.ts), so that a new property needs no edit here either. A
 * property's kind gives its JSON type: simple a string (null when unset; `true`/`false` when the
 * table enumerates exactly those), list an array of strings, complex an array of
 * `{priv, limit, action}`; an rctl alias is its limit as a number (bytes for max-shm-memory).
 * Schema of the output: docs/schemas/zonecfg-info.schema.json.
 */
import type { PropValue, RctlValue, Resource, ZoneConfig } from '../model/types.js';
import { SCHEMA, globalValue, type PropSpec, type RctlAliasSpec, type Schema } from '../model/schema.js';
import { readAliasedRctl } from '../model/rctl.js';
import { visibleResources, type RenderOptions } from './render.js';

export type JsonScalar = string | number | boolean | null;
export type JsonProp = JsonScalar | string[] | RctlValue[];

export interface JsonResource {
  type: string;
  properties: Record<string, JsonProp>;
}

/** The whole configuration, or the part an `info` argument selects (only that key is then present). */
export interface InfoJson {
  properties?: Record<string, JsonScalar>;
  'rctl-aliases'?: Record<string, number | null>;
  /** the zone's host ids, as `[uid-map: ...]` shows them */
  idmap?: { uid: number; gid: number; count: number };
  resources?: JsonResource[];
}

const isBooleanSet = (values: readonly string[] | undefined) => values?.length === 2 && values.includes('true') && values.includes('false');

function scalar(text: string, values: readonly string[] | undefined): JsonScalar {
  if (text === '') return null;
  return isBooleanSet(values) ? text === 'true' : text;
}

function aliasValue(cfg: ZoneConfig, a: RctlAliasSpec): number | null {
  const r = readAliasedRctl(cfg, a.rctl, a.action);
  return r.state === 'set' ? Number(r.limit) : null;
}

function propValue(v: PropValue | undefined, prop: PropSpec): JsonProp {
  if (prop.kind === 'list') return v === undefined ? [] : typeof v === 'string' ? [v] : (v as string[]);
  if (prop.kind === 'complex') return (v as RctlValue[] | undefined)?.map((rv) => ({ ...rv })) ?? [];
  return typeof v === 'string' ? scalar(v, prop.values) : null;
}

/** One resource, every property of its row (capped-cpu and capped-memory: only those set, as info). */
export function resourceJson(res: Resource, schema: Schema = SCHEMA): JsonResource {
  const spec = schema.resourceType(res.type);
  const onlySet = res.type === 'capped-cpu' || res.type === 'capped-memory';
  const properties: Record<string, JsonProp> = {};
  for (const prop of spec?.props ?? []) {
    if (onlySet && res.props[prop.name] === undefined) continue;
    properties[prop.name] = propValue(res.props[prop.name], prop);
  }
  return { type: res.type, properties };
}

/** `info --json <global property or alias>`. */
export function globalPropertyJson(cfg: ZoneConfig, name: string, schema: Schema = SCHEMA): InfoJson {
  const g = schema.globalProperty(name);
  if (g) return { properties: { [name]: scalar(globalValue(cfg, name), g.values) } };
  const a = schema.rctlAlias(name);
  return a ? { 'rctl-aliases': { [a.alias]: aliasValue(cfg, a) } } : {};
}

/** `info --json` with no argument: everything `info` shows, in its order. */
export function infoAllJson(cfg: ZoneConfig, opts: RenderOptions = {}): InfoJson {
  const schema = opts.schema ?? SCHEMA;
  const properties: Record<string, JsonScalar> = {};
  for (const g of schema.globals) {
    if (opts.isGlobalZone && !g.globalZone.includes('info')) continue;
    properties[g.name] = scalar(globalValue(cfg, g.name), g.values);
  }
  const aliases: Record<string, number | null> = {};
  for (const a of schema.aliases) aliases[a.alias] = aliasValue(cfg, a);
  const resources = visibleResources(cfg, schema)
    .filter((r) => !opts.isGlobalZone || schema.resourceType(r.type)!.globalZoneAllowed)
    .map((r) => resourceJson(r, schema));
  return { properties, 'rctl-aliases': aliases, ...(opts.idmap ? { idmap: { ...opts.idmap } } : {}), resources };
}
