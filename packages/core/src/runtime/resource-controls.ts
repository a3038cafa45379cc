/**
 * PLACEHOLDER (branch i11-live): the lead replaces this file at merge with the i11-limits helper's
 * applyResourceControls. Only its signature is relied on: it applies a configuration's resource
 * controls to a running zone, returns warnings and throws ZoneRuntimeError.
 */
import { cpus } from 'node:os';
import type { ZoneConfig } from '../model/types.js';
import { limitsFromConfig } from '../platform/cgroups/index.js';
import { zoneCgroupFor, type RuntimeOptions } from './state.js';

export async function applyResourceControls(name: string, cfg: ZoneConfig, opts: RuntimeOptions = {}): Promise<string[]> {
  return zoneCgroupFor(name, opts).apply(limitsFromConfig(cfg, cpus().length));
}
