/**
 * The one table of zone properties and resources. The store, parsing, validation, `info`,
 * `export`, help and completion all walk it (through a {@link Schema}), so a new property is a
 * single edit here: a row, or a property in a resource's row.
 * Orders and messages follow docs/reference.md#2-properties-and-resources and docs/reference.md#32-info (Solaris wording).
 */

/** Linux brands (docs/brands.md#which-installer); `native` is what `create` gives. */
export const BRANDS = ['native', 'debian', 'rpm'] as const;
export const DEFAULT_BRAND = 'native';

/** What `-z global` does with a global property: `set` it (and `clear`, `info <name>`), or show it in `info` or `export`. */
export type GlobalZoneUse = 'set' | 'info' | 'export';

export interface GlobalPropSpec {
  readonly name: string;
  /** What `create -b` stores (zonename: the zone's own name), and what `clear` goes back to. */
  readonly default: string;
  /** `clear <name>` allowed; zonename/zonepath/brand refuse with "Clearing this property is not allowed". */
  readonly clearable: boolean;
  /** Enumerated values, offered by tab completion. */
  readonly values?: readonly string[];
  /** What the `-z global` configuration may do with it. */
  readonly globalZone: readonly GlobalZoneUse[];
  /** `export` writes it always (an empty value as its default), only when not at its default, or never. */
  readonly export: 'always' | 'unless-default' | 'never';
  /** False for the later additions that illumos's help list never gained; help prints that list as it was. */
  readonly inHelp?: false;
  /** What it is, one sentence for the reference (docs/commands/zonecfg.md, zonecfg(8)); the markup of manual/model.ts. */
  readonly summary?: string;
  /** The Solaris message for a value refused at `set` time, undefined when acceptable. */
  check(value: string): string | undefined;
  /** The stored form of an accepted value. */
  normalize?(value: string): string;
}

const acceptAny = (): undefined => undefined;

/** hostid is a 32-bit hex number, so its text (with optional 0x) fits in HW_HOSTID_LEN - 1 = 10. */
const HOSTID_MAX_LENGTH = 10;

/** In `info` and `export` order. */
const GLOBAL_ROWS = [
  {
    name: 'zonename',
    default: '',
    clearable: false,
    globalZone: ['info'],
    // `-z` names the zone, so export never sets it.
    export: 'never',
    summary: "The zone's name; `-z` gives it, `set zonename` renames the zone.",
    check: (v) => (/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/.test(v) && v !== 'global' ? undefined : `${v}: Bogus zone name`),
  },
  {
    name: 'zonepath',
    default: '',
    clearable: false,
    globalZone: [],
    export: 'unless-default',
    summary: "Absolute path of the directory under which the zone's root lives; it must be set before install.",
    check: (v) => {
      if (!v.startsWith('/')) return `${v} is not an absolute path.`;
      if (/^\/+$/.test(v)) return '/ is not allowed as a zonepath.';
      return undefined;
    },
    normalize: normalizePath,
  },
  { name: 'brand', default: DEFAULT_BRAND, clearable: false, values: BRANDS, globalZone: [], export: 'unless-default', summary: "Which installer builds the zone's root ([docs/brands.md](docs/brands.md#which-installer)).", check: acceptAny },
  {
    name: 'autoboot',
    default: 'false',
    clearable: true,
    values: ['true', 'false'],
    globalZone: [],
    export: 'always',
    summary: 'Boot the zone when the host starts, if the zones service is enabled.',
    check: (v) => (v === 'true' || v === 'false' ? undefined : "autoboot value must be 'true' or 'false'."),
  },
  { name: 'bootargs', default: '', clearable: true, globalZone: [], export: 'unless-default', summary: "Arguments given to the zone's init at boot; `zoneadm boot -- args` replaces them.", check: acceptAny },
  {
    name: 'pool',
    default: '',
    clearable: true,
    globalZone: ['set', 'info', 'export'],
    export: 'unless-default',
    summary: 'The resource pool the zone is bound to; incompatible with dedicated-cpu.',
    check: (v) => (v.startsWith('SUNW') ? 'pool names starting with SUNW are reserved.' : undefined),
  },
  // limitpriv is checked as a whole at verify/boot time (docs/reference.md#7-privileges-limitpriv), as Solaris does.
  { name: 'limitpriv', default: '', clearable: true, globalZone: [], export: 'unless-default', summary: "The zone's privilege set ([docs/reference.md](docs/reference.md#7-privileges-limitpriv)), checked as a whole at verify and boot.", check: acceptAny },
  {
    name: 'scheduling-class',
    default: '',
    clearable: true,
    values: ['FSS', 'TS', 'IA', 'FX', 'RT'],
    // Never settable there, yet exported for the global zone (as illumos's export_func does).
    globalZone: ['export'],
    export: 'unless-default',
    summary: "The scheduling class of the zone's processes.",
    check: acceptAny,
  },
  {
    name: 'ip-type',
    default: 'shared',
    clearable: true,
    values: ['shared', 'exclusive'],
    globalZone: [],
    export: 'always',
    summary: "`shared`: the host's network stack; `exclusive`: a network namespace of its own.",
    check: (v) => (v === 'shared' || v === 'exclusive' ? undefined : "ip-type value must be 'shared' or 'exclusive'."),
  },
  {
    name: 'hostid',
    default: '',
    clearable: true,
    globalZone: [],
    export: 'unless-default',
    inHelp: false,
    // Only the length is refused at set; a malformed hostid is reported by verify.
    summary: "The host id the zone's processes see (hex, up to FFFFFFFE).",
    check: (v) => (v.length > HOSTID_MAX_LENGTH ? `hostid string is too large: ${v}` : undefined),
  },
  { name: 'fs-allowed', default: '', clearable: true, globalZone: [], export: 'unless-default', inHelp: false, summary: 'Extra file system types that may be mounted inside the zone (comma list).', check: acceptAny },
] as const satisfies readonly GlobalPropSpec[];
export const GLOBAL_PROPERTIES: readonly GlobalPropSpec[] = GLOBAL_ROWS;

