import { cpuList, readStat, wants, type CgroupStats, type StatWant } from '../stats.js';
import { readValue, writeValue } from '../common.js';
import type { V1Controller } from './controller.js';

export const cpuset: V1Controller = {
  name: 'cpuset',
  stat: statCpuset,
  // A new v1 cpuset starts with no CPUs and no memory nodes, and no task may join it until both are
  // set. clone_children makes the cgroups an init creates below the zone's start with its own.
  init(dir, parentDir) {
    for (const file of ['cpuset.cpus', 'cpuset.mems']) {
      if (!readValue(dir, file)) writeValue(dir, file, readValue(parentDir, file) ?? '');
    }
    writeValue(dir, 'cgroup.clone_children', 1);
  },
  // The CPUs go through V1Cgroup.setCpus: on v1 a cpuset can never hold a CPU its parent lacks, so
  // a change walks the zone's whole subtree in an order the kernel accepts.
  apply() {
    return [];
  },
};

/** The CPUs the zone may run on. */
export function statCpuset(dir: string, want?: StatWant): CgroupStats {
  return wants(want, 'cpuset') ? { cpus: cpuList(readStat(dir, 'cpuset.cpus')) } : {};
}
