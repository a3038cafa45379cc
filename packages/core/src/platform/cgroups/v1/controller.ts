import type { CgroupLimits } from '../limits.js';

/** A cgroup v1 controller: its hierarchy name and how it writes its part of the limits. */
export interface V1Controller {
  name: string;
  /** Called once after mkdir, before any task joins (cpuset needs its cpus and mems first). */
  init?(dir: string, parentDir: string): void;
  /** Writes this controller's limits; returns warnings for limits the host cannot enforce. */
  apply(dir: string, limits: CgroupLimits): string[];
}
