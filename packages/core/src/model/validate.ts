/**
 * The checks of zonecfg `end` (one resource) and `verify` (the whole configuration), with the
 * messages of docs/reference.md#31-what-is-validated and zonecfg.c. Pure: anything needing the host (does a user
 * exist?) comes in through an optional callback.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { Resource, ResourceType, ZoneConfig } from './types.js';
import { ADMIN_AUTHS, BRANDS, SCHEMA, type PropSpec, type ResourceSpec, type Schema } from './schema.js';
import { rctlNameError } from './rctl.js';
import { writeCappedCpu, writeCappedMemory, CPU_CAP_RCTL } from './capped.js';
import { parseLimitpriv, type IpType } from './privileges.js';

export interface EndEnvironment {
  /** Does this login exist on the host? Unchecked when absent. */
  userExists?(name: string): boolean;
}

const text = (res: Resource, prop: string): string => {
  const v = res.props[prop];
  return typeof v === 'string' ? v : '';
};

const ipTypeOf = (cfg: ZoneConfig): IpType => (cfg.globals['ip-type'] === 'exclusive' ? 'exclusive' : 'shared');

// ------------------------------------------------------------------ value rules

/** zonecfg valid_fs_type: one path component, so /usr/lib/fs/<type>/mount stays where it should. */
export function isValidFsType(type: string): boolean {
  return type !== '' && type.length < 256 && !type.includes('/') && type !== '.' && type !== '..';
}

/** validate_net_address_syntax: IPv4[/0-32], IPv6/0-128, or host name[/0-32]. */
export function checkNetAddress(address: string): string | undefined {
  const slash = address.indexOf('/');
  const host = slash >= 0 ? address.slice(0, slash) : address;
  // atoi: leading digits, anything else reads as 0
  const prefix = slash >= 0 ? parseInt(address.slice(slash + 1), 10) || 0 : undefined;
  if (isIPv6(host)) {
    if (prefix === undefined) return `${address}: IPv6 addresses require /prefix-length suffix.`;
    if (prefix < 0 || prefix > 128) return `${address}: IPv6 address prefix lengths must be 0 - 128.`;
    return undefined;
  }
  if (prefix !== undefined && (prefix < 0 || prefix > 32)) return `${address}: IPv4 address prefix lengths must be 0 - 32.`;
  if (isIPv4(host)) return undefined;
  if (!/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(host)) return `${host}: bogus host name or network address syntax`;
  return undefined;
}

/**
 * A physical interface for the zone's ip-type. Linux names (bridges for exclusive-IP, host
 * interfaces for shared-IP) are at most 15 characters and may contain `-`, unlike illumos links.
 */
export function checkNetPhysical(physical: string, ipType: IpType): string | undefined {
  const colon = physical.indexOf(':');
  const base = colon >= 0 ? physical.slice(0, colon) : physical;
  const validBase = /^[A-Za-z][A-Za-z0-9_.-]{0,14}$/.test(base);
  if (colon >= 0) {
    if (ipType === 'exclusive') return `${physical}: physical interface name required; logical interface name not allowed`;
    if (validBase && /^\d+$/.test(physical.slice(colon + 1))) return `${physical}: LUNs not allowed in physical interface names`;
    return `${physical}: invalid physical interface name`;
  }
  return validBase ? undefined : `${physical}: invalid physical interface name`;
}

/** zonecfg_valid_ncpus: `N` or `N-M`, unsigned decimals with 1 <= N <= M. */
export function isValidNcpus(ncpus: string): boolean {
  const m = /^(\d+)(?:-(\d+))?$/.exec(ncpus);
  if (!m) return false;
  const low = BigInt(m[1]!);
  const high = m[2] === undefined ? low : BigInt(m[2]);
  return low >= 1n && low <= high;
}

function attrValueError(type: string, value: string): string | undefined {
  const bad = `invalid attr value for type=${type}`;
  switch (type) {
    case 'boolean':
      return value === 'true' || value === 'false' ? undefined : bad;
    case 'int':
      return inRange(/^\s*[+-]?\d+$/, value, -(2n ** 63n), 2n ** 63n - 1n) ? undefined : bad;
    case 'uint':
      return inRange(/^\s*\+?\d+$/, value, 0n, 2n ** 64n - 1n) ? undefined : bad;
    case 'string':
      return undefined;
    default:
      return `invalid attr type '${type}'`;
  }
}

