import { counterValue, wants, type CgroupStats, type StatWant } from '../stats.js';
import type { V1Controller } from './controller.js';

/** Accounting only: the zone's CPU time (cpuacct.usage, nanoseconds), for zonestat. */
export const cpuacct: V1Controller = {
  name: 'cpuacct',
  apply() {
    return [];
  },
  stat: statCpuacct,
};

export function statCpuacct(dir: string, want?: StatWant): CgroupStats {
  return wants(want, 'cpu') ? { cpuUsageNs: counterValue(dir, 'cpuacct.usage') } : {};
}
