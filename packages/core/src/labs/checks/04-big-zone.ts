/**
 * Lab 04 (docs/labs/04-big-zone.md): the workshop's big zone. `bigzone` without inherit-pkg-dirs,
 * installed as a whole root (debootstrap on this Debian host: its own /usr on disk), booted, and,
 * seen from inside, a /usr on the zone's own root that the zone may write. The check reads the
 * configuration, the zone's root on disk, its init's mount table and what `stat`/`test -w` say
 * inside; it writes nothing.
 */
import type { Lab } from '../lab.js';
import { zoneRunningItem } from './common.js';
import { noInheritItem, ownUsrInsideItem, ownUsrOnDiskItem } from './whole-root.js';

const ZONE = 'bigzone';

export const bigZone: Lab = {
  id: 4,
  slug: 'big-zone',
  title: 'install a big zone',
  seed: 'OpenSolaris zones workshop, Ejercicio 4 (Instalación de una Big Zone)',
  async check(host) {
    return [noInheritItem(host, ZONE), ownUsrOnDiskItem(host, ZONE), zoneRunningItem(host, ZONE), await ownUsrInsideItem(host, ZONE)];
  },
};
