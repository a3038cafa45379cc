/**
 * Tab completion for the zonecfg shell, driven by the schema table: subcommands, resource types,
 * property names of the current scope and enumerated property values.
 */
import { SCHEMA, type Schema } from '../model/schema.js';
import { COMMAND_WORDS } from './lexer.js';
import { INFO_JSON } from './parser.js';

const TYPE_TAKERS = new Set(['add', 'select', 'remove', 'info']);
const PROP_TAKERS = new Set(['set', 'clear']);
const SCOPED_PROP_TAKERS = new Set(['set', 'clear', 'add', 'remove', 'info']);

/** Returns readline's completer tuple: the candidates and the fragment they complete. */
export function complete(line: string, scopeType: string | undefined, schema: Schema = SCHEMA): [string[], string] {
  // Only the current command (after the last `;`) matters.
  const command = line.slice(line.lastIndexOf(';') + 1).replace(/^\s+/, '');
  const words = command.split(/\s+/);
  const fragment = words[words.length - 1] ?? '';
  // `info --json` completes as `info` does
  const earlier = words.slice(0, -1).filter((w, i) => !(i > 0 && w === INFO_JSON && words[0] === 'info'));
  const pick = (candidates: readonly string[], frag = fragment) => {
    const hits = candidates.filter((c) => c.startsWith(frag));
    // A unique match gets a trailing space, so the next word can follow at once.
    return hits.length === 1 && !hits[0]!.endsWith('=') ? [hits[0]! + ' '] : hits;
  };

  if (earlier.length === 0) return [pick([...COMMAND_WORDS]), fragment];
  const cmd = earlier[0]!;

  const eq = fragment.indexOf('=');
  if (eq >= 0) {
    const prop = fragment.slice(0, eq);
    const values = scopeType ? schema.resourceProperty(scopeType, prop)?.values : schema.globalProperty(prop)?.values;
    const valueFrag = fragment.slice(eq + 1);
    const hits = (values ?? []).filter((v) => v.startsWith(valueFrag)).map((v) => `${prop}=${v}`);
    return [hits.length === 1 ? [hits[0]! + ' '] : hits, fragment];
  }

  if (scopeType) {
    if (earlier.length === 1 && SCOPED_PROP_TAKERS.has(cmd)) {
      const props = schema.resourceType(scopeType)?.props ?? [];
      const names = props
        .filter((p) => (cmd === 'add' || cmd === 'remove' ? p.kind !== 'simple' : true))
        .map((p) => (cmd === 'set' ? `${p.name}=` : p.name));
      return [pick(names), fragment];
    }
    return [[], fragment];
  }

  if (earlier.length === 1 && TYPE_TAKERS.has(cmd)) {
    const types = schema.resources.map((r) => r.type);
    const extra = cmd === 'info' ? [...globalNames(schema), INFO_JSON] : [];
    return [pick([...types, ...extra]), fragment];
  }
  if (earlier.length >= 2 && (cmd === 'select' || cmd === 'remove' || cmd === 'info')) {
    const type = earlier.slice(1).find((w) => !w.startsWith('-')) ?? '';
    const props = schema.resourceType(type)?.props ?? [];
    return [pick(props.filter((p) => p.kind !== 'complex').map((p) => `${p.name}=`)), fragment];
  }
  if (earlier.length === 1 && PROP_TAKERS.has(cmd)) {
    const names = globalNames(schema);
    return [pick(cmd === 'set' ? names.map((n) => `${n}=`) : names), fragment];
  }
  if (earlier.length === 1 && cmd === 'create') return [pick(['-F', '-b', '-t', '-a', '-o']), fragment];
  return [[], fragment];
}

/** What `set`, `clear` and `info` take in the global scope: the global properties and the rctl aliases. */
function globalNames(schema: Schema): string[] {
  return [...schema.globals.map((g) => g.name), ...schema.aliases.map((a) => a.alias)];
}
