/** The mount table (/proc/self/mountinfo) and what zoneadm and the runtime ask of it. */
import { readFileSync, realpathSync } from 'node:fs';
import { sep } from 'node:path';

export interface MountEntry {
  mountPoint: string;
  fsType: string;
  /** Per-mount options (rw, nosuid, ...). */
  options: string[];
  source: string;
  /** Per-superblock options (rw, memory, name=systemd, ...). */
  superOptions: string[];
}

const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/** The mount table, in mount order; empty when it cannot be read. `mountinfo` lets tests use another. */
export function readMounts(mountinfo = '/proc/self/mountinfo'): MountEntry[] {
  let text: string;
  try {
    text = readFileSync(mountinfo, 'utf8');
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
      mountPoint: unescape(f[4]!),
      options: f[5]!.split(','),
      fsType: f[dash + 1]!,
      source: unescape(f[dash + 2] ?? ''),
      superOptions: (f[dash + 3] ?? '').split(','),
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

/** The type of the filesystem `path` is on (`ext4`, `nfs4`...), or undefined when it cannot be told. */
export function filesystemOf(path: string): string | undefined {
  try {
    return mountOf(realpathSync(path))?.fsType;
  } catch {
    return undefined;
  }
}

/** The mount table process `pid` sees (its mount namespace's, from its root): a zone's, read through its init. */
export function processMounts(pid: number): MountEntry[] {
  return Number.isInteger(pid) && pid > 0 ? readMounts(`/proc/${pid}/mountinfo`) : [];
}
