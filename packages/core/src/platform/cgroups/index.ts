/**
 * A zone's cgroup, the same interface on cgroup v1 (one hierarchy per controller, as on this
 * hybrid host) and v2 (the unified hierarchy most hosts run). Callers never ask which is in use.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readPids, readValue, sleep, writeValue } from './common.js';
import type { CgroupLimits } from './limits.js';
import type { V1Controller } from './v1/controller.js';
import { pids } from './v1/pids.js';
import { memory } from './v1/memory.js';
import { cpu } from './v1/cpu.js';
import { cpuset } from './v1/cpuset.js';
import { freezer, setFrozen } from './v1/freezer.js';
import { V2_CONTROLLERS, V2_SETTERS } from './v2/resources.js';

export type { CgroupLimits, Limit } from './limits.js';
export { limitsFromConfig } from './limits.js';

export interface ZoneCgroup {
  readonly version: 1 | 2;
  /** The cgroup directories (one per controller on v1, one on v2). */
  readonly paths: readonly string[];
  create(): void;
  exists(): boolean;
  /** Writes the limits; returns warnings for limits this host cannot enforce. */
  apply(limits: CgroupLimits): string[];
  /** Moves a process (and its future children) into the zone. */
  join(pid: number): void;
  pids(): number[];
  /** Kills every process of the zone, forks in flight included; resolves once none is left. */
  killAll(timeoutMs?: number): Promise<void>;
  /** Removes the (empty) cgroup directories. */
  destroy(): void;
}

export interface CgroupOptions {
  /** Where cgroupfs is mounted; tests point it at a cgroup-like directory tree. */
  root?: string;
  /** The directory under which zone cgroups live. */
  parent?: string;
  /** Forced version (tests); detected otherwise. */
  version?: 1 | 2;
}

const DEFAULT_ROOT = '/sys/fs/cgroup';
const DEFAULT_PARENT = 'zones';

/** v2 when the root itself is the unified hierarchy, v1 when controllers are mounted beneath it. */
export function detectCgroupVersion(root = DEFAULT_ROOT): 1 | 2 {
  return existsSync(join(root, 'cgroup.controllers')) ? 2 : 1;
}

export function zoneCgroup(name: string, opts: CgroupOptions = {}): ZoneCgroup {
  const root = opts.root ?? DEFAULT_ROOT;
  const parent = opts.parent ?? DEFAULT_PARENT;
  const version = opts.version ?? detectCgroupVersion(root);
  return version === 2 ? new V2Cgroup(root, parent, name) : new V1Cgroup(root, parent, name);
}

const V1_CONTROLLERS: readonly V1Controller[] = [pids, memory, cpu, cpuset, freezer];

/**
 * Every v1 hierarchy mounted on this host, the ones that enforce limits and the rest (cpuacct,
 * blkio, devices, the named `systemd` one...). The zone gets its own directory in each: its cgroup
 * namespace is then rooted there everywhere, so a systemd inside the zone that mounts cgroupfs
 * can only create cgroups below the zone's, never in the host's hierarchies.
 */
function v1Controllers(root: string): V1Controller[] {
  let names: string[];
  try {
    names = readdirSync(root).filter((n) => n !== 'unified' && existsSync(join(root, n, 'cgroup.procs'))).sort();
  } catch {
    names = [];
  }
  return names.map((n) => V1_CONTROLLERS.find((c) => c.name === n) ?? { name: n, apply: () => [] });
}

