import { readValue, writeValue } from '../common.js';
import type { V1Controller } from './controller.js';

export const cpuset: V1Controller = {
  name: 'cpuset',
  // A new v1 cpuset starts with no CPUs and no memory nodes, and no task may join it until both are set.
  init(dir, parentDir) {
    for (const file of ['cpuset.cpus', 'cpuset.mems']) {
      if (!readValue(dir, file)) writeValue(dir, file, readValue(parentDir, file) ?? '');
    }
  },
  apply(dir, limits) {
    if (limits.cpus !== undefined) writeValue(dir, 'cpuset.cpus', limits.cpus);
    return [];
  },
};
