/**
 * How this host mounts its cgroup hierarchies under /sys/fs/cgroup, so that a zone's
 * /sys/fs/cgroup can show the same ones (each rooted at the zone's payload by its cgroup namespace).
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { readMounts } from '../mounts.js';

export interface CgroupMount {
  /** The directory under /sys/fs/cgroup (`memory`, `cpu,cpuacct`, `systemd`); `.` for cgroup2 at the top. */
  name: string;
  type: 'cgroup' | 'cgroup2';
  /** Mount options naming the hierarchy: `memory`, `none,name=systemd`. */
  options: string;
}

export interface CgroupLayout {
  mounts: CgroupMount[];
  /** Symbolic links beside them (`cpu -> cpu,cpuacct`). */
  links: { name: string; target: string }[];
}

/**
 * The v1 hierarchies (with their controllers or `name=`), or the one cgroup2 mount on a unified
 * host; a hybrid host's extra cgroup2 (`unified`) is left out, zones use its v1 hierarchies.
 */
export function hostCgroupLayout(
  root = '/sys/fs/cgroup',
  mountinfo = '/proc/self/mountinfo',
  procCgroups = '/proc/cgroups',
): CgroupLayout {
  const mounts: CgroupMount[] = [];
  const subsystems = new Set(
    readFileSync(procCgroups, 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split('\t')[0]!),
  );
  for (const m of readMounts(mountinfo)) {
    const point = m.mountPoint;
    const type = m.fsType;
    const superOpts = m.superOptions.filter((o) => o !== 'rw' && o !== 'ro');
    if (type === 'cgroup2' && point === root) mounts.push({ name: '.', type, options: '' });
    if (type !== 'cgroup' || !point.startsWith(`${root}/`)) continue;
    const name = point.slice(root.length + 1);
    if (name.includes('/')) continue;
    // The hierarchy is named by its controllers and its name=; other options (xattr...) belong to the superblock.
    const controllers = superOpts.filter((o) => subsystems.has(o));
    const named = superOpts.filter((o) => o.startsWith('name='));
    mounts.push({ name, type, options: [...(controllers.length > 0 ? controllers : ['none']), ...named].join(',') });
  }
  if (mounts.some((m) => m.name === '.')) return { mounts: mounts.filter((m) => m.name === '.'), links: [] };
  const links: CgroupLayout['links'] = [];
  let names: string[] = [];
  try {
    names = readdirSync(root);
  } catch {
    // no cgroupfs: nothing to show
  }
  for (const n of names) {
    try {
      links.push({ name: n, target: readlinkSync(join(root, n)) });
    } catch {
      // not a link
    }
  }
  return { mounts, links };
}
