/**
 * Lab 10 (docs/labs/10-linux-root-from-an-archive.md): the workshop's BrandZ exercise, a zone
 * `linux` whose root comes from an archive (`zoneadm install -d FILE`, docs/brands.md#install--d-archive).
 * The check reads the zone's last install log (what install was given), its configuration (a
 * whole root: no inherit-pkg-dir from the host) and, running, what the zone itself sees: no
 * mount of the host's system directories, and a /bin/sh that is its own file, not the host's.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Lab } from '../lab.js';
import { item, type CheckItem } from '../lab.js';
import { installLogPath } from '../../zoneadm/paths.js';
import { zoneRunningItem } from './common.js';
import { inheritedDirs, zoneInstalledItem, zoneMounts } from './zone-facts.js';

const ZONE = 'linux';
const SYSTEM_DIRS = ['/usr', '/lib', '/lib64', '/lib32', '/bin', '/sbin'];
const ARCHIVE_NAME = /\.(tar|tgz|tbz2?|txz|tzst|tar\.(gz|bz2|xz|zst))$/;

/** The `source` of the zone's last install (`install -d SOURCE`), read from its install log. */
function installSource(root: string): string | undefined | null {
  let log: string;
  try {
    log = readFileSync(installLogPath(ZONE, root), 'utf8');
  } catch {
    return null;
  }
  const m = /^\[[^\]]*\] options: (\{.*\})$/m.exec(log);
  if (!m) return undefined;
  try {
    const o = JSON.parse(m[1]!) as { source?: unknown };
    return typeof o.source === 'string' ? o.source : undefined;
  } catch {
    return undefined;
  }
}

function archiveItem(host: { root: string }): CheckItem {
  const what = `zone ${ZONE} was installed from an archive (install -d)`;
  const src = installSource(host.root);
  if (src === null) return item(what, false, `no install log of ${ZONE} yet: zoneadm -z ${ZONE} install -d ARCHIVE`);
  if (src === undefined) return item(what, false, `its last install built the root from the host, without -d: zoneadm -z ${ZONE} uninstall -F, then install -d ARCHIVE`);
  try {
    const st = statSync(src);
    if (st.isDirectory()) return item(what, false, `it was installed from the directory ${src}: make an archive of it (tar czf) and install from that`);
    return item(what, true, src);
  } catch {
    return ARCHIVE_NAME.test(src) ? item(what, true, `${src} (since removed)`) : item(what, false, `${src} is gone: the check cannot tell an archive from a directory; install from an archive again`);
  }
}

/** `dev:ino` of a file as stat(1) prints it with -c %d:%i, after links. */
function identity(path: string): string | undefined {
  try {
    const st = statSync(path);
    return `${st.dev}:${st.ino}`;
  } catch {
    return undefined;
  }
}

export const linuxRootFromAnArchive: Lab = {
  id: 10,
  slug: 'linux-root-from-an-archive',
  title: 'a Linux root from an archive',
  seed: 'OpenSolaris zones workshop, Ejercicio 10 (Instalación BrandZ: zoneadm install -d)',
  async check(host) {
    const cfg = host.config(ZONE);
    if (!cfg) return [item(`zone ${ZONE} is configured`, false, `zonecfg -z ${ZONE} "create -b; set brand=rpm; set zonepath=\$ZONES_ROOT/zones/${ZONE}; commit"`)];
    const dirs = inheritedDirs(host, ZONE);
    const items: CheckItem[] = [
      item(`zone ${ZONE} is a whole-root zone (no inherit-pkg-dir)`, dirs.length === 0, dirs.length ? `it inherits ${dirs.join(', ')} from the host: configure it with create -b` : `brand ${cfg.globals.brand || 'native'}`),
      zoneInstalledItem(host, ZONE),
      archiveItem(host),
      zoneRunningItem(host, ZONE),
    ];
    const what = "the zone's root is its own, not the host's";
    if (!host.running(ZONE)) {
      items.push(item(what, false, 'needs the zone running'));
      return items;
    }
    const shared = (await zoneMounts(host, ZONE)).filter((m) => SYSTEM_DIRS.includes(m.point)).map((m) => m.point);
    const inside = (await host.inZone(ZONE, 'stat -L -c %d:%i /bin/sh')).stdout.trim();
    const hostSh = identity('/bin/sh');
    if (shared.length) items.push(item(what, false, `the zone mounts the host's ${shared.join(', ')}`));
    else if (!/^\d+:\d+$/.test(inside)) items.push(item(what, false, 'the zone has no /bin/sh (or no stat) to compare with the host'));
    else if (inside === hostSh) items.push(item(what, false, "the zone's /bin/sh is the host's own file"));
    else items.push(item(what, true, `no host directory mounted; its /bin/sh is file ${inside}, the host's ${hostSh ?? '-'}`));
    return items;
  },
};
