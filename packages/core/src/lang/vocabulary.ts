/** The parser's keyword sets, derived from the schema table (one edit adds a property everywhere). */
import { RCTL_VALUE_FIELDS, type Schema } from '../model/schema.js';
import type { Vocabulary } from './parser.js';

const vocabularies = new WeakMap<Schema, Vocabulary>();

/** The words of a schema's language (built once per schema). */
export function vocabularyOf(schema: Schema): Vocabulary {
  let v = vocabularies.get(schema);
  if (!v) {
    v = {
      resourceTypes: new Set(schema.resources.map((r) => r.type)),
      propertyNames: new Set([
        ...schema.globals.map((g) => g.name),
        ...schema.aliases.map((a) => a.alias),
        ...schema.resources.flatMap((r) => r.props.map((p) => p.name)),
        // Names inside a complex rctl value: `(priv=..,limit=..,action=..)`.
        ...RCTL_VALUE_FIELDS,
      ]),
      singletonTypes: new Set(schema.resources.filter((r) => r.single).map((r) => r.type)),
    };
    vocabularies.set(schema, v);
  }
  return v;
}
