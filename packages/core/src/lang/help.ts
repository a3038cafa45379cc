/**
 * zonecfg's help texts, word for word as illumos prints them (docs/research/zonecfg-behaviour.md
 * section 1). One deliberate difference: illumos drops `options` from the fs line of the property
 * list (a printf with one placeholder too few); we print it.
 */
import { SCHEMA, type Schema } from '../model/schema.js';
import { COMMAND_WORDS, type CommandName } from './lexer.js';

const SHORT: Record<CommandName, string> = {
  add: 'add <resource-type>\n\t(global scope)\nadd <property-name> <property-value>\n\t(resource scope)',
  cancel: 'cancel',
  clear: 'clear <property-name>',
  commit: 'commit',
  create: 'create [-F] [ -a <path> | -b | -t <template> | -o <image> ]',
  delete: 'delete [-F]',
  end: 'end',
  exit: 'exit [-F]',
  export: 'export [-f output-file]',
  help: 'help [commands] [syntax] [usage] [<command-name>]',
  info: 'info [<resource-type> [property-name=property-value]*]',
  remove:
    'remove [-F] <resource-type> [ <property-name>=<property-value> ]*\n\t(global scope)\nremove <property-name> <property-value>\n\t(resource scope)',
  revert: 'revert [-F]',
  select: 'select <resource-type> { <property-name>=<property-value> }',
  set: 'set <property-name>=<property-value>',
  verify: 'verify',
};

const LONG: Record<CommandName, string> = {
  add: 'Add specified resource to configuration.',
  cancel: 'Cancels resource/property specification.',
  clear: 'Clears property values.',
  commit:
    'Commits current configuration.  Configuration must be committed to\n\tbe used by zoneadm.  Until the configuration is committed, changes \n\tcan be removed with the revert command.  This operation is\n\tattempted automatically upon completion of a zonecfg session.',
  create:
    "Creates a configuration for the specified zone.  create should be\n\tused to begin configuring a new zone.  If overwriting an existing\n\tconfiguration, the -F flag can be used to force the action.  If\n\t-t template is given, creates a configuration identical to the\n\tspecified template, except that the zone name is changed from\n\ttemplate to zonename.  'create -a' creates a configuration from a\n\tdetached zonepath.  'create -b' results in a blank configuration.\n\t'create -o' creates a configuration from the labels of an OCI\n\timage layout (DIR or DIR:TAG) that zoneadm export -t oci-image\n\twrote.  'create' with no arguments applies the Sun default settings.",
  delete: 'Deletes the specified zone.  The -F flag can be used to force the\n\taction.',
  end: 'Ends resource/property specification.',
  exit: 'Exits the program.  The -F flag can be used to force the action.',
  export:
    'Prints configuration to standard output, or to output-file if\n\tspecified, in a form suitable for use in a command-file.',
  help: 'Prints help message.',
  info:
    'Displays information about the current configuration.  If resource\n\ttype is specified, displays only information about resources of\n\tthe relevant type.  If resource id is specified, displays only\n\tinformation about that resource.',
  remove: 'Remove specified resource from configuration.  The -F flag can be used\n\tto force the action.',
  revert:
    'Reverts configuration back to the last committed state.  The -F flag\n\tcan be used to force the action.',
  select:
    "Selects a resource to modify.  Resource modification is completed\n\twith the command \"end\".  The property name/value pairs must uniquely\n\tidentify a resource.  Note that the curly braces ('{', '}') mean one\n\tor more of whatever is between them.",
  set: 'Sets property values.',
  verify: 'Verifies current configuration for correctness (some resource types\n\thave required properties).',
};

/** Which extra blocks `help <command>` and usage errors add. */
const EXTRA: Partial<Record<CommandName, Array<'resources' | 'props'>>> = {
  add: ['resources', 'props'],
  info: ['resources', 'props'],
  remove: ['resources', 'props'],
  select: ['resources', 'props'],
  clear: ['props'],
  set: ['props'],
};

const lines = (s: string) => s.split('\n');

export const USAGE_BLOCK = [
  'usage:\tzonecfg help',
  '\tzonecfg -z <zone>\t\t\t(interactive)',
  '\tzonecfg -z <zone> <command>',
  '\tzonecfg -z <zone> -f <command-file>',
];

