/**
 * zonecfg's properties and resource types as manual sections, walked from the schema table
 * (model/schema.ts) and zonecfg's own help (lang/help.ts): a row added to the table appears here
 * with no other edit. The rules behind each row are in docs/reference.md#2-properties-and-resources.
 */
import { SCHEMA, type GlobalPropSpec, type PropSpec, type ResourceSpec, type Schema } from '../model/schema.js';
import { NETADDR_BLOCK, resourceScopeHelp, SYNTAX_BLOCK } from '../lang/help.js';
import { para, pre, type Block, type Section } from './model.js';

const list = (values: readonly string[] | undefined) => (values && values.length > 0 ? values.map((v) => `\`${v}\``).join(', ') : '');

/** A placeholder the zone's name takes in `defaultGlobals`, to tell "the zone's name" from a fixed default. */
const ZONE_MARK = '\u0000zone';

function globalDefault(schema: Schema, g: GlobalPropSpec): string {
  const d = schema.defaultGlobals(ZONE_MARK)[g.name as keyof ReturnType<Schema['defaultGlobals']>] ?? g.default;
  if (d === ZONE_MARK) return "the zone's name (`-z`)";
  return d === '' ? 'empty' : `\`${d}\``;
}

const GLOBAL_ZONE_USE: Record<string, string> = { set: 'set', info: 'info', export: 'export' };

const EXPORTED: Record<GlobalPropSpec['export'], string> = {
  always: 'always',
  'unless-default': 'unless at its default',
  never: 'never',
};

function globalsTable(schema: Schema): Block {
  return {
    kind: 'table',
    head: ['property', 'syntax', 'values', 'default', 'clear', 'export', 'global zone', 'what it is'],
    rows: schema.globals.map((g) => [
      `\`${g.name}\``,
      `\`set ${g.name}=${g.values ? g.values.join('|') : '<value>'}\``,
      list(g.values),
      globalDefault(schema, g),
      g.clearable ? `\`clear ${g.name}\` restores the default` : 'not allowed',
      EXPORTED[g.export],
      g.globalZone.length === 0 ? 'refused' : g.globalZone.map((u) => GLOBAL_ZONE_USE[u]).join(', '),
      g.summary ?? '',
    ]),
  };
}

function aliasesTable(schema: Schema): Block {
  return {
    kind: 'table',
    head: ['alias', 'syntax', 'resource control', 'action', 'minimum'],
    rows: schema.aliases.map((a) => [
      `\`${a.alias}\``,
      `\`set ${a.alias}=${a.sizeSuffix ? '<size>' : '<number>'}\`, \`clear ${a.alias}\``,
      `\`${a.rctl}\``,
      `\`${a.action}\``,
      a.sizeSuffix ? `${a.minimum} (a size: K, M, G, T)` : String(a.minimum),
    ]),
  };
}

/** zonecfg's help in the resource's scope: its introduction, and the "Valid commands" lines. */
function scopeHelp(type: string, schema: Schema): { intro: string; commands: string[] } {
  const lines = resourceScopeHelp(type, schema);
  const at = lines.indexOf('Valid commands:');
  const end = lines.indexOf('And from any resource scope, you can:');
  return { intro: lines.slice(0, at).join(' '), commands: lines.slice(at + 1, end === -1 ? undefined : end) };
}

/** The help lines that set, add or remove this property (`set dir=<path>`, `add options <...>`). */
function syntaxOf(p: PropSpec, commands: readonly string[]): string {
  const own = commands
    .map((l) => l.trim())
    .filter((l) => l.startsWith(`set ${p.name}=`) || l.startsWith(`add ${p.name} `) || l.startsWith(`remove ${p.name} `));
  const forms = own.length > 0 ? own : [p.kind === 'simple' ? `set ${p.name}=<value>` : `add ${p.name} <value>`];
  return forms.map((f) => `\`${f}\``).join(', ');
}

function propertyRow(r: ResourceSpec, p: PropSpec, commands: readonly string[]): string[] {
  const notes = [
    p.kind === 'list' ? 'a list' : p.kind === 'complex' ? 'a list of rctl values' : '',
    r.keys.includes(p.name) ? 'identifies the resource' : '',
    p.aliasRctl ? `stored as the rctl \`${p.aliasRctl}\`` : '',
    p.clearable ? `\`clear ${p.name}\` empties it` : '',
  ].filter((n) => n !== '');
  return [`\`${p.name}\``, syntaxOf(p, commands), p.required ? 'yes' : 'no', list(p.values), notes.join('; ')];
}

function resourceBlocks(r: ResourceSpec, schema: Schema): Block[] {
  const { intro, commands } = scopeHelp(r.type, schema);
  const how = r.single
    ? `At most one per zone: \`add ${r.type}\`, its properties, \`end\`; \`select ${r.type}\` and \`remove ${r.type}\` take no filter.`
    : `Any number: \`add ${r.type}\`, its properties, \`end\`; \`select ${r.type} ${r.keys.map((k) => `${k}=<value>`).join(' ')}\` picks one by ${r.keys.map((k) => `\`${k}\``).join(' and ')}, and \`end\` refuses a second one with the same.`;
  return [
    para(intro),
    para(`${how} ${r.globalZoneAllowed ? 'Allowed' : 'Refused'} in the global zone's configuration (\`-z global\`).`),
    { kind: 'table', head: ['property', 'syntax', 'required', 'values', 'notes'], rows: r.props.map((p) => propertyRow(r, p, commands)) },
    para('zonecfg\'s `help` in this scope:'),
    pre(commands.map((l) => l.replace(/^\t/, ''))),
  ];
}

/** The RESOURCES AND PROPERTIES section of zonecfg(8) and docs/commands/zonecfg.md. */
export function resourcesAndProperties(schema: Schema = SCHEMA): Section {
  return {
    title: 'Resources and properties',
    blocks: [
      para(
        'A configuration is a set of global properties and of resources, each of a type with properties of its own. ' +
          'This section is generated from the schema table (`packages/core/src/model/schema.ts`), the one that parsing, `info`, `export`, `help` and completion walk; ' +
          'the checks behind each row, and their messages, are in [docs/reference.md](docs/reference.md#2-properties-and-resources).',
      ),
    ],
    subsections: [
      {
        title: 'Global properties',
        blocks: [
          para(
            'Set in the global scope (`zonecfg:<zone>>`); `info <property>` shows one. "export": when `export` writes it; "global zone": what the configuration of the global zone (`zonecfg -z global`) may do with it.',
          ),
          globalsTable(schema),
        ],
      },
      {
        title: 'Resource control aliases',
        blocks: [
          para(
            'Global properties that stand for a single-value resource control `(priv=privileged,limit=<N>,action=<action>)`: setting one creates or replaces that rctl, `clear` removes it, `info` shows `[<alias>: <N>]` ([docs/reference.md](docs/reference.md#23-rctl-aliases)).',
          ),
          aliasesTable(schema),
        ],
      },
      ...schema.resources.map((r) => ({ title: `Resource type ${r.type}`, blocks: resourceBlocks(r, schema) })),
      {
        title: 'Names and addresses',
        blocks: [pre([...SYNTAX_BLOCK, ...NETADDR_BLOCK])],
      },
    ],
  };
}
