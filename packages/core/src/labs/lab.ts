/**
 * A teaching lab (docs/labs/): its sheet is docs/labs/NN-slug.md, its check a function of what
 * the host and its zones show now. A check never replays the lab's solution: it reads the
 * configurations, the zones' states, their processes, cgroups and links, runs read-only commands
 * inside running zones, and compares a student's recorded answers (`zonelab answer`) with the
 * truth. Each item says what is done, or what is missing and how to get there.
 */
import type { LabHost } from './host.js';

export { labNumber } from './number.js';

export interface CheckItem {
  /** What the lab asks for, as the student reads it (`zone red is running`). */
  what: string;
  done: boolean;
  /** What was seen, or, when missing, the next step (`boot it: zoneadm -z red boot`). */
  detail?: string;
}

export interface Lab {
  /** 1..18: the lab's number, its sheet's NN. */
  id: number;
  /** The sheet's file name without NN- and .md (`processes-between-zones`). */
  slug: string;
  title: string;
  /** Where the exercise comes from (the workshop's Ejercicio N, a course's section). */
  seed: string;
  /** What this host cannot give for the lab (an RPM mirror for rinse); the check still checks the rest. */
  hostLimits?(host: LabHost): string[];
  check(host: LabHost): Promise<CheckItem[]>;
}

export interface LabReport {
  lab: Lab;
  items: CheckItem[];
  limits: string[];
  /** Every item done. */
  done: boolean;
}

/** One item: `done` decides; `detail` is what was seen, or the next step when missing. */
export function item(what: string, done: boolean, detail?: string): CheckItem {
  return detail === undefined ? { what, done } : { what, done, detail };
}
