/**
 * Host device nodes: what an `add device match=` glob names under /dev, and each node's type and
 * numbers (for the zone's /dev and its device allow list).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface HostDevice {
  path: string;
  type: 'c' | 'b';
  major: number;
  minor: number;
  /** The node's permission bits and owner on the host (a zone's copy keeps them, its ids shifted). */
  mode?: number;
  uid?: number;
  gid?: number;
}

/** The node at `path`, or undefined when it is missing or not a character or block device. */
export function hostDevice(path: string): HostDevice | undefined {
  try {
    const st = statSync(path, { bigint: true });
    if (!st.isCharacterDevice() && !st.isBlockDevice()) return undefined;
    // glibc's gnu_dev_major/minor: the 64-bit dev_t layout.
    const rdev = st.rdev;
    const major = Number(((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn));
    const minor = Number((rdev & 0xffn) | ((rdev >> 12n) & ~0xffn));
    return { path, type: st.isCharacterDevice() ? 'c' : 'b', major, minor, mode: Number(st.mode & 0o7777n), uid: Number(st.uid), gid: Number(st.gid) };
  } catch {
    return undefined;
  }
}

/** One path segment of a glob (`*`, `?`, `[...]`, as zonecfg's match property uses them) as a regex. */
function segmentRegex(seg: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = seg.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        const body = seg.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** True when a glob can only name paths under /dev: its first segment is `dev`, none is `.` or `..`. */
export function underDev(glob: string): boolean {
  const segs = glob.split('/').filter(Boolean);
  return segs[0] === 'dev' && segs.length > 1 && !segs.some((s) => s === '..' || s === '.');
}

/**
 * The device nodes a glob matches, sorted. Only a glob {@link underDev} matches anything: a match
 * can never name a node elsewhere on the host.
 */
export function matchDevices(glob: string): HostDevice[] {
  if (!underDev(glob)) return [];
  const segs = glob.split('/').filter(Boolean);
  let paths = ['/dev'];
  for (const seg of segs.slice(1)) {
    const re = segmentRegex(seg);
    const next: string[] = [];
    for (const dir of paths) {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      for (const n of names) if (re.test(n)) next.push(join(dir, n));
    }
    paths = next;
  }
  return paths
    .sort()
    .map(hostDevice)
    .filter((d): d is HostDevice => d !== undefined);
}
