import { counterValue, cpuCapOf, wants, type CgroupStats, type StatWant } from '../stats.js';
import { writeValue } from '../common.js';
import { sharesOfV1, V1_DEFAULT_SHARES, v1Shares } from '../limits.js';
import type { V1Controller } from './controller.js';

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
    const shares = limits.cpuShares;
    if (shares !== undefined) writeValue(dir, 'cpu.shares', shares === 'default' ? V1_DEFAULT_SHARES : v1Shares(shares));
    return [];
  },
};

/** The zone's CPU cap (cfs quota / period) and shares, as the kernel has them now. */
export function statCpu(dir: string, want?: StatWant): CgroupStats {
  const out: CgroupStats = {};
  if (wants(want, 'cpu')) {
    const quota = counterValue(dir, 'cpu.cfs_quota_us');
    // the period only matters under a quota (-1: none)
    out.cpuCap = quota === undefined || quota < 0 ? undefined : cpuCapOf(quota, counterValue(dir, 'cpu.cfs_period_us'));
  }
  if (wants(want, 'shares')) {
    const shares = counterValue(dir, 'cpu.shares');
    out.cpuShares = shares === undefined ? undefined : sharesOfV1(shares);
  }
  return out;
}
