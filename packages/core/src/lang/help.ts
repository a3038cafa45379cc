/**
 * zonecfg's help texts (zones-reference 1.4). Provisional wording; see docs/research for the
 * illumos catalogue this follows.
 */
import { GLOBAL_PROPERTIES, RCTL_ALIASES, RESOURCE_TYPES } from '../model/schema.js';
import { COMMAND_WORDS } from './lexer.js';

export type HelpTopic =
  | 'general'
  | 'commands'
  | 'syntax'
  | 'usage'
  | 'meta'
  | 'resources-and-properties'
  | 'properties'
  | `scope:${string}`
  | (typeof COMMAND_WORDS)[number];

const SYNTAX: Record<(typeof COMMAND_WORDS)[number], string> = {
  add: 'add <resource-type>\n\t(global scope)\nadd <property-name> <property-value>\n\t(resource scope)',
  cancel: 'cancel',
  clear: 'clear <property-name>',
  commit: 'commit',
  create: 'create [-F] [ -a <path> | -b | -t <template> ]',
  delete: 'delete [-F]',
  end: 'end',
  exit: 'exit [-F]',
  export: 'export [-f output-file]',
  help: 'help [commands] [syntax] [usage] [<command-name>]',
  info: 'info [<resource-type> [property-name=property-value]*]',
  remove: 'remove [-F] <resource-type> [ <property-name>=<property-value> ]*\n\t(global scope)\nremove <property-name> <property-value>\n\t(resource scope)',
  revert: 'revert [-F]',
  select: 'select <resource-type> { <property-name>=<property-value> }',
  set: 'set <property-name>=<property-value>',
  verify: 'verify',
};

export function shortUsage(command: string): string {
  const s = SYNTAX[command as keyof typeof SYNTAX];
  return s ? `usage:\n${indent(s)}` : `usage: ${command}`;
}

function indent(s: string): string {
  return s
    .split('\n')
    .map((l) => '\t' + l)
    .join('\n');
}

/** Printed after a syntax error. */
export function commandSummary(): string[] {
  return ['Commands:', ...columns([...COMMAND_WORDS])];
}

function columns(words: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i += 6) out.push('\t' + words.slice(i, i + 6).map((w) => w.padEnd(10)).join(' ').trimEnd());
  return out;
}

export function helpText(topic: HelpTopic): string[] {
  switch (topic) {
    case 'general':
      return ['usage:', ...COMMAND_WORDS.flatMap((c) => indent(SYNTAX[c]).split('\n'))];
    case 'commands':
      return commandSummary();
    case 'syntax':
    case 'usage':
      return COMMAND_WORDS.flatMap((c) => indent(SYNTAX[c]).split('\n'));
    case 'meta':
      return ['Usage: help [commands] [syntax] [usage] [<command-name>]'];
    case 'resources-and-properties':
      return [
        'Valid resource types are:',
        ...columns(RESOURCE_TYPES.map((r) => r.type)),
        ...helpText('properties'),
      ];
    case 'properties':
      return [
        'Valid properties are:',
        ...columns([...GLOBAL_PROPERTIES.map((g) => g.name), ...RCTL_ALIASES.map((a) => a.alias)]),
      ];
    default:
      if (topic.startsWith('scope:')) {
        const type = topic.slice('scope:'.length);
        const spec = RESOURCE_TYPES.find((r) => r.type === type);
        return [
          `The '${type}' resource scope is used to configure a resource.`,
          'Valid commands: add cancel clear end info remove set',
          `Valid properties: ${(spec?.props ?? []).map((p) => p.name).join(' ')}`,
        ];
      }
      if ((COMMAND_WORDS as readonly string[]).includes(topic)) return ['usage:', ...indent(SYNTAX[topic as keyof typeof SYNTAX]).split('\n')];
      return [];
  }
}
