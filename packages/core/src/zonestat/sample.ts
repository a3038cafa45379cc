/**
 * One zonestat sample: the kernel's counters for the host and for every running zone, read in one
 * pass of small files (no process started): the zones from their run files (zoneadm/kernel.ts,
 * as `zoneadm list` finds them), each zone's use and caps from its cgroup (platform/cgroups
 * stats()), its links' counters from /sys/class/net. Caps are read from the cgroup at each sample,
 * so a cap changed on a running zone shows in the next report. The arithmetic is in usage.ts.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { cgroupTreePids } from '../platform/cgroups/common.js';
import { zoneCgroup, type CgroupOptions, type CgroupStats, type ZoneCgroup } from '../platform/cgroups/index.js';
import { cpuTimes, hostCpus, hostMemory, hostTasks, taskLimits, type CpuTimes, type HostMemory } from '../platform/host-stats.js';
import { linkCounters, type LinkCounters } from '../platform/link-stats.js';
import { zoneCgroupParent } from '../runtime/cgroup-parent.js';
import { zoneHostLinks } from '../runtime/zone-network.js';
import { configPath } from '../store/paths.js';
import { ZoneStore } from '../store/zone-store.js';
import { readKernelZones } from '../zoneadm/kernel.js';

export interface ZoneSample {
  name: string;
  id: number;
  /** dedicated-cpu configured: the zone's cpuset is a processor set of its own */
  dedicated: boolean;
  stats: CgroupStats;
  /** processes in the zone's cgroup tree (only when asked for) */
  processes?: number;
  /** host ends of its veth pairs (exclusive-IP) */
  links: LinkCounters[];
}

export interface Sample {
  /** monotonic, ms */
  atMs: number;
  /** wall clock, ms since the epoch */
  wallMs: number;
  cpus: CpuTimes[];
  present: number[];
  online: number[];
  memory: HostMemory;
  tasks: { processes?: number; lwps: number };
  limits: { processes: number; lwps: number };
  zones: ZoneSample[];
}

export interface SamplerOptions {
  /** ZONES_ROOT */
  root: string;
  /** count the processes of each zone (the processes resource): a walk of its cgroup tree */
  processes?: boolean;
  /** test hook: where the zone cgroups are */
  cgroup?: CgroupOptions;
}

/** Reads samples; keeps what it learned of each zone's configuration until the file changes. */
export class Sampler {
  private readonly root: string;
  private readonly store: ZoneStore;
  private readonly cgroupOpts: CgroupOptions;
  private readonly configs = new Map<string, { mtimeMs: number; dedicated: boolean; exclusive: boolean }>();
  /** each zone's cgroup (finding the host's hierarchies is a readdir and a stat each) */
  private readonly cgroups = new Map<string, ZoneCgroup>();

  constructor(private readonly opts: SamplerOptions) {
    this.root = resolve(opts.root);
    this.store = new ZoneStore(this.root);
    this.cgroupOpts = opts.cgroup ?? (this.root === '/' ? {} : { parent: zoneCgroupParent(this.root) });
  }

  private config(name: string): { dedicated: boolean; exclusive: boolean } {
    let mtimeMs = NaN;
    try {
      mtimeMs = statSync(configPath(name, this.root)).mtimeMs;
    } catch {
      // no configuration file: a zone being deleted
    }
    const known = this.configs.get(name);
    if (known && known.mtimeMs === mtimeMs) return known;
    let cfg;
    try {
      cfg = this.store.load(name);
    } catch {
      cfg = undefined;
    }
    const entry = {
      mtimeMs,
      dedicated: cfg?.resources.some((r) => r.type === 'dedicated-cpu') ?? false,
      exclusive: cfg?.globals['ip-type'] === 'exclusive',
    };
    this.configs.set(name, entry);
    return entry;
  }

  sample(): Sample {
    const zones: ZoneSample[] = [];
    for (const z of readKernelZones(this.root)) {
      if (z.state !== 'running' || z.id === undefined) continue;
      const { dedicated, exclusive } = this.config(z.name);
      let cg = this.cgroups.get(z.name);
      if (!cg) this.cgroups.set(z.name, (cg = zoneCgroup(z.name, this.cgroupOpts)));
      const stats = cg.stats();
      const links = exclusive ? zoneHostLinks(z.name, this.root).flatMap((l) => linkCounters(l) ?? []) : [];
      const processes = this.opts.processes ? cgroupTreePids(this.cgroupOpts.parent ?? 'zones', z.name, this.cgroupOpts.root).length : undefined;
      zones.push({ name: z.name, id: z.id, dedicated, stats, links, ...(processes === undefined ? {} : { processes }) });
    }
    for (const name of this.cgroups.keys()) if (!zones.some((z) => z.name === name)) this.cgroups.delete(name);
    const { present, online } = hostCpus();
    return {
      atMs: performance.now(),
      wallMs: Date.now(),
      cpus: cpuTimes(),
      present,
      online,
      memory: hostMemory(),
      tasks: hostTasks(this.opts.processes ?? false),
      limits: taskLimits(),
      zones,
    };
  }
}
