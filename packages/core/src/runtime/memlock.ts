/**
 * zone.max-locked-memory as the RLIMIT_MEMLOCK the host can actually give: raising a hard limit
 * takes CAP_SYS_RESOURCE, which a host's root may lack (a container host); then the most it can
 * give is its own hard limit, and that is what is enforced, with a warning
 * (docs/resource-controls.md#locked).
 */
import { canRaiseRlimits, processMemlockLimit } from '../platform/proc.js';

export function grantableMemlock(bytes: number): { bytes: number; warning?: string } {
  if (canRaiseRlimits()) return { bytes };
  const own = processMemlockLimit(process.pid);
  if (typeof own !== 'number' || bytes <= own) return { bytes };
  return {
    bytes: own,
    warning: `capped-memory locked ${bytes} is more than this host's root may grant without CAP_SYS_RESOURCE: ${own} is enforced.`,
  };
}
