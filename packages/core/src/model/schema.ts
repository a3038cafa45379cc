/**
 * The one table of zone properties and resources. Parsing, validation, `info`/`export` order, tab
 * completion and help all walk these arrays, so a new property is a single edit here.
 * Orders and messages follow zones-reference sections 2 and 3.2 (Solaris wording).
 */
import type { GlobalPropName, ResourceType } from './types.js';

/** Linux brands (DESIGN.md section 3); `native` is what `create` gives. */
export const BRANDS = ['native', 'debian', 'rpm'] as const;
export const DEFAULT_BRAND = 'native';

export interface GlobalPropSpec {
  name: GlobalPropName;
  /** `clear <name>` allowed; zonename/zonepath/brand refuse with "Clearing this property is not allowed". */
  clearable: boolean;
  /** What `clear` stores: autoboot and ip-type go back to their defaults, others become empty. */
  clearTo?: string;
  /** Enumerated values, offered by tab completion. */
  values?: readonly string[];
  /** May be set in the `-z global` configuration. */
  globalZoneAllowed: boolean;
  /** The Solaris message for a value refused at `set` time, undefined when acceptable. */
  check(value: string): string | undefined;
  /** The stored form of an accepted value. */
  normalize?(value: string): string;
}

const acceptAny = (): undefined => undefined;

/** hostid is a 32-bit hex number, so its text (with optional 0x) fits in HW_HOSTID_LEN - 1 = 10. */
const HOSTID_MAX_LENGTH = 10;

export const GLOBAL_PROPERTIES: readonly GlobalPropSpec[] = [
  {
    name: 'zonename',
    clearable: false,
    globalZoneAllowed: false,
    check: (v) => (/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/.test(v) && v !== 'global' ? undefined : `${v}: Bogus zone name`),
  },
  {
    name: 'zonepath',
    clearable: false,
    globalZoneAllowed: false,
    check: (v) => {
      if (!v.startsWith('/')) return `${v} is not an absolute path.`;
      if (/^\/+$/.test(v)) return '/ is not allowed as a zonepath.';
      return undefined;
    },
    normalize: normalizePath,
  },
  { name: 'brand', clearable: false, values: BRANDS, globalZoneAllowed: false, check: acceptAny },
  {
    name: 'autoboot',
    clearable: true,
    clearTo: 'false',
    values: ['true', 'false'],
    globalZoneAllowed: false,
    check: (v) => (v === 'true' || v === 'false' ? undefined : "autoboot value must be 'true' or 'false'."),
  },
  { name: 'bootargs', clearable: true, clearTo: '', globalZoneAllowed: false, check: acceptAny },
  {
    name: 'pool',
    clearable: true,
    clearTo: '',
    globalZoneAllowed: true,
    check: (v) => (v.startsWith('SUNW') ? 'pool names starting with SUNW are reserved.' : undefined),
  },
  // limitpriv is checked as a whole at verify/boot time (section 7), as Solaris does.
  { name: 'limitpriv', clearable: true, clearTo: '', globalZoneAllowed: false, check: acceptAny },
  {
    name: 'scheduling-class',
    clearable: true,
    clearTo: '',
    values: ['FSS', 'TS', 'IA', 'FX', 'RT'],
    globalZoneAllowed: false,
    check: acceptAny,
  },
  {
    name: 'ip-type',
    clearable: true,
    clearTo: 'shared',
    values: ['shared', 'exclusive'],
    globalZoneAllowed: false,
    check: (v) => (v === 'shared' || v === 'exclusive' ? undefined : "ip-type value must be 'shared' or 'exclusive'."),
  },
  {
    name: 'hostid',
    clearable: true,
    clearTo: '',
    globalZoneAllowed: false,
    // Only the length is refused at set; a malformed hostid is reported by verify.
    check: (v) => (v.length > HOSTID_MAX_LENGTH ? `hostid string is too large: ${v}` : undefined),
  },
  { name: 'fs-allowed', clearable: true, clearTo: '', globalZoneAllowed: false, check: acceptAny },
];

