import type { Resource, ZoneConfig } from '../../src/model/types.js';
import { defaultGlobals } from '../../src/model/schema.js';

/** A configuration as `create -b` leaves it, with optional overrides. */
export function blankConfig(globals: Partial<ZoneConfig['globals']> = {}, resources: Resource[] = []): ZoneConfig {
  return {
    globals: { ...defaultGlobals('z1'), zonepath: '/zones/z1', ...globals },
    resources,
  };
}

export function rctl(name: string, ...values: Array<[string, string, string]>): Resource {
  return { type: 'rctl', props: { name, value: values.map(([priv, limit, action]) => ({ priv, limit, action })) } };
}
