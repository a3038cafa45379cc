/**
 * The in-memory shape of one zone configuration. It is what the store persists (as YAML) and what
 * the zonecfg session edits. Resource properties keep the textual form the user typed (after
 * normalisation such as zonepath slash collapsing), because info/export must print them back.
 * The names come from the schema table (model/schema.ts).
 */
import type { GlobalPropName, ResourceType } from './schema.js';

export type { GlobalPropName, ResourceType };

/** One rctl value: `(priv=privileged,limit=N,action=deny)`. limit is kept as the decimal string. */
export interface RctlValue {
  priv: string;
  limit: string;
  action: string;
}

/** A resource property holds a simple string, a list of simple strings, or a list of rctl values. */
export type PropValue = string | string[] | RctlValue[];

export interface Resource {
  type: ResourceType;
  /** Only the properties that are set. */
  props: Record<string, PropValue>;
}

export interface ZoneConfig {
  /** Global properties, all present, '' when empty. autoboot is 'true'/'false', ip-type 'shared'/'exclusive'. */
  globals: Record<GlobalPropName, string>;
  /**
   * Resources in insertion order. capped-cpu is not stored here: it is the rctl zone.cpu-cap.
   * capped-memory stores only `physical`; swap and locked are the rctls zone.max-swap and
   * zone.max-locked-memory (as in libzonecfg), so aliases and explicit rctls can never disagree.
   */
  resources: Resource[];
}

/** A message in Solaris wording; `warning` ones are printed but do not fail by themselves. */
export interface Problem {
  message: string;
}
