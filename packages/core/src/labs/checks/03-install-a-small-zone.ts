/**
 * Lab 03 (docs/labs/03-install-a-small-zone.md): the workshop's small zone `viernes13`. The check
 * reads its configuration (the default template's inherit-pkg-dirs: a sparse root), its zonepath
 * (a directory of mode 0700, which install demands), its state, and, once it runs, asks the zone
 * itself whether each inherited directory is a mount of its own that it cannot write.
 */
import { statSync } from 'node:fs';
import type { Lab } from '../lab.js';
import { item, type CheckItem } from '../lab.js';
import { zoneRunningItem } from './common.js';
import { inheritedDirs, zoneInstalledItem, zoneMounts } from './zone-facts.js';

const ZONE = 'viernes13';

function zonepathItem(zonepath: string | undefined): CheckItem {
  const what = 'its zonepath is a directory of mode 700';
  if (!zonepath) return item(what, false, `set it: zonecfg -z ${ZONE} "set zonepath=\$ZONES_ROOT/zones/${ZONE}"`);
  let mode: number;
  try {
    const st = statSync(zonepath);
    if (!st.isDirectory()) return item(what, false, `${zonepath} is not a directory`);
    mode = st.mode & 0o7777;
  } catch {
    return item(what, false, `${zonepath} does not exist: mkdir -p ${zonepath}; chmod 700 ${zonepath}`);
  }
  if (mode !== 0o700) return item(what, false, `${zonepath} has mode ${mode.toString(8)}: chmod 700 ${zonepath}`);
  return item(what, true, zonepath);
}

export const installASmallZone: Lab = {
  id: 3,
  slug: 'install-a-small-zone',
  title: 'install a small zone',
  seed: 'OpenSolaris zones workshop, Ejercicio 3 (Instalación de una Small Zone)',
  async check(host) {
    const cfg = host.config(ZONE);
    if (!cfg) return [item(`zone ${ZONE} is configured`, false, `zonecfg -z ${ZONE} "create; set zonepath=\$ZONES_ROOT/zones/${ZONE}; commit"`)];
    const dirs = inheritedDirs(host, ZONE);
    const items: CheckItem[] = [
      item(`zone ${ZONE} is configured as a small zone (inherit-pkg-dir)`, dirs.length > 0, dirs.length ? `inherits ${dirs.join(', ')}` : `it has no inherit-pkg-dir (a whole-root zone, create -b): zonecfg -z ${ZONE} "create -F; set zonepath=${cfg.globals.zonepath}; commit"`),
      zonepathItem(cfg.globals.zonepath),
      zoneInstalledItem(host, ZONE),
      zoneRunningItem(host, ZONE),
    ];
    const what = 'inside the zone, the inherited directories are read-only';
    if (!host.running(ZONE) || dirs.length === 0) {
      items.push(item(what, false, 'needs the small zone running'));
      return items;
    }
    const mounts = await zoneMounts(host, ZONE);
    const quoted = dirs.map((d) => `'${d.replace(/'/g, `'\\''`)}'`).join(' ');
    const writable = (await host.inZone(ZONE, `for d in ${quoted}; do test -w "$d" && echo "$d"; done; true`)).stdout.split('\n').filter(Boolean);
    const bad: string[] = [];
    for (const d of dirs) {
      const m = mounts.filter((x) => x.point === d).pop();
      if (!m) bad.push(`${d} is not a mount of its own in the zone`);
      else if (!m.options.includes('ro') || writable.includes(d)) bad.push(`${d} is writable in the zone`);
    }
    items.push(item(what, bad.length === 0, bad.length ? bad.join('; ') : `${dirs.join(', ')}: read-only mounts from the global zone`));
    return items;
  },
};
