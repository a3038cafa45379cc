/**
 * Every manual page: `npm run build:man` writes each as roff to man/NAME.SECTION, and
 * `npm run docs:commands` as markdown to its markdownPath (scripts/build-man.mjs).
 */
import { renderMarkdown } from './markdown.js';
import type { Manual } from './model.js';
import { ptoolsManuals } from './ptools.js';
import { renderRoff } from './roff.js';
import { zloginManual } from './zlogin.js';
import { zoneadmManual } from './zoneadm.js';
import { zonecfgManual } from './zonecfg.js';
import { zonestatManual } from './zonestat.js';
import { zonelabManual } from './zonelab.js';

export { renderMarkdown, renderRoff };
export type { Manual };

export function manuals(): Manual[] {
  return [zonecfgManual(), zoneadmManual(), zloginManual(), zonestatManual(), ...ptoolsManuals(), zonelabManual()];
}

/** man/NAME.SECTION, repository-relative. */
export const manPath = (m: Manual): string => `man/${m.name}.${m.section}`;