function inRange(syntax: RegExp, value: string, min: bigint, max: bigint): boolean {
  if (!syntax.test(value)) return false;
  const n = BigInt(value.trim());
  return n >= min && n <= max;
}

function attrNameError(name: string): string | undefined {
  if (!/^[A-Za-z0-9]/.test(name)) return `Invalid attr name ${name}: must start with an alpha-numeric character.`;
  if (!/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(name)) {
    return `Invalid attr name ${name}: can only contain alpha-numeric characters, plus '-' and '.'.`;
  }
  return undefined;
}

/** ZFS filesystem name: pool[/component…], components of [A-Za-z0-9_.:-], pool starts with a letter. */
export function isValidDatasetName(name: string): boolean {
  if (name.length === 0 || name.length >= 256) return false;
  const parts = name.split('/');
  if (!/^[A-Za-z]/.test(parts[0]!)) return false;
  return parts.every((p) => /^[A-Za-z0-9_.:-]+$/.test(p) && p !== '.' && p !== '..');
}

/** libzonecfg hostid: hex (optional 0x), 0 … FFFFFFFE. */
export function isValidHostid(hostid: string): boolean {
  const m = /^(?:0[xX])?([0-9a-fA-F]{1,8})$/.exec(hostid);
  return m !== null && parseInt(m[1]!, 16) <= 0xfffffffe;
}

/** fs-allowed: a comma list of fs types; a leading `-` on the first one drops the defaults. */
export function isValidFsAllowed(value: string): boolean {
  return value
    .split(',')
    .every((t, i) => isValidFsType(i === 0 && t.startsWith('-') ? t.slice(1) : t) || (i === 0 && t === '-'));
}

// ------------------------------------------------------------------ end

/** `<type> resource already exists`-style duplicate sentence for resources sharing key values. */
function duplicateError(res: Resource, spec: ResourceSpec, cfg: ZoneConfig, replacing: number | undefined): string | undefined {
  if (spec.keys.length === 0) return undefined;
  const same = (other: Resource) =>
    other.type === res.type &&
    spec.keys.every((k) => keyValue(res.type, k, text(other, k)) === keyValue(res.type, k, text(res, k)));
  if (!cfg.resources.some((r, i) => i !== replacing && same(r))) return undefined;
  const article = /^[aeiou]/.test(res.type) ? 'An' : 'A';
  if (res.type === 'net') {
    return `A net resource with the physical '${text(res, 'physical')}', and address '${text(res, 'address')}' already exists.`;
  }
  const key = spec.keys[0]!;
  return `${article} ${res.type} resource with the ${key} '${text(res, key)}' already exists.`;
}

/** zonecfg_same_net_address ignores the prefix length. */
function keyValue(type: ResourceType, key: string, value: string): string {
  return type === 'net' && key === 'address' ? value.split('/')[0]! : value;
}

/** How `end` and verify name a missing required property (an rctl's value list is `no value specified`). */
function missingMessage(p: PropSpec): string {
  return p.kind === 'complex' ? `no ${p.name} specified` : `${p.name} not specified`;
}

function requiredErrors(res: Resource, spec: ResourceSpec): string[] {
  const out: string[] = [];
  for (const p of spec.props) {
    if (!p.required) continue;
    const v = res.props[p.name];
    const missing =
      p.kind === 'complex' ? !Array.isArray(v) || v.length === 0 : v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
    if (missing) out.push(missingMessage(p));
  }
  return out;
}

function absolute(res: Resource, prop: string): string | undefined {
  const v = text(res, prop);
  return v !== '' && !v.startsWith('/') ? `${prop} ${v} is not an absolute path.` : undefined;
}

type Checker = (res: Resource, cfg: ZoneConfig, env: EndEnvironment) => Array<string | undefined>;

