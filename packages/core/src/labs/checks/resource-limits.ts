/**
 * What labs 05 and 06 look at: a zone's resource controls as configured against what its cgroup
 * holds now, and the mounts of the running zone (its init's mount table, read from the host).
 */
import { limitsFromConfig } from '../../platform/cgroups/limits.js';
import { processMounts, type MountEntry } from '../../platform/mounts.js';
import type { LabHost } from '../host.js';

/** One control the zone's cgroup enforces: what the configuration asks and what the kernel holds. */
export interface ControlInForce {
  /** As the student wrote it (`max-lwps`, `capped-memory physical`...). */
  what: string;
  configured: number;
  kernel: number | undefined;
}

/**
 * The zone's cgroup-enforced controls (tasks, memory, CPU cap, shares), each with the value its
 * cgroup holds now; the IPC and locked-memory controls are not cgroup files and are not listed.
 */
export function controlsInForce(host: LabHost, zone: string): ControlInForce[] {
  const cfg = host.config(zone);
  if (!cfg) return [];
  const l = limitsFromConfig(cfg);
  const stats = host.running(zone) ? host.cgroup(zone).stats() : {};
  const out: ControlInForce[] = [];
  if (typeof l.pidsMax === 'number') out.push({ what: 'max-lwps (pids.max)', configured: l.pidsMax, kernel: stats.tasksMax });
  if (typeof l.memoryBytes === 'number') out.push({ what: 'capped-memory physical', configured: l.memoryBytes, kernel: stats.memoryLimitBytes });
  if (typeof l.cpuShares === 'number') out.push({ what: 'cpu-shares', configured: l.cpuShares, kernel: stats.cpuShares });
  if (l.cpuQuota !== undefined && l.cpuQuota !== 'max') {
    out.push({ what: 'capped-cpu ncpus', configured: l.cpuQuota.quotaUs / l.cpuQuota.periodUs, kernel: stats.cpuCap });
  }
  return out;
}

export const inForce = (c: ControlInForce): boolean => c.kernel !== undefined && Math.abs(c.kernel - c.configured) <= 1e-9 * Math.max(1, c.configured);

export function controlText(c: ControlInForce): string {
  return `${c.what} ${c.configured}${inForce(c) ? '' : `, the zone's cgroup has ${c.kernel ?? 'none'}`}`;
}

/** The zone's init, whose mount table and network are the zone's; undefined when it is not running. */
export function zoneInit(host: LabHost, zone: string): number | undefined {
  const pid = host.running(zone) ? host.runtime(zone)?.initPid : undefined;
  return pid && pid > 0 ? pid : undefined;
}

/** What is mounted on `dir` in the running zone (the topmost mount), or undefined. */
export function zoneMount(host: LabHost, zone: string, dir: string): MountEntry | undefined {
  const pid = zoneInit(host, zone);
  return pid === undefined ? undefined : processMounts(pid).filter((m) => m.mountPoint === dir).pop();
}

/** A tmpfs's size from its superblock options (`size=20480k`), in bytes. */
export function tmpfsSizeBytes(m: MountEntry | undefined): number | undefined {
  const opt = m?.fsType === 'tmpfs' ? m.superOptions.find((o) => o.startsWith('size=')) : undefined;
  const v = opt ? /^size=(\d+)([kmg]?)$/.exec(opt) : null;
  if (!v) return undefined;
  return Number(v[1]) * { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[v[2] as '' | 'k' | 'm' | 'g'];
}

/** The zone a student works on: the one with most of the lab's parts configured (`parts`), a running one first. */
export function zoneWithMost(host: LabHost, parts: (zone: string) => number): string | undefined {
  const ranked = host.zoneNames().map((z) => ({ z, s: parts(z) * 2 + Number(host.running(z)) }));
  ranked.sort((a, b) => b.s - a.s);
  return ranked[0] && ranked[0].s > 1 ? ranked[0].z : undefined;
}

export const mib = (bytes: number): string => `${Math.round((bytes / 2 ** 20) * 10) / 10} MiB`;