/** Collapse repeated `/` and drop a trailing one, as libzonecfg stores zonepath. */
export function normalizePath(path: string): string {
  const collapsed = path.replace(/\/{2,}/g, '/');
  return collapsed.length > 1 && collapsed.endsWith('/') ? collapsed.slice(0, -1) : collapsed;
}

/** A global-property alias for a single-value rctl (zones-reference 2.3), in `info` order. */
export interface RctlAliasSpec {
  alias: string;
  rctl: string;
  action: 'deny' | 'none';
  minimum: number;
  /** max-shm-memory takes K/M/G/T and is printed scaled. */
  sizeSuffix: boolean;
}

export const RCTL_ALIASES: readonly RctlAliasSpec[] = [
  { alias: 'max-lwps', rctl: 'zone.max-lwps', action: 'deny', minimum: 100, sizeSuffix: false },
  { alias: 'max-processes', rctl: 'zone.max-processes', action: 'deny', minimum: 100, sizeSuffix: false },
  { alias: 'max-shm-memory', rctl: 'zone.max-shm-memory', action: 'deny', minimum: 0, sizeSuffix: true },
  { alias: 'max-shm-ids', rctl: 'zone.max-shm-ids', action: 'deny', minimum: 0, sizeSuffix: false },
  { alias: 'max-msg-ids', rctl: 'zone.max-msg-ids', action: 'deny', minimum: 0, sizeSuffix: false },
  { alias: 'max-sem-ids', rctl: 'zone.max-sem-ids', action: 'deny', minimum: 0, sizeSuffix: false },
  { alias: 'cpu-shares', rctl: 'zone.cpu-shares', action: 'none', minimum: 0, sizeSuffix: false },
];

export type PropKind = 'simple' | 'list' | 'complex';

export interface PropSpec {
  name: string;
  /** simple = one token; list = list of simple (fs options); complex = list of rctl values. */
  kind: PropKind;
  /** `end` refuses the resource without it (`<prop> not specified`). */
  required: boolean;
  values?: readonly string[];
  /** Backed by this rctl rather than stored in the resource; info shows it in brackets. */
  aliasRctl?: string;
}

export interface ResourceSpec {
  type: ResourceType;
  /** In `info` order. */
  props: readonly PropSpec[];
  /** At most one per zone; `select`/`remove` take no property filters. */
  single: boolean;
  /** Properties that identify one resource; `end` refuses a second one with the same values. */
  keys: readonly string[];
  globalZoneAllowed: boolean;
}

const simple = (name: string, required = false, values?: readonly string[]): PropSpec =>
  values ? { name, kind: 'simple', required, values } : { name, kind: 'simple', required };

export const FS_TYPES = ['lofs', 'tmpfs', 'ext4', 'ext3', 'ext2', 'xfs', 'btrfs', 'vfat', 'nfs', 'zfs', 'overlay'] as const;
export const ATTR_TYPES = ['boolean', 'int', 'string', 'uint'] as const;
export const ADMIN_AUTHS = ['login', 'manage', 'clonefrom'] as const;
export const SECURITY_FLAGS = ['none', 'all', 'default', 'aslr', 'forbidnullmap', 'noexecstack'] as const;