const END_RULES: Partial<Record<ResourceType, Checker>> = {
  fs: (res) => {
    const type = text(res, 'type');
    return [absolute(res, 'dir'), absolute(res, 'raw'), type !== '' && !isValidFsType(type) ? `"${type}" is not a valid type.` : undefined];
  },
  'inherit-pkg-dir': (res) => [absolute(res, 'dir')],
  net: (res, cfg) => {
    const physical = text(res, 'physical');
    const addresses = ['address', 'allowed-address', 'defrouter'].map((p) => text(res, p)).filter((a) => a !== '');
    return [physical !== '' ? checkNetPhysical(physical, ipTypeOf(cfg)) : undefined, ...addresses.map(checkNetAddress)];
  },
  rctl: (res) => {
    const name = text(res, 'name');
    return [name !== '' ? rctlNameError(name) : undefined];
  },
  attr: (res) => {
    const name = text(res, 'name');
    const type = text(res, 'type');
    return [
      name !== '' ? attrNameError(name) : undefined,
      type !== '' && text(res, 'value') !== '' ? attrValueError(type, text(res, 'value')) : undefined,
    ];
  },
  'dedicated-cpu': (res, cfg) => {
    const ncpus = text(res, 'ncpus');
    const importance = text(res, 'importance');
    return [
      ncpus !== '' && !isValidNcpus(ncpus) ? 'ncpus property is out of range.' : undefined,
      importance !== '' && !/^\s*\+?\d+$/.test(importance) ? 'importance property is out of range.' : undefined,
      dedicatedCpuConflict(cfg),
    ];
  },
  admin: (res, _cfg, env) => {
    const user = text(res, 'user');
    const auths = text(res, 'auths');
    const badAuths = auths === '' ? [] : auths.split(',').filter((a) => !(ADMIN_AUTHS as readonly string[]).includes(a));
    return [
      user !== '' && env.userExists && !env.userExists(user) ? `user ${user} is not a valid username` : undefined,
      ...badAuths.map((a) => `'${a}' is not a valid authorization`),
    ];
  },
};

/** What stands in the way of a dedicated-cpu resource (add_resource in zonecfg.c). */
function dedicatedCpuConflict(cfg: ZoneConfig): string | undefined {
  if (cfg.resources.some((r) => r.type === 'rctl' && r.props.name === CPU_CAP_RCTL)) {
    return 'The capped-cpu resource already exists.';
  }
  if (cfg.globals.pool !== '') {
    return 'The pool property is already set.  A persistent pool is incompatible with\nthe dedicated-cpu resource.';
  }
  return undefined;
}

/**
 * Everything `end` checks for `res`, which replaces cfg.resources[replacing] when selected
 * (so duplicates are looked for among the other resources only). Empty = acceptable.
 */
export function checkResourceEnd(
  res: Resource,
  cfg: ZoneConfig,
  replacing: number | undefined,
  zoneIsGlobal: boolean,
  env: EndEnvironment = {},
  schema: Schema = SCHEMA,
): string[] {
  const spec = schema.resourceType(res.type);
  if (!spec) return [`${res.type}: No such resource type`];
  if (zoneIsGlobal && !spec.globalZoneAllowed) return [`Cannot add a ${res.type} resource to the global zone.`];
  if (res.type === 'capped-cpu' || res.type === 'capped-memory') {
    const scratch = structuredClone(cfg);
    const err =
      res.type === 'capped-cpu' ? writeCappedCpu(scratch, res) : writeCappedMemory(scratch, res, { isGlobal: zoneIsGlobal });
    return err ? [err] : [];
  }
  if (spec.single && cfg.resources.some((r, i) => r.type === res.type && i !== replacing)) {
    return [`The ${res.type} resource already exists.`];
  }
  const problems = [...requiredErrors(res, spec), ...(END_RULES[res.type]?.(res, cfg, env) ?? [])].filter(
    (p): p is string => p !== undefined,
  );
  if (problems.length > 0) return problems;
  const dup = duplicateError(res, spec, cfg, replacing);
  return dup ? [dup] : [];
}

// ------------------------------------------------------------------ add / set helpers

export const GLOBAL_ZONE_RCTL_WARNING =
  'WARNING: Setting a global zone resource control too low could deny\nservice to even the root user; ' +
  'this could render the system impossible\nto administer.  Please use caution.';
