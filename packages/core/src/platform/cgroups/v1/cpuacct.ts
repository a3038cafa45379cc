import { counterValue, type CgroupStats } from '../stats.js';
import type { V1Controller } from './controller.js';

/** Accounting only: the zone's CPU time (cpuacct.usage, nanoseconds), for zonestat. */
export const cpuacct: V1Controller = {
  name: 'cpuacct',
  apply() {
    return [];
  },
  stat: statCpuacct,
};

export function statCpuacct(dir: string): CgroupStats {
  return { cpuUsageNs: counterValue(dir, 'cpuacct.usage') };
}
