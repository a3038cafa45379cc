/** Every lab, in sheet order (docs/labs/README.md lists the same). */
import type { Lab } from './lab.js';
import { processesBetweenZones } from './checks/01-processes-between-zones.js';
import { changeConfiguration } from './checks/05-change-configuration.js';
import { limitResources } from './checks/06-limit-resources.js';
import { cpuWeights } from './checks/17-cpu-weights.js';

export const LABS: readonly Lab[] = [
  processesBetweenZones,
  changeConfiguration,
  limitResources,
  cpuWeights,
].sort((a, b) => a.id - b.id);

/** The lab `word` names: its number (`1`, `01`) or its slug. */
export function findLab(word: string): Lab | undefined {
  if (/^\d{1,2}$/.test(word)) return LABS.find((l) => l.id === Number(word));
  return LABS.find((l) => l.slug === word);
}
