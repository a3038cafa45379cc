/**
 * Resource controls: names, the `(priv=…,limit=…,action=…)` value syntax (docs/reference.md#24-rctl-values) and
 * the global-property aliases that stand for a single-value rctl (2.3). Aliases are not stored on
 * their own: an alias is just an rctl resource whose one value has the alias's priv and action.
 */
import type { Resource, RctlValue, ZoneConfig } from './types.js';
import { rctlAlias, type RctlAliasSpec } from './schema.js';
import { formatSize, parseSize } from './size.js';

const RCTL_NAME = /^zone\.[A-Za-z-]+$/;
const UINT64_MAX = 2n ** 64n - 1n;

export function isValidRctlName(name: string): boolean {
  return RCTL_NAME.test(name);
}

export function rctlNameError(name: string): string | undefined {
  return isValidRctlName(name) ? undefined : `'${name}' is not a valid zone rctl name.`;
}

export const INVALID_RCTL_VALUE = 'Invalid rctl value specification';

/**
 * An rctl value from its name=value pairs, or the zonecfg message(s) refusing it (several
 * "<x> not specified" lines are joined with a newline, as zonecfg prints each).
 */
export function parseRctlValue(pairs: ReadonlyArray<readonly [string, string]>): RctlValue | string {
  const seen: Partial<Record<'priv' | 'limit' | 'action', string>> = {};
  for (const [name, value] of pairs) {
    if (name !== 'priv' && name !== 'limit' && name !== 'action') return 'value: No such property type';
    if (seen[name] !== undefined) return `${name} already specified`;
    seen[name] = value;
  }
  const missing = (['priv', 'limit', 'action'] as const).filter((n) => seen[n] === undefined);
  if (missing.length > 0) return missing.map((n) => `${n} not specified`).join('\n');
  const v: RctlValue = { priv: seen.priv!, limit: seen.limit!, action: seen.action! };
  return isAcceptedRctlValue(v) ? v : INVALID_RCTL_VALUE;
}

/**
 * What zonecfg accepts before knowing the target system: `basic`/`system` privileges and the
 * `signal` action parse but are refused; the limit is strtoull base 0 without any `-`.
 */
export function isAcceptedRctlValue(v: RctlValue): boolean {
  return v.priv === 'privileged' && (v.action === 'none' || v.action === 'deny') && parseRctlLimit(v.limit) !== undefined;
}

/** strtoull(s, 0): decimal, 0x hex or 0 octal, optional leading blanks and `+`; no `-`, no overflow. */
export function parseRctlLimit(text: string): bigint | undefined {
  if (text.includes('-')) return undefined;
  const m = /^\s*\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!m) return undefined;
  const digits = m[1]!;
  const n = /^0[0-7]+$/.test(digits) ? BigInt('0o' + digits.slice(1)) : BigInt(digits);
  return n <= UINT64_MAX ? n : undefined;
}

export function formatRctlValue(v: RctlValue): string {
  return `(priv=${v.priv},limit=${v.limit},action=${v.action})`;
}

// ------------------------------------------------------------------ aliased rctls

export type AliasedRctl = { state: 'absent' } | { state: 'set'; limit: bigint } | { state: 'incompatible' };

function rctlIndex(cfg: ZoneConfig, name: string): number {
  return cfg.resources.findIndex((r) => r.type === 'rctl' && r.props.name === name);
}

/**
 * How an rctl looks through an alias: set only when it holds exactly one value carrying the
 * alias's priv and action; anything else is an explicit rctl the alias must not overwrite.
 */
export function readAliasedRctl(cfg: ZoneConfig, rctl: string, action: string): AliasedRctl {
  const i = rctlIndex(cfg, rctl);
  if (i < 0) return { state: 'absent' };
  const values = (cfg.resources[i]!.props.value ?? []) as RctlValue[];
  const only = values.length === 1 ? values[0]! : undefined;
  const limit = only && only.priv === 'privileged' && only.action === action ? parseRctlLimit(only.limit) : undefined;
  return limit === undefined ? { state: 'incompatible' } : { state: 'set', limit };
}

/** Replace the rctl by a single-value one; like libzonecfg, the new entry goes last. */
export function writeAliasedRctl(cfg: ZoneConfig, rctl: string, action: string, limit: bigint): void {
  removeRctl(cfg, rctl);
  const res: Resource = {
    type: 'rctl',
    props: { name: rctl, value: [{ priv: 'privileged', limit: limit.toString(), action }] },
  };
  cfg.resources.push(res);
}

export function removeRctl(cfg: ZoneConfig, rctl: string): void {
  cfg.resources = cfg.resources.filter((r) => !(r.type === 'rctl' && r.props.name === rctl));
}

/** An alias by name (in this program's schema) or its row (of any schema). */
function aliasSpec(alias: string | RctlAliasSpec): RctlAliasSpec | undefined {
  return typeof alias === 'string' ? rctlAlias(alias) : alias;
}

/** The alias's value as `info` prints it (`[max-lwps: 500]`, `[max-shm-memory: 1G]`). */
export function getAlias(cfg: ZoneConfig, alias: string | RctlAliasSpec): string | undefined {
  const spec = aliasSpec(alias);
  if (!spec) return undefined;
  const r = readAliasedRctl(cfg, spec.rctl, spec.action);
  if (r.state !== 'set') return undefined;
  return spec.sizeSuffix ? formatSize(Number(r.limit)) : r.limit.toString();
}

export const NON_NEGATIVE_SIZE_EXPECTED =
  'A non-negative number with a required scale suffix (K, M, G or T) was expected\nhere.';

/** `set <alias>=<text>`: the Solaris error, or undefined once cfg holds the new rctl. */
export function setAlias(cfg: ZoneConfig, alias: string | RctlAliasSpec, text: string): string | undefined {
  const spec = aliasSpec(alias);
  if (!spec) return `${alias}: No such property type`;
  let value = text;
  if (spec.sizeSuffix) {
    const bytes = parseSize(text);
    if (bytes === undefined) return NON_NEGATIVE_SIZE_EXPECTED;
    value = String(bytes);
  }
  if (readAliasedRctl(cfg, spec.rctl, spec.action).state === 'incompatible') {
    return `${spec.alias}: An incompatible rctl already exists for this property`;
  }
  const limit = parseUnsignedDecimal(value);
  if (limit === undefined || limit < BigInt(spec.minimum)) return `${spec.alias} property is out of range.`;
  writeAliasedRctl(cfg, spec.rctl, spec.action, limit);
  return undefined;
}

/** libzonecfg valid_uint: strtoull base 10 over the whole text, and no `-` anywhere. */
export function parseUnsignedDecimal(text: string): bigint | undefined {
  if (text.includes('-')) return undefined;
  const m = /^\s*\+?([0-9]+)$/.exec(text);
  if (!m) return undefined;
  const n = BigInt(m[1]!);
  return n <= UINT64_MAX ? n : undefined;
}

/** `clear <alias>`: removes the rctl; the error when there is no such alias value to clear. */
export function clearAlias(cfg: ZoneConfig, alias: string | RctlAliasSpec): string | undefined {
  const spec = aliasSpec(alias);
  if (!spec) return `${alias}: No such property type`;
  const r = readAliasedRctl(cfg, spec.rctl, spec.action);
  if (r.state === 'absent') return `clear ${spec.alias}: No such entry`;
  if (r.state === 'incompatible') return `clear ${spec.alias}: An incompatible rctl already exists for this property`;
  removeRctl(cfg, spec.rctl);
  return undefined;
}
