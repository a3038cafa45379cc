import { writeValue } from '../common.js';
import { V1_DEFAULT_SHARES, v1Shares } from '../limits.js';
import type { V1Controller } from './controller.js';

export const cpu: V1Controller = {
  name: 'cpu',
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
