/**
 * Directory layout shared by the installers: the empty zone root, the mount points every zone
 * needs at boot, and the sparse zone's skeleton.
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { lstatIn, mkdirIn, symlinkIn } from './fsutil.js';
import { InstallError } from './types.js';

/** Creates `root` (mode 0755); an existing root must be an empty directory. */
export function prepareRoot(root: string): void {
  let st;
  try {
    st = lstatSync(root);
  } catch {
    mkdirSync(root, { mode: 0o755 });
    st = lstatSync(root);
  }
  if (!st.isDirectory()) throw new InstallError(`${root} exists and is not a directory`);
  if (readdirSync(root).length > 0) throw new InstallError(`${root} already exists and is not empty`);
  chmodSync(root, 0o755);
}

/** Mount points the zone runtime needs (/dev, /proc, /sys, /run, /tmp); existing entries are kept. */
export function ensureMountPoints(root: string): void {
  const want: Array<[string, number]> = [
    ['dev', 0o755],
    ['proc', 0o555],
    ['sys', 0o555],
    ['run', 0o755],
    ['tmp', 0o1777],
  ];
  for (const [d, mode] of want) {
    const st = lstatIn(root, d);
    if (!st) mkdirIn(root, d, mode);
    else if (!st.isDirectory() && d !== 'run' && d !== 'tmp') throw new InstallError(`the zone root's /${d} is not a directory`);
  }
}

/** One directory entry of a skeleton: a directory with a mode, or a symlink. */
export type SkeletonEntry = { path: string; mode: number } | { path: string; link: string };

/** The sparse zone's own directories, outside /etc and the inherited ones. */
export const SPARSE_SKELETON: readonly SkeletonEntry[] = Object.freeze([
  { path: 'dev', mode: 0o755 },
  { path: 'proc', mode: 0o555 },
  { path: 'sys', mode: 0o555 },
  { path: 'run', mode: 0o755 },
  { path: 'run/lock', mode: 0o1777 },
  { path: 'tmp', mode: 0o1777 },
  { path: 'root', mode: 0o700 },
  { path: 'home', mode: 0o755 },
  { path: 'mnt', mode: 0o755 },
  { path: 'opt', mode: 0o755 },
  { path: 'srv', mode: 0o755 },
  { path: 'var', mode: 0o755 },
  { path: 'var/tmp', mode: 0o1777 },
  { path: 'var/log', mode: 0o755 },
  { path: 'var/lib', mode: 0o755 },
  { path: 'var/cache', mode: 0o755 },
  { path: 'var/spool', mode: 0o755 },
  { path: 'var/mail', mode: 0o755 },
  { path: 'var/opt', mode: 0o755 },
  { path: 'var/local', mode: 0o755 },
  { path: 'var/run', link: '../run' },
  { path: 'var/lock', link: '../run/lock' },
]);

export function createSkeleton(root: string, entries: readonly SkeletonEntry[]): void {
  for (const e of entries) {
    if ('link' in e) symlinkIn(root, e.path, e.link);
    else mkdirIn(root, e.path, e.mode);
  }
}
