import { counterValue, limitValue, readStat, wants, type CgroupStats, type StatWant } from '../stats.js';
import { writeValue } from '../common.js';
import type { V1Controller } from './controller.js';

export const pids: V1Controller = {
  name: 'pids',
  stat: statPids,
  apply(dir, limits) {
    if (limits.pidsMax !== undefined) writeValue(dir, 'pids.max', limits.pidsMax);
    return [];
  },
};

/** Tasks in the zone (processes and threads) against pids.max. */
export function statPids(dir: string, want?: StatWant): CgroupStats {
  if (!wants(want, 'pids')) return {};
  return { tasks: counterValue(dir, 'pids.current'), tasksMax: limitValue(readStat(dir, 'pids.max')) };
}