export const META_BLOCK = [
  'More help is available for the following:',
  '',
  "\tcommands ('help commands')",
  "\tsyntax ('help syntax')",
  "\tusage ('help usage')",
  '',
  "You may also obtain help on any command by typing 'help <command-name>.'",
];

export const SYNTAX_BLOCK = [
  '<zone> := [A-Za-z0-9][A-Za-z0-9_.-]*',
  "\t(except the reserved words 'global' and anything starting with 'SUNW')",
  '\tName must be less than 64 characters.',
];

export const NETADDR_BLOCK = [
  '',
  '<net-addr> :=\t<IPv4-address>[/<IPv4-prefix-length>] |',
  '\t\t<IPv6-address>/<IPv6-prefix-length> |',
  '\t\t<hostname>[/<IPv4-prefix-length>]',
  'See inet(3SOCKET) for IPv4 and IPv6 address syntax.',
  '<IPv4-prefix-length> := [0-32]',
  '<IPv6-prefix-length> := [0-128]',
  '<hostname> := [A-Za-z0-9][A-Za-z0-9-.]*',
];

/** Rows illumos's help lists never gained (hostid, admin, allowed-address...) are left out, as it prints them. */
const listed = (row: { readonly inHelp?: false }) => row.inHelp !== false;

export function resourcesBlock(schema: Schema = SCHEMA): string[] {
  const types = schema.resourcesIn('help').map((r) => r.type);
  return [`<resource type> := ${types.slice(0, 6).join(' | ')} |`, `\t${types.slice(6).join(' | ')}`, ''];
}

export function propsBlock(schema: Schema = SCHEMA): string[] {
  const out = ['For resource type ... there are property types ...:'];
  for (const g of schema.globals.filter(listed)) out.push(`\t(global)\t${g.name}`);
  for (const a of schema.aliases.filter(listed)) out.push(`\t(global)\t${a.alias}`);
  for (const spec of schema.resourcesIn('help')) {
    const pad = spec.type.length < 8 ? '\t\t' : '\t';
    out.push(`\t${spec.type}${pad}${spec.props.filter(listed).map((p) => p.name).join(', ')}`);
  }
  return out;
}

/** `Commands:` and the command list; verbose adds each command's description. */
export function subcommandsBlock(verbose: boolean): string[] {
  const out = ['Commands:', ''];
  for (const c of COMMAND_WORDS) {
    out.push(...lines(SHORT[c]));
    if (verbose) out.push(...lines('\t' + LONG[c]), '');
  }
  return out;
}

/** `usage:` and the command's syntax (a usage error). */
export function shortUsage(command: CommandName): string[] {
  return ['usage:', ...lines(SHORT[command])];
}

/** `usage:`, the syntax and the description. */
export function longUsage(command: CommandName): string[] {
  return [...shortUsage(command), ...lines('\t' + LONG[command])];
}

/** What `help <command>` prints: the long usage plus the resource/property lists it refers to. */
export function longerUsage(command: CommandName, schema: Schema = SCHEMA): string[] {
  const extra = EXTRA[command] ?? [];
  const out = longUsage(command);
  if (extra.length > 0) out.push('');
  if (extra.includes('resources')) out.push(...resourcesBlock(schema));
  if (extra.includes('props')) out.push(...propsBlock(schema));
  return out;
}

/** The non-verbose extra blocks printed after a usage error of `command`. */
export function usageErrorExtras(command: CommandName, schema: Schema = SCHEMA): string[] {
  const extra = EXTRA[command] ?? [];
  const out: string[] = [];
  if (extra.includes('resources')) out.push(...resourcesBlock(schema));
  if (extra.includes('props')) out.push(...propsBlock(schema));
  return out;
}