/** Collapse repeated `/` and drop a trailing one, as libzonecfg stores zonepath. */
export function normalizePath(path: string): string {
  const collapsed = path.replace(/\/{2,}/g, '/');
  return collapsed.length > 1 && collapsed.endsWith('/') ? collapsed.slice(0, -1) : collapsed;
}

/** A global-property alias for a single-value rctl (docs/reference.md#23-rctl-aliases). */
export interface RctlAliasSpec {
  readonly alias: string;
  readonly rctl: string;
  readonly action: 'deny' | 'none';
  readonly minimum: number;
  /** max-shm-memory takes K/M/G/T and is printed scaled. */
  readonly sizeSuffix: boolean;
  /** False for the later additions that illumos's help list never gained. */
  readonly inHelp?: false;
}

/** In `info` order (after the global properties). */
const ALIAS_ROWS = [
  { alias: 'max-lwps', rctl: 'zone.max-lwps', action: 'deny', minimum: 100, sizeSuffix: false },
  { alias: 'max-processes', rctl: 'zone.max-processes', action: 'deny', minimum: 100, sizeSuffix: false, inHelp: false },
  { alias: 'max-shm-memory', rctl: 'zone.max-shm-memory', action: 'deny', minimum: 0, sizeSuffix: true },
  { alias: 'max-shm-ids', rctl: 'zone.max-shm-ids', action: 'deny', minimum: 0, sizeSuffix: false },
  { alias: 'max-msg-ids', rctl: 'zone.max-msg-ids', action: 'deny', minimum: 0, sizeSuffix: false },
  { alias: 'max-sem-ids', rctl: 'zone.max-sem-ids', action: 'deny', minimum: 0, sizeSuffix: false },
  { alias: 'cpu-shares', rctl: 'zone.cpu-shares', action: 'none', minimum: 0, sizeSuffix: false },
] as const satisfies readonly RctlAliasSpec[];
export const RCTL_ALIASES: readonly RctlAliasSpec[] = ALIAS_ROWS;

export type PropKind = 'simple' | 'list' | 'complex';

export interface PropSpec {
  readonly name: string;
  /** simple = one token; list = list of simple (fs options); complex = list of rctl values. */
  readonly kind: PropKind;
  /** `end` refuses the resource without it (`<prop> not specified`); so does verify, for the types it checks. */
  readonly required: boolean;
  readonly values?: readonly string[];
  /** Backed by this rctl rather than stored in the resource; info shows it in brackets. */
  readonly aliasRctl?: string;
  /** `clear <name>` inside the resource scope empties it (zonecfg allows no other property there). */
  readonly clearable?: true;
  /** False for the later additions that illumos's help list never gained. */
  readonly inHelp?: false;
}

/** The lists that walk resource types in an order of their own (the table's order is `info`'s). */
export type ResourceListing = 'export' | 'help' | 'verify';

