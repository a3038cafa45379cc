/**
 * File helpers for writing inside a zone root that may be hostile. A root unpacked from a user's
 * archive can hold `etc -> /etc` or `etc/hostname -> /etc/shadow`; code running on the host must
 * never follow such links. Every write here walks the path one component at a time with lstat,
 * refuses a symlinked root and symlinked parents, and replaces (never follows) a symlink at the
 * final component.
 */
import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { join, posix } from 'node:path';
import { InstallError } from './types.js';

/** Components of a relative path inside a root; refuses absolute paths, `..`, and empty input. */
export function components(rel: string): string[] {
  const parts = rel.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.includes('..')) throw new InstallError(`invalid path in zone root: ${rel}`);
  return parts;
}

function lstatOrUndefined(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * The host path of `rel` inside `root`, after checking that every parent directory is a real
 * directory (not a symlink). With `create`, missing parents are made (mode 0755, root-owned).
 */
export function pathIn(root: string, rel: string, create = false): string {
  const parts = components(rel);
  // The root itself too: a zonepath's `root` that is a link (to /, say) would lead every write out.
  if (lstatOrUndefined(root)?.isSymbolicLink()) throw new InstallError(`refusing to follow the symbolic link ${root} (the zone root)`);
  let cur = root;
  for (let i = 0; i < parts.length - 1; i++) {
    cur = join(cur, parts[i]!);
    const st = lstatOrUndefined(cur);
    if (!st) {
      if (!create) return join(cur, ...parts.slice(i + 1));
      mkdirSync(cur, { mode: 0o755 });
      continue;
    }
    if (st.isSymbolicLink()) throw new InstallError(`refusing to follow the symbolic link ${cur} in the zone root`);
    if (!st.isDirectory()) throw new InstallError(`${cur} is not a directory`);
  }
  return join(cur, parts[parts.length - 1]!);
}

/** Removes whatever is at `rel` (file, link, directory tree) without following links. */
export function removeIn(root: string, rel: string): void {
  const p = pathIn(root, rel);
  const st = lstatOrUndefined(p);
  if (!st) return;
  if (st.isDirectory()) rmSync(p, { recursive: true, force: true });
  else unlinkSync(p);
}

export interface WriteOpts {
  mode?: number;
  uid?: number;
  gid?: number;
}

/** Writes a regular file at `rel`, replacing whatever was there (a symlink is replaced, not followed). */
export function writeIn(root: string, rel: string, data: string | Uint8Array, opts: WriteOpts = {}): void {
  const p = pathIn(root, rel, true);
  const st = lstatOrUndefined(p);
  if (st?.isDirectory()) throw new InstallError(`${p} is a directory`);
  if (st) unlinkSync(p);
  const mode = opts.mode ?? 0o644;
  const fd = openSync(p, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
  try {
    fchownSync(fd, opts.uid ?? 0, opts.gid ?? 0);
    fchmodSync(fd, mode);
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
  } finally {
    closeSync(fd);
  }
}

/** Reads a regular file at `rel`, or undefined when it is missing or not a regular file. */
export function readIn(root: string, rel: string): string | undefined {
  let p: string;
  try {
    p = pathIn(root, rel);
  } catch {
    return undefined;
  }
  const st = lstatOrUndefined(p);
  if (!st?.isFile()) return undefined;
  return readFileSync(p, 'utf8');
}

/** Stat of `rel` without following a final symlink (parents must be real directories). */
export function lstatIn(root: string, rel: string): Stats | undefined {
  try {
    return lstatOrUndefined(pathIn(root, rel));
  } catch {
    return undefined;
  }
}

/** Makes `rel` a symlink to `target`, replacing what was there. */
export function symlinkIn(root: string, rel: string, target: string): void {
  const p = pathIn(root, rel, true);
  const st = lstatOrUndefined(p);
  if (st?.isDirectory()) rmSync(p, { recursive: true, force: true });
  else if (st) unlinkSync(p);
  symlinkSync(target, p);
}

/** Makes a directory at `rel` (parents as needed) with exactly `mode` (umask ignored, sticky kept). */
export function mkdirIn(root: string, rel: string, mode = 0o755): void {
  const p = pathIn(root, rel, true);
  const st = lstatOrUndefined(p);
  if (st && !st.isDirectory()) throw new InstallError(`${p} exists and is not a directory`);
  if (!st) mkdirSync(p);
  // chmod through an O_DIRECTORY|O_NOFOLLOW descriptor: never follows a link planted meanwhile
  const fd = openSync(p, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
  try {
    fchmodSync(fd, mode);
  } finally {
    closeSync(fd);
  }
}

/** True if `root` has a real directory `etc/` (what any root file system has). */
export function looksLikeRoot(root: string): boolean {
  return lstatIn(root, 'etc')?.isDirectory() === true;
}

/** Every entry under `dir`, depth first, without following symlinks (for sweeps such as device removal). */
export function* walk(dir: string): Generator<{ path: string; stat: Stats }> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const p = join(dir, name);
    const st = lstatOrUndefined(p);
    if (!st) continue;
    yield { path: p, stat: st };
    if (st.isDirectory()) yield* walk(p);
  }
}

/** Normalises an archive member name: strips `./` and trailing `/`; keeps `..` so callers can refuse it. */
export function normalizeMember(name: string): string {
  let n = name;
  while (n.startsWith('./')) n = n.slice(2);
  if (n === '.') return '';
  n = n.replace(/\/+$/, '');
  return posix.normalize(n) === '.' ? '' : n.split('/').filter((p) => p !== '' && p !== '.').join('/');
}

/**
 * The first of `path` and the directories above it that a user other than host root could change
 * (rewrite the file, or rename an entry on the way to it): one not owned by root, a file writable
 * by group or others, a directory writable by them without the sticky bit. Undefined: none. A
 * link root made (`/var/run`) is followed; one another user owns is the answer.
 */
export function changeableByOthers(path: string, isFile = true): string | undefined {
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch {
    return undefined;
  }
  if (st.uid !== 0) return path;
  if (st.isSymbolicLink()) return changeableByOthers(realpathSync(path), isFile);
  const open = (st.mode & 0o022) !== 0;
  if (isFile ? open : open && (st.mode & 0o1000) === 0) return path;
  const up = posix.dirname(path);
  return up === path ? undefined : changeableByOthers(up, false);
}

