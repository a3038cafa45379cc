/**
 * The resource controls of a configuration against this host, as `WARNING: ...` lines: what
 * zoneadm verify prints (exit status unchanged) and boot and apply print again as they enforce
 * them (docs/resource-controls.md#warnings).
 */
import type { ZoneConfig } from '../model/types.js';
import { configLimitWarnings, hostCpus, limitsFromConfig } from '../platform/cgroups/index.js';
import { ipcSysctls } from '../platform/ipc-limits.js';
import { zoneCgroupFor, zoneCgroupOptions } from '../runtime/state.js';

export function resourceControlWarnings(name: string, cfg: ZoneConfig, root: string): string[] {
  const limits = limitsFromConfig(cfg);
  const out = [...configLimitWarnings(cfg), ...zoneCgroupFor(name, { root }).unenforced(limits), ...ipcSysctls(limits.ipc).warnings];
  const d = limits.dedicatedCpu;
  const host = hostCpus(zoneCgroupOptions({ root })).length;
  if (d && d.min > host - 1) {
    out.push(`dedicated-cpu ncpus ${d.min} cannot be met on this host: ${host} CPUs, of which 1 always stays in the default pool.`);
  }
  return out;
}