export interface ResourceSpec {
  readonly type: string;
  /** In `info` order. */
  readonly props: readonly PropSpec[];
  /** At most one per zone; `select`/`remove` take no property filters. */
  readonly single: boolean;
  /** Properties that identify one resource; `end` refuses a second one with the same values. */
  readonly keys: readonly string[];
  readonly globalZoneAllowed: boolean;
  /**
   * The type's place in `export` (Solaris 10 order), in help's lists and in verify's checks
   * (illumos verify_func's order). Absent from help: illumos's lists never gained it; absent from
   * verify: only `end` checks it, as in illumos.
   */
  readonly rank: { readonly export: number; readonly help?: number; readonly verify?: number };
}

/** A simple property, keeping its literal name for the derived types. */
function simple<N extends string>(name: N, required = false, values?: readonly string[]) {
  return values ? ({ name, kind: 'simple', required, values } as const) : ({ name, kind: 'simple', required } as const);
}

export const FS_TYPES = ['lofs', 'tmpfs', 'ext4', 'ext3', 'ext2', 'xfs', 'btrfs', 'vfat', 'nfs', 'zfs', 'overlay'] as const;
export const ATTR_TYPES = ['boolean', 'int', 'string', 'uint'] as const;
export const ADMIN_AUTHS = ['login', 'manage', 'clonefrom'] as const;
export const SECURITY_FLAGS = ['none', 'all', 'default', 'aslr', 'forbidnullmap', 'noexecstack'] as const;

/** Solaris 10 `info` order: inherit-pkg-dir first, security-flags (a later addition) last. */
const RESOURCE_ROWS = [
  {
    type: 'inherit-pkg-dir',
    props: [simple('dir', true)],
    single: false,
    keys: ['dir'],
    globalZoneAllowed: false,
    rank: { export: 0, help: 1, verify: 0 },
  },
  {
    type: 'fs',
    props: [
      simple('dir', true),
      simple('special', true),
      { ...simple('raw'), clearable: true },
      simple('type', true, FS_TYPES),
      { name: 'options', kind: 'list', required: false, values: ['ro', 'rw', 'nodevices', 'nosuid', 'noexec', 'nosub'] },
    ],
    single: false,
    keys: ['dir'],
    globalZoneAllowed: false,
    rank: { export: 1, help: 0, verify: 1 },
  },
  {
    type: 'net',
    props: [simple('address'), { ...simple('allowed-address'), inHelp: false }, simple('physical', true), simple('defrouter')],
    single: false,
    keys: ['physical', 'address'],
    globalZoneAllowed: false,
    rank: { export: 2, help: 2, verify: 2 },
  },
  {
    type: 'device',
    props: [simple('match', true)],
    single: false,
    keys: ['match'],
    globalZoneAllowed: false,
    rank: { export: 3, help: 3 },
  },
  {
    type: 'dedicated-cpu',
    props: [simple('ncpus', true), { ...simple('importance'), clearable: true }],
    single: true,
    keys: [],
    globalZoneAllowed: true,
    rank: { export: 9, help: 7 },
  },
  {
    type: 'capped-cpu',
    props: [{ name: 'ncpus', kind: 'simple', required: true, aliasRctl: 'zone.cpu-cap' }],
    single: true,
    keys: [],
    globalZoneAllowed: true,
    // Its one property is rctl-backed, so export writes the rctl (zone.cpu-cap) instead.
    rank: { export: 4, help: 8 },
  },
  {
    type: 'capped-memory',
    props: [
      { ...simple('physical'), clearable: true },
      { name: 'swap', kind: 'simple', required: false, aliasRctl: 'zone.max-swap', clearable: true },
      { name: 'locked', kind: 'simple', required: false, aliasRctl: 'zone.max-locked-memory', clearable: true },
    ],
    single: true,
    keys: [],
    globalZoneAllowed: true,
    rank: { export: 5, help: 9 },
  },
  {
    type: 'attr',
    props: [simple('name', true), simple('type', true, ATTR_TYPES), simple('value', true)],
    single: false,
    keys: ['name'],
    globalZoneAllowed: false,
    rank: { export: 7, help: 5, verify: 4 },
  },
  {
    type: 'dataset',
    props: [simple('name', true)],
    single: false,
    keys: ['name'],
    globalZoneAllowed: false,
    rank: { export: 8, help: 6, verify: 5 },
  },
  {
    type: 'admin',
    props: [simple('user', true), simple('auths', true, ADMIN_AUTHS)],
    single: false,
    keys: ['user'],
    globalZoneAllowed: true,
    rank: { export: 10, verify: 6 },
  },
  {
    type: 'rctl',
    props: [simple('name', true), { name: 'value', kind: 'complex', required: true }],
    single: false,
    keys: ['name'],
    globalZoneAllowed: true,
    rank: { export: 6, help: 4, verify: 3 },
  },
  {
    type: 'security-flags',
    props: [simple('lower', false, SECURITY_FLAGS), simple('default', false, SECURITY_FLAGS), simple('upper', false, SECURITY_FLAGS)],
    single: true,
    keys: [],
    globalZoneAllowed: true,
    rank: { export: 11 },
  },
] as const satisfies readonly ResourceSpec[];
export const RESOURCE_TYPES: readonly ResourceSpec[] = RESOURCE_ROWS;

