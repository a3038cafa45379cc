/**
 * `ip netns exec` gives its command a fresh /sys without the host's cgroupfs, and zoneadm rightly
 * refuses to boot a zone it cannot place in its cgroups. A test that runs zoneadm in a network
 * namespace of its own mounts the host's hierarchies again first, inside the mount namespace
 * `ip netns exec` made (gone with it).
 */
import { hostCgroupLayout } from '../../src/platform/cgroups/mounts.js';

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** A shell prefix that remounts the host's cgroup hierarchies at /sys/fs/cgroup. */
export function remountHostCgroups(): string {
  const { mounts, links } = hostCgroupLayout();
  if (mounts.length === 1 && mounts[0]!.name === '.') return 'mount -t cgroup2 cgroup2 /sys/fs/cgroup && ';
  const steps = ['mount -t tmpfs -o mode=755 cgroup_root /sys/fs/cgroup'];
  for (const m of mounts) steps.push(`mkdir -p /sys/fs/cgroup/${q(m.name)}`, `mount -t cgroup -o ${q(m.options)} cgroup /sys/fs/cgroup/${q(m.name)}`);
  for (const l of links) steps.push(`ln -s ${q(l.target)} /sys/fs/cgroup/${q(l.name)}`);
  return `${steps.join(' && ')} && `;
}
