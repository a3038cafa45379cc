import { counterValue, cpuCapOf, type CgroupStats } from '../stats.js';
import { writeValue } from '../common.js';
import type { V1Controller } from './controller.js';

/** cpu.shares has a floor of 2 in the kernel. */
const MIN_SHARES = 2;

export const cpu: V1Controller = {
  name: 'cpu',
  stat: statCpu,
  apply(dir, limits) {
    const q = limits.cpuQuota;
    if (q === 'max') writeValue(dir, 'cpu.cfs_quota_us', -1);
    else if (q) {
      writeValue(dir, 'cpu.cfs_period_us', q.periodUs);
      writeValue(dir, 'cpu.cfs_quota_us', q.quotaUs);
    }
    if (limits.cpuShares !== undefined) writeValue(dir, 'cpu.shares', Math.max(MIN_SHARES, limits.cpuShares));
    return [];
  },
};

/** The zone's CPU cap (cfs quota / period) and shares, as the kernel has them now. */
export function statCpu(dir: string): CgroupStats {
  return { cpuCap: cpuCapOf(counterValue(dir, 'cpu.cfs_quota_us'), counterValue(dir, 'cpu.cfs_period_us')), cpuShares: counterValue(dir, 'cpu.shares') };
}