/** The names inside an rctl value `(priv=…,limit=…,action=…)`; Solaris treats them as property names too. */
export const RCTL_VALUE_FIELDS = ['priv', 'limit', 'action'] as const;

// ------------------------------------------------------------------ derived types

export type GlobalPropName = (typeof GLOBAL_ROWS)[number]['name'];
export type ResourceType = (typeof RESOURCE_ROWS)[number]['type'];
/** The property names of one resource type (of any, by default). */
export type ResourcePropName<T extends ResourceType = ResourceType> = Extract<
  (typeof RESOURCE_ROWS)[number],
  { type: T }
>['props'][number]['name'];

// ------------------------------------------------------------------ the schema everything walks

/** The table: what a test extends to show that one row is all a new property needs. */
export interface SchemaTable {
  readonly globals: readonly GlobalPropSpec[];
  readonly aliases: readonly RctlAliasSpec[];
  readonly resources: readonly ResourceSpec[];
}

export const SCHEMA_TABLE: SchemaTable = { globals: GLOBAL_PROPERTIES, aliases: RCTL_ALIASES, resources: RESOURCE_TYPES };

/** A table with its lookups and the lists derived from it. */
export interface Schema extends SchemaTable {
  globalProperty(name: string): GlobalPropSpec | undefined;
  rctlAlias(name: string): RctlAliasSpec | undefined;
  resourceType(name: string): ResourceSpec | undefined;
  resourceProperty(type: string, name: string): PropSpec | undefined;
  /** Any resource's property (or rctl value field): `set` of one in global scope is refused. */
  isResourceProperty(name: string): boolean;
  /** The resource types a listing shows, in its order (the table's order breaks ties). */
  resourcesIn(listing: ResourceListing): readonly ResourceSpec[];
  /**
   * Every global property at its default (what `create -b` leaves): empty, except autoboot
   * (false), ip-type (shared) and the default brand.
   */
  defaultGlobals(zonename: string): Record<GlobalPropName, string>;
}

export function makeSchema(table: SchemaTable): Schema {
  const globals = new Map(table.globals.map((g) => [g.name, g]));
  const aliases = new Map(table.aliases.map((a) => [a.alias, a]));
  const types = new Map(table.resources.map((r) => [r.type, r]));
  const resourcePropNames = new Set<string>([...table.resources.flatMap((r) => r.props.map((p) => p.name)), ...RCTL_VALUE_FIELDS]);
  const listings = new Map<ResourceListing, readonly ResourceSpec[]>();
  for (const listing of ['export', 'help', 'verify'] as const) {
    const ranked = table.resources.filter((r) => r.rank[listing] !== undefined);
    // Array.prototype.sort is stable, so equal ranks keep the table's order.
    listings.set(listing, ranked.sort((a, b) => a.rank[listing]! - b.rank[listing]!));
  }
  return {
    ...table,
    globalProperty: (name) => globals.get(name),
    rctlAlias: (name) => aliases.get(name),
    resourceType: (name) => types.get(name),
    resourceProperty: (type, name) => types.get(type)?.props.find((p) => p.name === name),
    isResourceProperty: (name) => resourcePropNames.has(name),
    resourcesIn: (listing) => listings.get(listing)!,
    defaultGlobals(zonename) {
      const g = Object.fromEntries(table.globals.map((p) => [p.name, p.default])) as Record<GlobalPropName, string>;
      g.zonename = zonename;
      return g;
    },
  };
}

/** The schema of this program. */
export const SCHEMA: Schema = makeSchema(SCHEMA_TABLE);

export const rctlAlias = SCHEMA.rctlAlias;
export const defaultGlobals = SCHEMA.defaultGlobals;

/** A global property's value by name (of any schema); one the configuration does not hold reads as empty. */
export function globalValue(cfg: { readonly globals: Readonly<Record<string, string>> }, name: string): string {
  return cfg.globals[name] ?? '';
}

export function setGlobalValue(cfg: { readonly globals: Record<string, string> }, name: string, value: string): void {
  cfg.globals[name] = value;
}
