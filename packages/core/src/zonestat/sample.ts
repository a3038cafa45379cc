/**
 * One zonestat sample: the kernel's counters for the host and for every running zone, read in one
 * pass of small files (no process started): the zones from their run files (zoneadm/kernel.ts,
 * as `zoneadm list` finds them), each zone's use and caps from its cgroup (platform/cgroups
 * stats()), its links' counters from /sys/class/net. Caps are read from the cgroup at each sample,
 * so a cap changed on a running zone shows in the next report. The arithmetic is in usage.ts.
 * Nothing here runs a process or starts a timer: a long-running zonestat is one process.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cgroupTreePids } from '../platform/cgroups/common.js';
import { keepStatFilesOpen, sweepStatFiles } from '../platform/cgroups/stats.js';
import { zoneCgroup, type CgroupOptions, type CgroupStats, type StatGroup, type ZoneCgroup } from '../platform/cgroups/index.js';
import { cpuTimes, hostCpus, hostMemory, hostTasks, taskLimits, type CpuTimes, type HostMemory } from '../platform/host-stats.js';
import { allLinkBytes, linkCounters, type LinkCounters } from '../platform/link-stats.js';
import { zoneCgroupParent } from '../runtime/cgroup-parent.js';
import { zoneHostLinks } from '../runtime/zone-network.js';
import { configPath, runDir } from '../store/paths.js';
import { RUN_FILES } from '../runtime/run-files.js';
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
  /** what to read of each zone's cgroup (platform/cgroups StatGroup); default all */
  want?: ReadonlySet<StatGroup>;
  /** count the processes of each zone (the processes resource): a walk of its cgroup tree */
  processes?: boolean;
  /** read the counters of the zones' links (default true) */
  network?: boolean;
  /** test hook: where the zone cgroups are */
  cgroup?: CgroupOptions;
}

/** The zones are found again from scratch at least this often (samples), else when the run directory changes. */
const FULL_DISCOVERY_EVERY = 60;

interface KnownZone {
  name: string;
  id: number;
  state: string;
  dedicated: boolean;
  cgroup: ZoneCgroup;
  /** its links as last read whole (name, bridge, state, speed) */
  links: LinkCounters[];
}

/**
 * Reads samples. Each sample reads, per running zone, its cgroup's counters (a few files: what
 * `want` asks for) and its links' byte counters; finding the zones (their run files and /proc)
 * and everything that does not change while a zone runs (its configuration, its cgroup's
 * directories, its links' bridges) is done again only when the run directory's entries change,
 * or every FULL_DISCOVERY_EVERY samples; the files read at every sample are kept open
 * (platform/cgroups/stats.ts keepStatFilesOpen). bench/limits.js measures the cost per sample.
 */
export class Sampler {
  private readonly root: string;
  private readonly store: ZoneStore;
  private readonly cgroupOpts: CgroupOptions;
  private known: KnownZone[] = [];
  private readonly configs = new Map<string, { mtimeMs: number; dedicated: boolean; exclusive: boolean }>();
  private entries: string | undefined;
  private sinceFull = 0;
  private host: { present: number[]; online: number[]; limits: { processes: number; lwps: number } } | undefined;

  constructor(private readonly opts: SamplerOptions) {
    this.root = resolve(opts.root);
    this.store = new ZoneStore(this.root);
    this.cgroupOpts = opts.cgroup ?? (this.root === '/' ? {} : { parent: zoneCgroupParent(this.root) });
    keepStatFilesOpen();
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
    const entry = { mtimeMs, dedicated: cfg?.resources.some((r) => r.type === 'dedicated-cpu') ?? false, exclusive: cfg?.globals['ip-type'] === 'exclusive' };
    this.configs.set(name, entry);
    return entry;
  }

  private discover(): void {
    const before = new Map(this.known.map((z) => [z.name, z]));
    this.known = [];
    for (const z of readKernelZones(this.root)) {
      if ((z.state !== 'running' && z.state !== 'ready') || z.id === undefined) continue;
      const { dedicated, exclusive } = this.config(z.name);
      const cgroup = before.get(z.name)?.cgroup ?? zoneCgroup(z.name, this.cgroupOpts);
      const links = exclusive && this.opts.network !== false ? zoneHostLinks(z.name, this.root).flatMap((l) => linkCounters(l) ?? []) : [];
      this.known.push({ name: z.name, id: z.id, state: z.state, dedicated, cgroup, links });
    }
    const { present, online } = hostCpus();
    this.host = { present, online, limits: taskLimits() };
    this.sinceFull = 0;
  }

  sample(): Sample {
    let entries = '';
    try {
      entries = readdirSync(runDir(undefined, this.root)).sort().join('/');
    } catch {
      // no run directory: no zone
    }
    if (this.host === undefined || entries !== this.entries || ++this.sinceFull >= FULL_DISCOVERY_EVERY) this.discover();
    this.entries = entries;
    const zones: ZoneSample[] = [];
    const bytes = this.known.some((z) => z.links.length > 0) ? allLinkBytes() : undefined;
    for (const z of this.known) {
      // a zone still ready at discovery: its state file says when it boots
      if (z.state === 'ready') z.state = readRunState(this.root, z.name) ?? 'ready';
      if (z.state !== 'running') continue;
      const want = z.dedicated && this.opts.want ? new Set([...this.opts.want, 'cpuset' as const]) : this.opts.want;
      const stats = z.cgroup.stats(want);
      const links = z.links.flatMap((l) => {
        const b = bytes?.get(l.name);
        return b ? [{ ...l, ...b }] : [];
      });
      const processes = this.opts.processes ? cgroupTreePids(this.cgroupOpts.parent ?? 'zones', z.name, this.cgroupOpts.root).length : undefined;
      zones.push({ name: z.name, id: z.id, dedicated: z.dedicated, stats, links, ...(processes === undefined ? {} : { processes }) });
    }
    const sample = {
      atMs: performance.now(),
      wallMs: Date.now(),
      cpus: cpuTimes(),
      present: this.host!.present,
      online: this.host!.online,
      memory: hostMemory(),
      tasks: hostTasks(this.opts.processes ?? false),
      limits: this.host!.limits,
      zones,
    };
    sweepStatFiles(); // the files of zones gone since the last sample
    return sample;
  }
}

function readRunState(root: string, name: string): string | undefined {
  try {
    return readFileSync(join(runDir(name, root), RUN_FILES.state), 'utf8').trim();
  } catch {
    return undefined;
  }
}
