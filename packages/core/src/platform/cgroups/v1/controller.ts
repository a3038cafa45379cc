import type { CgroupLimits } from '../limits.js';
import type { CgroupStats, StatWant } from '../stats.js';

/** A cgroup v1 controller: its hierarchy name and how it writes its part of the limits. */
export interface V1Controller {
  name: string;
  /**
   * Called once after mkdir, before any task or child cgroup exists (cpuset needs its cpus and mems
   * first; the device policy can only be set on a cgroup without children). `limits` is absent for
   * the zone's payload cgroup, which inherits from the zone's.
   */
  init?(dir: string, parentDir: string, limits?: CgroupLimits): void;
  /** Writes this controller's limits; returns warnings for limits the host cannot enforce. */
  apply(dir: string, limits: CgroupLimits): string[];
  /** Reads this controller's part of the zone's use and caps back from the kernel (zonestat). */
  stat?(dir: string, want?: StatWant): CgroupStats;
}
