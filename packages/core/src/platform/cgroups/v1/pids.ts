import { writeValue } from '../common.js';
import type { V1Controller } from './controller.js';

export const pids: V1Controller = {
  name: 'pids',
  apply(dir, limits) {
    if (limits.pidsMax !== undefined) writeValue(dir, 'pids.max', limits.pidsMax);
    return [];
  },
};