/** A cgroup directory and every cgroup below it, deepest first. */
function subtree(dir: string): string[] {
  const out: string[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
  for (const e of entries) out.push(...subtree(join(dir, e)));
  out.push(dir);
  return out;
}

abstract class BaseCgroup {
  abstract readonly paths: readonly string[];
  /** The directory whose cgroup.procs lists every task of the zone. */
  protected abstract get procsDir(): string;
  protected abstract freeze(frozen: boolean): void;

  exists(): boolean {
    return this.paths.every((p) => existsSync(p));
  }

  /** Every process in the zone, in any cgroup below the zone's (an init such as systemd makes its own). */
  pids(): number[] {
    const all = new Set<number>();
    for (const p of this.paths) for (const dir of subtree(p)) for (const pid of readPids(dir)) all.add(pid);
    return [...all];
  }

  async killAll(timeoutMs = 5000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.exists()) {
      const tasks = this.pids();
      if (tasks.length === 0) return;
      // Frozen tasks cannot fork, so one pass over cgroup.procs catches every one of them.
      this.freeze(true);
      for (const pid of this.pids()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      this.freeze(false);
      if (Date.now() > until) throw new Error(`processes still running in ${this.procsDir}: ${this.pids().join(' ')}`);
      await sleep(10);
    }
  }

  destroy(): void {
    // Children first, then the zone's own directories (deepest first).
    for (const p of [...this.paths].reverse()) {
      for (const dir of subtree(p)) {
        try {
          rmdirSync(dir);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        }
      }
    }
  }
}

class V1Cgroup extends BaseCgroup implements ZoneCgroup {
  readonly version = 1 as const;
  readonly paths: readonly string[];
  private readonly controllers: V1Controller[];

  constructor(
    private readonly root: string,
    private readonly parent: string,
    name: string,
  ) {
    super();
    this.controllers = v1Controllers(root);
    this.paths = this.controllers.map((c) => join(root, c.name, parent, name));
  }

  protected get procsDir(): string {
    const i = this.controllers.findIndex((c) => c.name === 'freezer' || c.name === 'pids');
    return this.paths[Math.max(0, i)]!;
  }

  create(): void {
    this.controllers.forEach((c, i) => {
      const dir = this.paths[i]!;
      const parentDir = dirname(dir);
      mkdirSync(dir, { recursive: true });
      // The intermediate `zones` cpuset needs cpus/mems too before its children can be used.
      c.init?.(parentDir, dirname(parentDir));
      c.init?.(dir, parentDir);
    });
  }

  apply(limits: CgroupLimits): string[] {
    return this.controllers.flatMap((c, i) => c.apply(this.paths[i]!, limits));
  }

  join(pid: number): void {
    for (const p of this.paths) writeValue(p, 'cgroup.procs', pid);
  }

  protected freeze(frozen: boolean): void {
    const i = this.controllers.indexOf(freezer);
    if (i >= 0) setFrozen(this.paths[i]!, frozen);
  }
}

class V2Cgroup extends BaseCgroup implements ZoneCgroup {
  readonly version = 2 as const;
  readonly paths: readonly string[];

  constructor(
    private readonly root: string,
    private readonly parent: string,
    name: string,
  ) {
    super();
    this.paths = [join(root, parent, name)];
  }

  protected get procsDir(): string {
    return this.paths[0]!;
  }

  create(): void {
    const parentDir = join(this.root, this.parent);
    mkdirSync(this.paths[0]!, { recursive: true });
    // Controllers must be enabled on every level above the zone for its files to appear.
    const available = (readValue(this.root, 'cgroup.controllers') ?? '').split(/\s+/);
    const wanted = V2_CONTROLLERS.filter((c) => available.includes(c));
    for (const dir of [this.root, parentDir]) {
      const enabled = (readValue(dir, 'cgroup.subtree_control') ?? '').split(/\s+/);
      const missing = wanted.filter((c) => !enabled.includes(c));
      if (missing.length > 0) writeValue(dir, 'cgroup.subtree_control', missing.map((c) => `+${c}`).join(' '));
    }
  }

  apply(limits: CgroupLimits): string[] {
    return V2_SETTERS.flatMap((set) => set(this.paths[0]!, limits));
  }

  join(pid: number): void {
    writeValue(this.paths[0]!, 'cgroup.procs', pid);
  }

  async killAll(timeoutMs = 5000): Promise<void> {
    // cgroup.kill (Linux 5.14) kills the whole subtree atomically; older kernels take the freeze path.
    if (existsSync(join(this.paths[0]!, 'cgroup.kill')) && this.pids().length > 0) {
      writeValue(this.paths[0]!, 'cgroup.kill', 1);
    }
    return super.killAll(timeoutMs);
  }

  protected freeze(frozen: boolean): void {
    if (existsSync(join(this.paths[0]!, 'cgroup.freeze'))) writeValue(this.paths[0]!, 'cgroup.freeze', frozen ? 1 : 0);
  }
}

/** The cgroup a process is in, per hierarchy (`/proc/PID/cgroup`), for tests and diagnostics. */
export function cgroupOf(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cgroup`, 'utf8').trim().split('\n');
}
