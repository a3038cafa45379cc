/** File-system helpers for zoneadm: a removal that never leaves the tree it was given, and copies. */
import { lstatSync, mkdirSync, readdirSync, rmdirSync, unlinkSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { runTool, type RunOptions } from '../sys/tools.js';
import { ZoneadmError, strerror } from './errors.js';

/** Thrown when a removal meets another file system inside the tree. */
export class MountPointError extends Error {
  constructor(readonly path: string) {
    super(`${path} is a mount point`);
    this.name = 'MountPointError';
  }
}

/**
 * Remove `path` and everything below it without ever leaving it: entries are examined with lstat,
 * so a symbolic link is removed as a link and never followed, and a directory on another device
 * (a mount point) stops the removal with MountPointError instead of being recursed into.
 * `dev` is the device the tree must stay on (default: that of `path`).
 */
export function removeTree(path: string, dev?: number): void {
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const device = dev ?? st.dev;
  if (st.dev !== device) throw new MountPointError(path);
  if (!st.isDirectory()) {
    unlinkSync(path);
    return;
  }
  removeContents(path, device);
  rmdirSync(path);
}

/** Remove everything inside directory `dir` (kept itself), with removeTree's guarantees. */
export function removeContents(dir: string, dev?: number): void {
  const st = lstatSync(dir);
  if (!st.isDirectory()) throw Object.assign(new Error(`${dir}: Not a directory`), { code: 'ENOTDIR' });
  const device = dev ?? st.dev;
  if (st.dev !== device) throw new MountPointError(dir);
  for (const name of readdirSync(dir)) removeTree(join(dir, name), device);
}

/** Thrown by makeDirs when a component of the path is a symbolic link or not a directory. */
export class NotADirectoryPathError extends Error {
  constructor(readonly path: string, readonly symlink: boolean) {
    super(`${path}: ${symlink ? 'is a symbolic link' : 'Not a directory'}`);
    this.name = 'NotADirectoryPathError';
  }
}

/**
 * `mkdir -p` one component at a time, returning the directories it created (outermost first) so
 * a failed operation can remove exactly those. Node's own recursive mkdir loops for ever where
 * mkdir fails with ENOENT under a parent that exists (any path below /proc), at full CPU and
 * deaf to signals; here every mkdir is tried once. An existing component that is a symbolic link
 * is refused before anything is made, never followed. Parents get 0755, the last one `mode`.
 */
export function makeDirs(path: string, mode = 0o755): string[] {
  const parts = path.split('/').filter((p) => p !== '');
  const created: string[] = [];
  let cur = '';
  for (let i = 0; i < parts.length; i++) {
    cur += `/${parts[i]}`;
    let st: Stats | undefined;
    try {
      st = lstatSync(cur);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (st) {
      if (!st.isDirectory()) throw new NotADirectoryPathError(cur, st.isSymbolicLink());
      continue;
    }
    try {
      mkdirSync(cur, { mode: i === parts.length - 1 ? mode : 0o755 });
    } catch (err) {
      removeCreated(created);
      throw err;
    }
    created.push(cur);
  }
  return created;
}

/** Undo makeDirs: remove the directories it made, innermost first, each only while empty. */
export function removeCreated(created: readonly string[]): void {
  for (const d of [...created].reverse()) {
    try {
      rmdirSync(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      return; // not empty: whatever is in it is not ours to remove
    }
  }
}

/** Entries of a zonepath that zoneadm itself creates; anything else is user data (cleanup_zonepath). */
export const STANDARD_ZONEPATH_ENTRIES: readonly string[] = Object.freeze([
  'dev', 'lu', 'root', 'SUNWattached.yaml', 'SUNWdetached.yaml',
]);

/**
 * cleanup_zonepath for Linux: remove the standard entries of `zonepath` (or everything in it with
 * `all`), never following a symlink and never crossing into another file system. The zonepath
 * directory itself stays (mode 0700), so a later install finds it ready. Returns the warning to
 * print when user data was left in place.
 */
export function cleanupZonepath(zonepath: string, all: boolean): string | undefined {
  if (zonepath === '' || zonepath === '/' || !zonepath.startsWith('/')) {
    throw new ZoneadmError(`invalid zonepath '${zonepath}'`, 'bare');
  }
  let st: Stats;
  try {
    st = lstatSync(zonepath);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  if (!st.isDirectory()) throw new ZoneadmError(`${zonepath} is not a directory.`, 'bare');
  const names = readdirSync(zonepath);
  const nonStd = names.filter((n) => !STANDARD_ZONEPATH_ENTRIES.includes(n));
  const doomed = all ? names : names.filter((n) => STANDARD_ZONEPATH_ENTRIES.includes(n));
  for (const n of doomed) removeTree(join(zonepath, n), st.dev);
  if (!all && nonStd.length > 0) {
    return (
      `WARNING: Unable to completely remove ${zonepath}\nbecause it contains additional user data.  ` +
      'Only the standard directory\nentries have been removed.'
    );
  }
  return undefined;
}

/** Describe a removal failure in Solaris style. */
export function removalError(err: unknown, zonepath: string): ZoneadmError {
  if (err instanceof ZoneadmError) return err;
  if (err instanceof MountPointError) {
    return new ZoneadmError(
      `cleaning up zonepath failed: ${err.path} is on another file system (a mount point); not removed.`,
      'zone', 1, [`Unmount it, then run uninstall again; ${zonepath} was left in place.`],
    );
  }
  const e = err as NodeJS.ErrnoException;
  return new ZoneadmError(`cleaning up zonepath failed: ${e.path ? `${e.path}: ` : ''}${strerror(e)}`);
}

/**
 * Copy the contents of `src` into the existing directory `dst` with `cp -a`, sharing blocks
 * through reflinks where the file system can (`--reflink=auto`), else copying them. Hard links
 * inside the tree are kept as links between the copies only, so no file is shared with `src`.
 */
export async function copyTree(src: string, dst: string, opts: RunOptions = {}): Promise<void> {
  await runTool('cp', ['-a', '--reflink=auto', '--', `${src}/.`, `${dst}/`], opts);
}
