/** Every lab, in sheet order (docs/labs/README.md lists the same). */
import type { Lab } from './lab.js';
import { processesBetweenZones } from './checks/01-processes-between-zones.js';
import { administeringFromTheGlobalZone } from './checks/02-administering-from-the-global-zone.js';
import { installASmallZone } from './checks/03-install-a-small-zone.js';
import { bigZone } from './checks/04-big-zone.js';
import { changeConfiguration } from './checks/05-change-configuration.js';
import { limitResources } from './checks/06-limit-resources.js';
import { security } from './checks/07-security.js';
import { memoryOfZones } from './checks/08-performance.js';
import { processesBehindAZone } from './checks/09-processes-behind-a-zone.js';
import { linuxRootFromAnArchive } from './checks/10-linux-root-from-an-archive.js';
import { privateHostname } from './checks/11-private-hostname.js';
import { diskImage } from './checks/12-disk-image.js';
import { bridges } from './checks/13-bridges.js';
import { debootstrapRinse } from './checks/14-debootstrap-rinse.js';
import { aUserConfinedToAZone } from './checks/15-a-user-confined-to-a-zone.js';
import { nginxBetweenZones } from './checks/16-nginx-between-zones.js';
import { cpuWeights } from './checks/17-cpu-weights.js';
import { capabilities } from './checks/18-capabilities.js';

export const LABS: readonly Lab[] = [
  processesBetweenZones,
  administeringFromTheGlobalZone,
  installASmallZone,
  bigZone,
  changeConfiguration,
  limitResources,
  security,
  memoryOfZones,
  processesBehindAZone,
  linuxRootFromAnArchive,
  privateHostname,
  diskImage,
  bridges,
  debootstrapRinse,
  aUserConfinedToAZone,
  nginxBetweenZones,
  cpuWeights,
  capabilities,
].sort((a, b) => a.id - b.id);

/** The lab `word` names: its number (`1`, `01`) or its slug. */
export function findLab(word: string): Lab | undefined {
  if (/^\d{1,2}$/.test(word)) return LABS.find((l) => l.id === Number(word));
  return LABS.find((l) => l.slug === word);
}