/** Solaris 10 `info` order: inherit-pkg-dir first, security-flags (a later addition) last. */
export const RESOURCE_TYPES: readonly ResourceSpec[] = [
  { type: 'inherit-pkg-dir', props: [simple('dir', true)], single: false, keys: ['dir'], globalZoneAllowed: false },
  {
    type: 'fs',
    props: [
      simple('dir', true),
      simple('special', true),
      simple('raw'),
      simple('type', true, FS_TYPES),
      { name: 'options', kind: 'list', required: false, values: ['ro', 'rw', 'nodevices', 'nosuid', 'noexec', 'nosub'] },
    ],
    single: false,
    keys: ['dir'],
    globalZoneAllowed: false,
  },
  {
    type: 'net',
    props: [simple('address'), simple('allowed-address'), simple('physical', true), simple('defrouter')],
    single: false,
    keys: ['physical', 'address'],
    globalZoneAllowed: false,
  },
  { type: 'device', props: [simple('match', true)], single: false, keys: ['match'], globalZoneAllowed: false },
  {
    type: 'dedicated-cpu',
    props: [simple('ncpus', true), simple('importance')],
    single: true,
    keys: [],
    globalZoneAllowed: true,
  },
  {
    type: 'capped-cpu',
    props: [{ name: 'ncpus', kind: 'simple', required: true, aliasRctl: 'zone.cpu-cap' }],
    single: true,
    keys: [],
    globalZoneAllowed: true,
  },
  {
    type: 'capped-memory',
    props: [
      simple('physical'),
      { name: 'swap', kind: 'simple', required: false, aliasRctl: 'zone.max-swap' },
      { name: 'locked', kind: 'simple', required: false, aliasRctl: 'zone.max-locked-memory' },
    ],
    single: true,
    keys: [],
    globalZoneAllowed: true,
  },
  {
    type: 'attr',
    props: [simple('name', true), simple('type', true, ATTR_TYPES), simple('value', true)],
    single: false,
    keys: ['name'],
    globalZoneAllowed: false,
  },
  { type: 'dataset', props: [simple('name', true)], single: false, keys: ['name'], globalZoneAllowed: false },
  {
    type: 'admin',
    props: [simple('user', true), simple('auths', true, ADMIN_AUTHS)],
    single: false,
    keys: ['user'],
    globalZoneAllowed: true,
  },
  {
    type: 'rctl',
    props: [simple('name', true), { name: 'value', kind: 'complex', required: true }],
    single: false,
    keys: ['name'],
    globalZoneAllowed: true,
  },
  {
    type: 'security-flags',
    props: [simple('lower', false, SECURITY_FLAGS), simple('default', false, SECURITY_FLAGS), simple('upper', false, SECURITY_FLAGS)],
    single: true,
    keys: [],
    globalZoneAllowed: true,
  },
];

/** The names inside an rctl value `(priv=…,limit=…,action=…)`; Solaris treats them as property names too. */
export const RCTL_VALUE_FIELDS = ['priv', 'limit', 'action'] as const;

/**
 * Every global property at its default (what `create -b` leaves): empty, except those the table
 * gives a value to clear back to (autoboot false, ip-type shared) and the default brand.
 */
export function defaultGlobals(zonename: string): Record<GlobalPropName, string> {
  const g = Object.fromEntries(GLOBAL_PROPERTIES.map((p) => [p.name, p.clearTo ?? ''])) as Record<GlobalPropName, string>;
  g.zonename = zonename;
  g.brand = DEFAULT_BRAND;
  return g;
}

export function globalProperty(name: string): GlobalPropSpec | undefined {
  return GLOBAL_PROPERTIES.find((p) => p.name === name);
}

export function resourceType(name: string): ResourceSpec | undefined {
  return RESOURCE_TYPES.find((r) => r.type === name);
}

export function resourceProperty(type: string, name: string): PropSpec | undefined {
  return resourceType(type)?.props.find((p) => p.name === name);
}

/** Any resource's property (or rctl value field): `set` of one in global scope is refused. */
export function isResourceProperty(name: string): boolean {
  return (
    RESOURCE_TYPES.some((r) => r.props.some((p) => p.name === name)) ||
    (RCTL_VALUE_FIELDS as readonly string[]).includes(name)
  );
}

export function rctlAlias(name: string): RctlAliasSpec | undefined {
  return RCTL_ALIASES.find((a) => a.alias === name);
}