export const GLOBAL_ZONE_MEMCAP_WARNING =
  'WARNING: Setting a global zone memory cap too low could deny\nservice to even the root user; ' +
  'this could render the system impossible\nto administer.  Please use caution.';

/** `add <type>` refusals that depend on what the configuration already holds. */
export function checkAddResource(
  cfg: ZoneConfig,
  type: ResourceType,
  zoneIsGlobal: boolean,
  schema: Schema = SCHEMA,
): string | undefined {
  const spec = schema.resourceType(type);
  if (!spec) return `${type}: No such resource type`;
  if (zoneIsGlobal && !spec.globalZoneAllowed) return `Cannot add a ${type} resource to the global zone.`;
  if (type === 'dedicated-cpu') {
    if (cfg.resources.some((r) => r.type === 'dedicated-cpu')) return 'The dedicated-cpu resource already exists.';
    return dedicatedCpuConflict(cfg);
  }
  if (type === 'capped-cpu' && cfg.resources.some((r) => r.type === 'dedicated-cpu')) {
    return 'The dedicated-cpu resource already exists.';
  }
  return undefined;
}

/** `set <global property>`: the schema's value check plus the pool / dedicated-cpu conflict. */
export function checkSetGlobal(
  cfg: ZoneConfig,
  name: string,
  value: string,
  zoneIsGlobal: boolean,
  schema: Schema = SCHEMA,
): string | undefined {
  const spec = schema.globalProperty(name);
  if (!spec) return `${name}: No such property type`;
  if (zoneIsGlobal && !spec.globalZone.includes('set')) return `${name} is not a valid property for the global zone.`;
  const problem = spec.check(value);
  if (problem) return problem;
  if (name === 'pool' && cfg.resources.some((r) => r.type === 'dedicated-cpu')) {
    return 'The dedicated-cpu resource already exists.  A persistent pool is incompatible\nwith the dedicated-cpu resource.';
  }
  return undefined;
}

// ------------------------------------------------------------------ verify

export interface VerifyOptions {
  isGlobal: boolean;
  schema?: Schema;
}

export interface VerifyReport {
  messages: string[];
  /**
   * The libzonecfg error text zonecfg prints last as `<zone>: <error>` (after
   * `Zone <z> failed to verify` on commit); undefined when the configuration verified.
   */
  error?: string;
}

const REQUIRED_PROPERTY_MISSING = 'Required property missing';

/** zonecfg `verify` as a report: its messages in order, and the error text of the first failure. */
export function verifyReport(cfg: ZoneConfig, opts: VerifyOptions): VerifyReport {
  const zone = cfg.globals.zonename;
  const messages: string[] = [];
  let error: string | undefined;
  const fail = (message: string, code: string) => {
    messages.push(message);
    error ??= code;
  };
  const g = cfg.globals;

  if (!opts.isGlobal && g.zonepath === '') {
    // Templates carry zonepath="" (the DTD requires the attribute), so an unset zonepath reads as
    // empty in zonecfg and only this line prints.
    fail('zonepath cannot be empty.', 'Required resource missing');
  }
  if (!opts.isGlobal && g.brand !== '' && !(BRANDS as readonly string[]).includes(g.brand)) {
    // zonecfg stops verifying here.
    fail(`${zone}: unknown brand.`, 'Invalid document');
    return { messages, error };
  }
  if (g['ip-type'] !== '' && g['ip-type'] !== 'shared' && g['ip-type'] !== 'exclusive') {
    fail('cannot get ip-type', 'Required resource missing');
  }
  const ipType = ipTypeOf(cfg);
  if (!opts.isGlobal) {
    const priv = parseLimitpriv(g.limitpriv, ipType);
    if (!priv.ok) for (const p of priv.invalid) fail(`${zone}: invalid privilege: ${p}`, 'Invalid argument');
    if (g.hostid !== '' && !isValidHostid(g.hostid)) fail(`${zone}: invalid hostid: ${g.hostid}`, 'Invalid argument');
    if (g['fs-allowed'] !== '' && !isValidFsAllowed(g['fs-allowed'])) {
      fail(`${zone}: invalid fs-allowed: ${g['fs-allowed']}`, 'Invalid argument');
    }
  }

  const reqd = (res: Resource, prop: string) => {
    if (text(res, prop) === '') fail(`${res.type}: ${prop} not specified`, REQUIRED_PROPERTY_MISSING);
  };
  // What verify checks besides the required properties, at the point illumos's verify_func does.
  const more: Partial<Record<ResourceType, { each?(r: Resource): void; after?(): void }>> = {
    net: { each: (r) => verifyNet(r, ipType, reqd, fail) },
    rctl: { after: () => verifyCpuRctls(cfg, fail) },
    dataset: {
      each: (r) => {
        const name = text(r, 'name');
        if (name !== '' && !isValidDatasetName(name)) fail('dataset: name invalid', 'Bad document property');
      },
    },
  };
  for (const spec of (opts.schema ?? SCHEMA).resourcesIn('verify')) {
    const extra = more[spec.type as ResourceType];
    for (const r of cfg.resources.filter((x) => x.type === spec.type)) {
      for (const p of spec.props.filter((x) => x.required)) {
        if (p.kind === 'simple') reqd(r, p.name);
        else if (((r.props[p.name] ?? []) as unknown[]).length === 0) fail(`${r.type}: ${missingMessage(p)}`, REQUIRED_PROPERTY_MISSING);
      }
      extra?.each?.(r);
    }
    extra?.after?.();
  }
  return { messages, error };
}

