/**
 * The kernel's own file systems (/proc, /sys, /dev and the pseudo file systems mounted anywhere):
 * they hold no files of their own, and a zonepath on one of them must be refused before anything
 * is created there (docs/reference.md#31-what-is-validated).
 */
import { lstatSync, realpathSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { mountOf } from './mounts.js';

/** The kernel's trees: whatever is below them belongs to the kernel, whatever is mounted there. */
export const KERNEL_TREES: readonly string[] = Object.freeze(['/proc', '/sys', '/dev']);

/** Types of file systems the kernel makes up (devtmpfs reports itself as tmpfs to statfs, not in the mount table). */
export const PSEUDO_FS_TYPES: ReadonlySet<string> = new Set([
  'proc', 'sysfs', 'devtmpfs', 'devpts', 'cgroup', 'cgroup2', 'debugfs', 'tracefs', 'securityfs',
  'pstore', 'bpf', 'configfs', 'fusectl', 'efivarfs', 'binfmt_misc', 'mqueue', 'hugetlbfs',
  'selinuxfs', 'smackfs', 'nsfs', 'autofs', 'rpc_pipefs', 'nfsd',
]);

export interface KernelPlace {
  /** The path, its existing part resolved. */
  resolved: string;
  /** The pseudo file system it is on, if any. */
  fsType?: string;
  /** The kernel tree it is under, if any. */
  tree?: string;
}

const under = (p: string, dir: string) => p === dir || p.startsWith(dir + sep);

/**
 * Where `path` (absolute; it need not exist) would live, when that is a kernel file system or
 * tree: its longest existing prefix is resolved (symbolic links included, so a link to /proc
 * counts), and the mount it is on looked up. Undefined for an ordinary place.
 */
export function kernelPlaceOf(path: string): KernelPlace | undefined {
  let existing = path;
  for (;;) {
    try {
      lstatSync(existing);
      break;
    } catch {
      const up = dirname(existing);
      if (up === existing) return undefined;
      existing = up;
    }
  }
  let real: string;
  try {
    real = realpathSync.native(existing);
  } catch {
    return undefined;
  }
  const resolved = join(real, relative(existing, path));
  const tree = KERNEL_TREES.find((t) => under(resolved, t));
  const type = mountOf(real)?.fsType;
  const fsType = type !== undefined && PSEUDO_FS_TYPES.has(type) ? type : undefined;
  return tree || fsType ? { resolved, tree, fsType } : undefined;
}
