/**
 * File-system helpers for zoneadm: mount table lookups, a removal that never leaves the tree it
 * was given, and copies.
 */
import { lstatSync, mkdirSync, readdirSync, readFileSync, rmdirSync, unlinkSync, type Stats } from 'node:fs';
import { join, sep } from 'node:path';
import { runTool, type RunOptions } from '../sys/tools.js';
import { ZoneadmError, strerror } from './errors.js';

export interface MountEntry {
  mountPoint: string;
  fsType: string;
  /** Per-mount options (rw, nosuid, ...). */
  options: string[];
  source: string;
}

function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** /proc/self/mountinfo, in mount order. */
export function readMounts(path = '/proc/self/mountinfo'): MountEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const f = line.split(' ');
    const dash = f.indexOf('-', 6);
    if (f.length < 10 || dash === -1) continue;
    out.push({
      mountPoint: unescapeMount(f[4]),
      options: f[5].split(','),
      fsType: f[dash + 1],
      source: unescapeMount(f[dash + 2] ?? ''),
    });
  }
  return out;
}

function isUnder(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/** Mount points strictly below `dir` (zonecfg_find_mounts). */
export function mountsUnder(dir: string, mounts = readMounts()): string[] {
  return [...new Set(mounts.map((m) => m.mountPoint).filter((m) => m !== dir && isUnder(m, dir)))];
}

/** The mount `path` lives on (longest mount point prefix; later mounts shadow earlier ones). */
export function mountOf(path: string, mounts = readMounts()): MountEntry | undefined {
  let best: MountEntry | undefined;
  for (const m of mounts) {
    if (isUnder(path, m.mountPoint) && (!best || m.mountPoint.length >= best.mountPoint.length)) best = m;
  }
  return best;
}

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

/** mkdir -p with `mode` for new directories (umask ignored for the last one). */
export function mkdirp(path: string, mode: number): void {
  mkdirSync(path, { recursive: true, mode });
}
