/** The parser's keyword sets, derived from the schema table (one edit adds a property everywhere). */
import { GLOBAL_PROPERTIES, RCTL_ALIASES, RESOURCE_TYPES } from '../model/schema.js';
import type { Vocabulary } from './parser.js';

/** Names inside a complex rctl value: `(priv=..,limit=..,action=..)`. */
export const COMPLEX_VALUE_NAMES = ['priv', 'limit', 'action'] as const;

export const VOCABULARY: Vocabulary = {
  resourceTypes: new Set(RESOURCE_TYPES.map((r) => r.type)),
  propertyNames: new Set([
    ...GLOBAL_PROPERTIES.map((g) => g.name),
    ...RCTL_ALIASES.map((a) => a.alias),
    ...RESOURCE_TYPES.flatMap((r) => r.props.map((p) => p.name)),
    ...COMPLEX_VALUE_NAMES,
  ]),
  singletonTypes: new Set(RESOURCE_TYPES.filter((r) => r.single).map((r) => r.type)),
};