/** The cpu rctls against dedicated-cpu and the scheduling class (verify, after the rctls). */
function verifyCpuRctls(cfg: ZoneConfig, fail: (message: string, code: string) => void): void {
  const hasRctl = (name: string) => cfg.resources.some((r) => r.type === 'rctl' && r.props.name === name);
  const hasShares = hasRctl('zone.cpu-shares');
  const dedicated = cfg.resources.some((r) => r.type === 'dedicated-cpu');
  if (dedicated && hasShares) fail('rctl zone.cpu-shares and dedicated-cpu are incompatible.', 'Incompatible settings');
  const sched = cfg.globals['scheduling-class'];
  if (hasShares && sched !== '' && sched !== 'FSS') {
    fail(`WARNING: rctl zone.cpu-shares and scheduling-class=${sched} are incompatible`, 'Incompatible settings');
  }
  if (dedicated && hasRctl(CPU_CAP_RCTL)) fail('rctl zone.cpu-cap and the dedicated-cpu are incompatible.', 'Incompatible settings');
}

/** A net's addresses for the zone's ip-type (its physical is required, and checked first). */
function verifyNet(
  r: Resource,
  ipType: IpType,
  reqd: (res: Resource, prop: string) => void,
  fail: (message: string, code: string) => void,
): void {
  const physical = text(r, 'physical');
  const bad = physical === '' ? undefined : checkNetPhysical(physical, ipType);
  if (bad) fail(bad, 'Invalid argument');
  if (ipType === 'shared') {
    reqd(r, 'address');
    if (text(r, 'allowed-address') !== '') {
      fail('net: allowed-address cannot be specified for a shared IP type', 'Invalid argument');
    }
    return;
  }
  if (text(r, 'address') !== '') fail('net: address cannot be specified for an exclusive IP type', 'Invalid argument');
  if (text(r, 'defrouter') !== '' && text(r, 'allowed-address') === '') {
    fail(
      `net: defrouter for ${physical} cannot be specified without allowed-address for an exclusive IP type`,
      'Invalid argument',
    );
  }
}

/** The messages of zonecfg `verify`; an empty array means the configuration verified. */
export function verifyConfig(cfg: ZoneConfig, opts: VerifyOptions): string[] {
  return verifyReport(cfg, opts).messages;
}

// ------------------------------------------------------------------ global zone

/** `remove`/`info` of a resource type the global zone cannot have. */
export function globalZoneResourceError(type: string, schema: Schema = SCHEMA): string | undefined {
  return schema.resourceType(type)?.globalZoneAllowed === false ? `${type} is not a valid resource for the global zone.` : undefined;
}

export function globalZonePropertyError(name: string, schema: Schema = SCHEMA): string | undefined {
  const spec = schema.globalProperty(name);
  return spec && !spec.globalZone.includes('set') ? `${name} is not a valid property for the global zone.` : undefined;
}
