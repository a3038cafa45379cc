/** Every lab, in sheet order (docs/labs/README.md lists the same). */
import type { Lab } from './lab.js';
import { processesBetweenZones } from './checks/01-processes-between-zones.js';
import { security } from './checks/07-security.js';
import { privateHostname } from './checks/11-private-hostname.js';
import { diskImage } from './checks/12-disk-image.js';
import { capabilities } from './checks/18-capabilities.js';

export const LABS: readonly Lab[] = [
  processesBetweenZones,
  security,
  privateHostname,
  diskImage,
  capabilities,
].sort((a, b) => a.id - b.id);

/** The lab `word` names: its number (`1`, `01`) or its slug. */
export function findLab(word: string): Lab | undefined {
  if (/^\d{1,2}$/.test(word)) return LABS.find((l) => l.id === Number(word));
  return LABS.find((l) => l.slug === word);
}