const SCOPE_TEXT: Record<string, string[]> = {
  fs: [
    "The 'fs' resource scope is used to configure a file-system.",
    'Valid commands:',
    '\tset dir=<path>',
    '\tset special=<path>',
    '\tset raw=<raw-device>',
    '\tset type=<file-system type>',
    '\tadd options <file-system options>',
    '\tremove options <file-system options>',
    'Consult the file-system specific manual page, such as mount(8), for',
    'details about file-system options.  Note that any file-system options with an',
    "embedded '=' character must be enclosed in double quotes, such as \"retry=5\".",
  ],
  'inherit-pkg-dir': [
    "The 'inherit-pkg-dir' resource scope is used to configure a directory",
    'inherited from the global zone into a non-global zone in read-only mode.',
    'Valid commands:',
    '\tset dir=<path>',
  ],
  net: [
    "The 'net' resource scope is used to configure a network interface.",
    'Valid commands:',
    '\tset address=<IP-address>',
    '\tset allowed-address=<IP-address>',
    '\tset physical=<interface>',
    'See ip-link(8) for details of the <interface> string.',
    '\tset defrouter=<IP-address>',
    'set address is valid if the ip-type property is set to shared; set allowed-address',
    'and set defrouter are valid if it is set to exclusive.',
  ],
  device: ["The 'device' resource scope is used to configure a device node.", 'Valid commands:', '\tset match=<device-path>'],
  rctl: [
    "The 'rctl' resource scope is used to configure a resource control.",
    'Valid commands:',
    '\tset name=<string>',
    '\tadd value (priv=<priv-value>,limit=<number>,action=<action-value>)',
    '\tremove value (priv=<priv-value>,limit=<number>,action=<action-value>)',
    'Where',
    '\t<priv-value> := privileged',
    '\t<action-value> := none | deny',
  ],
  attr: [
    "The 'attr' resource scope is used to configure a generic attribute.",
    'Valid commands:',
    '\tset name=<name>',
    '\tset type=boolean',
    '\tset value=true | false',
    'or',
    '\tset type=int',
    '\tset value=<integer>',
    'or',
    '\tset type=string',
    '\tset value=<string>',
    'or',
    '\tset type=uint',
    '\tset value=<unsigned integer>',
  ],
  dataset: ["The 'dataset' resource scope is used to export ZFS datasets.", 'Valid commands:', '\tset name=<name>'],
  'dedicated-cpu': [
    "The 'dedicated-cpu' resource scope configures the 'pools' facility to dedicate",
    "a subset of the system's processors to this zone while it is running.",
    'Valid commands:',
    '\tset ncpus=<unsigned integer | range>',
    '\tset importance=<unsigned integer>',
  ],
  'capped-cpu': [
    "The 'capped-cpu' resource scope is used to set an upper limit (a cap) on the",
    "percentage of CPU that can be used by this zone.  A 'ncpus' value of 1",
    'corresponds to one cpu.  The value can be set higher than 1, up to the total',
    'number of CPUs on the system.  The value can also be less than 1,',
    'representing a fraction of a cpu.',
    'Valid commands:',
    '\tset ncpus=<unsigned decimal>',
  ],
  'capped-memory': [
    "The 'capped-memory' resource scope is used to set an upper limit (a cap) on the",
    'amount of physical memory, swap space and locked memory that can be used by',
    'this zone.',
    'Valid commands:',
    '\tset physical=<qualified unsigned decimal>',
    '\tset swap=<qualified unsigned decimal>',
    '\tset locked=<qualified unsigned decimal>',
  ],
};

const SCOPE_TRAILER = [
  'And from any resource scope, you can:',
  '\tend\t(to conclude this operation)',
  '\tcancel\t(to cancel this operation)',
  '\texit\t(to exit the zonecfg utility)',
];

/** What plain `help` prints inside a resource scope. */
export function resourceScopeHelp(type: string, schema: Schema = SCHEMA): string[] {
  const spec = schema.resourceType(type);
  const head = SCOPE_TEXT[type] ?? [
    `The '${type}' resource scope.`,
    'Valid commands:',
    ...(spec?.props ?? []).map((p) => `\tset ${p.name}=<value>`),
  ];
  return [...head, ...SCOPE_TRAILER];
}

/**
 * `help [topic]`: the lines for stdout, or undefined for an unknown subject (the caller prints
 * `Unknown help subject <x>.` and the meta help).
 */
export function helpFor(topic: string | undefined, scopeType: string | undefined, schema: Schema = SCHEMA): string[] | undefined {
  if (topic === undefined) return scopeType ? resourceScopeHelp(scopeType, schema) : subcommandsBlock(true);
  if (topic === 'usage') return USAGE_BLOCK;
  if (topic === 'commands') return subcommandsBlock(true);
  if (topic === 'syntax') return [...SYNTAX_BLOCK, '', ...resourcesBlock(schema), ...propsBlock(schema)];
  if (topic === '-?') return longerUsage('help', schema);
  if ((COMMAND_WORDS as readonly string[]).includes(topic)) return longerUsage(topic as CommandName, schema);
  return undefined;
}
