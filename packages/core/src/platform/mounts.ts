/** The host's mount table (/proc/self/mountinfo), as far as the runtime needs it. */
import { readFileSync, realpathSync } from 'node:fs';

const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

export interface MountEntry {
  point: string;
  fstype: string;
}

export function mountTable(mountinfo = '/proc/self/mountinfo'): MountEntry[] {
  return readFileSync(mountinfo, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const f = line.split(' ');
      return { point: unescape(f[4] ?? ''), fstype: f[f.indexOf('-') + 1] ?? '' };
    });
}

/** The type of the filesystem `path` is on (`ext4`, `nfs4`...), or undefined when it cannot be told. */
export function filesystemOf(path: string): string | undefined {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return undefined;
  }
  let best: MountEntry | undefined;
  for (const m of mountTable()) {
    const under = m.point === '/' || real === m.point || real.startsWith(`${m.point}/`);
    if (under && (!best || m.point.length >= best.point.length)) best = m;
  }
  return best?.fstype;
}
