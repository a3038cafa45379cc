/**
 * The zone's root as an OCI runtime needs it. The zone's files carry the zone's own ids (our boot
 * shifts them with idmapped mounts, docs/security.md); runc and crun start the zone in its user
 * namespace on a root owned by the zone's host ids. So the bundle's rootfs is a copy, its blocks
 * shared with the zone's where the file system can (reflinks, `cp --reflink=auto`), whose owners
 * are then shifted by the zone's block: zone uid N becomes host uid `idmap.uid + N`.
 */
import { chmodSync, lchownSync, lstatSync, readdirSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { IdMap } from '../store/idmap.js';
import { copyTree } from '../zoneadm/fsutil.js';

/** The zone's nobody: where an id beyond the zone's range goes (the kernel shows such a file as nobody too). */
const NOBODY = 65534;

export interface ShiftResult {
  /** Files whose owner or group was beyond the zone's range, now its nobody. */
  outOfRange: number;
}

/**
 * Shifts the owners of everything under `dir` (itself included) into `map`'s block. Each inode is
 * shifted once, however many hard links it has; a directory on another device is not entered.
 * chown clears setuid and setgid, so a file that had them gets its mode back.
 */
function shiftOwners(dir: string, map: IdMap): ShiftResult {
  const seen = new Set<string>();
  const result: ShiftResult = { outOfRange: 0 };
  const top = lstatSync(dir);
  const shiftOne = (path: string, st: Stats) => {
    const key = `${st.dev}:${st.ino}`;
    if (seen.has(key)) return;
    seen.add(key);
    const inRange = st.uid < map.count && st.gid < map.count;
    if (!inRange) result.outOfRange++;
    const uid = map.uid + (st.uid < map.count ? st.uid : NOBODY);
    const gid = map.gid + (st.gid < map.count ? st.gid : NOBODY);
    lchownSync(path, uid, gid);
    if (!st.isSymbolicLink() && (st.mode & 0o6000) !== 0) chmodSync(path, st.mode & 0o7777);
  };
  const walk = (path: string, st: Stats) => {
    shiftOne(path, st);
    if (!st.isDirectory() || st.dev !== top.dev) return;
    for (const name of readdirSync(path)) {
      const child = join(path, name);
      walk(child, lstatSync(child));
    }
  };
  walk(dir, top);
  return result;
}

/** Copies the zone root `src` into the existing empty directory `dst`, owned by the zone's block. */
export async function copyShifted(src: string, dst: string, map: IdMap): Promise<ShiftResult> {
  await copyTree(src, dst);
  return shiftOwners(dst, map);
}
