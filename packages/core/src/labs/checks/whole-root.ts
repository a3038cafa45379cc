/**
 * What labs 04 and 14 ask of a whole-root zone: no inherit-pkg-dir, a root of its own on disk
 * (its /usr is not the host's), and, running, a /usr the zone sees as its own writable tree.
 */
import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mountOf, processMounts } from '../../platform/mounts.js';
import type { LabHost } from '../host.js';
import { type CheckItem, item } from '../lab.js';

/** The zone's root directory on the host (`<zonepath>/root`), or undefined when not configured. */
export function zoneRootDir(host: LabHost, zone: string): string | undefined {
  const zp = host.config(zone)?.globals.zonepath;
  return zp ? join(zp, 'root') : undefined;
}

/** `zone has no inherit-pkg-dir`, or the zonecfg line that removes them. */
export function noInheritItem(host: LabHost, zone: string): CheckItem {
  const what = `zone ${zone} is configured without inherit-pkg-dirs (a whole root)`;
  if (!host.config(zone)) return item(what, false, `no such zone configured: zonecfg -z ${zone}`);
  const dirs = host.resources(zone, 'inherit-pkg-dir').map((r) => String(r.props.dir ?? ''));
  if (dirs.length === 0) return item(what, true);
  const rm = dirs.map((d) => `remove inherit-pkg-dir dir=${d}`).join('; ');
  return item(what, false, `it inherits ${dirs.join(', ')} from the host: zonecfg -z ${zone} "${rm}; commit" (before install)`);
}

function inode(path: string): number | undefined {
  try {
    return lstatSync(path).ino;
  } catch {
    return undefined;
  }
}

function packageCount(root: string): number {
  try {
    return (readFileSync(join(root, 'var/lib/dpkg/status'), 'utf8').match(/^Package: /gm) ?? []).length;
  } catch {
    return 0;
  }
}

/** Installed with a /usr of its own: a real directory in the zone's root, not the host's /usr. */
export function ownUsrOnDiskItem(host: LabHost, zone: string): CheckItem {
  const what = `zone ${zone} is installed with a /usr of its own`;
  const state = host.state(zone);
  const root = zoneRootDir(host, zone);
  if (!state || !root) return item(what, false, `configure it first: zonecfg -z ${zone}`);
  if (state === 'configured' || state === 'incomplete') {
    return item(what, false, state === 'incomplete' ? `it is incomplete: zoneadm -z ${zone} uninstall -F, then install again` : `install it: zoneadm -z ${zone} install`);
  }
  let usr;
  try {
    usr = lstatSync(join(root, 'usr'));
  } catch {
    return item(what, false, `${root}/usr is missing`);
  }
  if (!usr.isDirectory() || inode(join(root, 'usr', 'bin')) === undefined) {
    return item(what, false, `${root}/usr holds no tree (a sparse zone gets the host's /usr at boot): uninstall, remove the inherit-pkg-dirs, install again`);
  }
  if (usr.ino === inode('/usr') && usr.dev === lstatSync('/usr').dev) return item(what, false, `${root}/usr is the host's /usr`);
  const n = packageCount(root);
  return item(what, true, `${root}/usr is its own directory${n ? `, ${n} packages in its dpkg database` : ''}`);
}

/**
 * Running: the zone's /usr is on the zone's own root (no mount at /usr in its mount namespace),
 * it is the directory of `<zonepath>/root/usr` and not the host's, and the zone may write there
 * (test -w: access(2) answers EROFS on a read-only mount, without writing anything).
 */
export async function ownUsrInsideItem(host: LabHost, zone: string): Promise<CheckItem> {
  const what = `inside ${zone}, /usr is the zone's own writable tree`;
  const rt = host.runtime(zone);
  const root = zoneRootDir(host, zone);
  if (!host.running(zone) || !rt || !root) return item(what, false, `boot it first: zoneadm -z ${zone} boot`);
  const usrMount = mountOf('/usr', processMounts(rt.initPid));
  if (usrMount && usrMount.mountPoint !== '/') {
    return item(what, false, `/usr is a separate ${usrMount.options.includes('ro') ? 'read-only ' : ''}mount in the zone (from ${usrMount.source}): the host's, inherited`);
  }
  const r = await host.inZone(zone, 'stat -c %i /usr; test -w /usr && echo writable || echo read-only');
  const [ino, access] = r.stdout.trim().split('\n');
  if (Number(ino) !== inode(join(root, 'usr'))) return item(what, false, `the zone's /usr (inode ${ino ?? '?'}) is not ${root}/usr`);
  if (access !== 'writable') return item(what, false, 'the zone cannot write to its /usr');
  return item(what, true, `/usr lies on the zone's root mount (${root}), inode ${ino}, writable`);
}
