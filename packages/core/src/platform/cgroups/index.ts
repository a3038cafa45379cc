/**
 * A zone's cgroup, the same interface on cgroup v1 (one hierarchy per controller, as on this
 * hybrid host) and v2 (the unified hierarchy most hosts run). Callers never ask which is in use.
 *
 * Two levels per hierarchy (docs/security.md, "Resource controls"):
 *   <parent>/<zone>            the zone's limits and device policy; written by the host only
 *   <parent>/<zone>/payload    the zone's processes and the root of its cgroup namespace, owned by
 *                              the zone's root, which may make cgroups below it (systemd does)
 * A limit the zone writes in its payload can never lift the one above it.
 */
import { chownSync, existsSync, mkdirSync, readdirSync, rmdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { formatCpuList, parseCpuList, readPids, readValue, sleep, writeValue } from './common.js';
import { MAX_V2_WEIGHT, type CgroupLimits } from './limits.js';
import type { V1Controller } from './v1/controller.js';
import { pids } from './v1/pids.js';
import { memory, NO_SWAP_ACCOUNTING_V1 } from './v1/memory.js';
import { cpu } from './v1/cpu.js';
import { cpuset } from './v1/cpuset.js';
import { devices } from './v1/devices.js';
import { freezer, setFrozen } from './v1/freezer.js';
import { cpuacct } from './v1/cpuacct.js';
import { NO_SWAP_ACCOUNTING_V2, V2_CONTROLLERS, V2_SETTERS, V2_STATS } from './v2/resources.js';
import type { CgroupStats, StatWant } from './stats.js';

export type { CgroupLimits, DedicatedCpuRequest, DeviceRule, IpcLimits, Limit } from './limits.js';
export { configLimitWarnings, deviceRuleText, limitsFromConfig } from './limits.js';
export { formatCpuList, parseCpuList } from './common.js';
export type { CgroupStats, StatGroup } from './stats.js';

/** Host ids of the zone's root (its user namespace's uid 0 and gid 0). */
export interface CgroupOwner {
  uid: number;
  gid: number;
}

export interface ZoneCgroup {
  readonly version: 1 | 2;
  /** The zone's own directories (one per v1 hierarchy, one on v2): its limits, host-owned. */
  readonly paths: readonly string[];
  /** `<path>/payload` of each: where the zone's processes run; the root of its cgroup namespace. */
  readonly payloadPaths: readonly string[];
  /**
   * How the device policy is enforced: by the v1 devices controller (written by create), or by a
   * device BPF program that the supervisor attaches to `paths[0]` (v2 has no devices files).
   */
  readonly devicePolicy: 'files' | 'bpf';
  /** What this host lacks to contain a zone (hierarchies or controllers); empty when all is there. */
  missing(): string[];
  /**
   * Makes both levels: the zone's with its limits and device policy, then the payload, handed to
   * `owner` when given. Returns warnings for limits this host cannot enforce.
   */
  create(limits?: CgroupLimits, owner?: CgroupOwner): string[];
  exists(): boolean;
  /** True when any of its directories is there (what a crash may leave). */
  anyExists(): boolean;
  /** (Re)writes the resource limits of the zone's level; returns warnings as create does. */
  apply(limits: CgroupLimits): string[];
  /** The zone's use and caps as the kernel has them now (zonestat), of the groups in `want` (default all); {} when its cgroup is gone. */
  stats(want?: StatWant): CgroupStats;
  /** What of `limits` this host cannot enforce (no swap accounting, a hierarchy missing, a value it saturates), without writing anything. */
  unenforced(limits: CgroupLimits): string[];
  /** The CPUs the zone may run on now (cpuset list syntax); undefined without a cpuset. */
  cpus(): string | undefined;
  /**
   * Moves the zone onto these CPUs, the cgroups below it included (v1 only: a v2 child's
   * effective set follows its parent's). Used by runtime/cpu-pool.ts for dedicated-cpu.
   */
  setCpus(cpus: string): void;
  /** Moves a process (and its future children) into the zone's payload. */
  join(pid: number): void;
  /** Every process of the zone, in the payload or any cgroup below it. */
  pids(): number[];
  /** Kills every process of the zone, forks in flight included; resolves once none is left. */
  killAll(timeoutMs?: number): Promise<void>;
  /** Removes the (empty) cgroup directories, the payload and anything the zone made below it. */
  destroy(): void;
  /** Removes a parent other than the default `zones` (a test root's) once no zone is left in it. */
  removeEmptyParent(): void;
  /** The parents removeEmptyParent would remove (for the supervisor, which removes them too when its zone halts by itself). */
  removableParents(): string[];
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
/** The delegated child of a zone's cgroup. */
export const PAYLOAD = 'payload';

/**
 * Cgroups a zone may create below its payload (v2 `cgroup.max.descendants`, host-owned): each one
 * pins kernel memory and a memory-cgroup id (65535 on the whole host). systemd makes a few dozen.
 */
export const ZONE_MAX_DESCENDANTS = 1024;

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

const V1_CONTROLLERS: readonly V1Controller[] = [pids, memory, cpu, cpuset, devices, freezer, cpuacct];

/**
 * v1 hierarchies without which a zone is not contained: its processes (pids, freezer for halt),
 * its memory and its devices. cpu and cpuset only matter when a limit asks for them.
 */
const V1_REQUIRED = ['devices', 'freezer', 'memory', 'pids'];
/** v2 controllers a zone needs (the device policy is a BPF program, not a controller). */
const V2_REQUIRED = ['memory', 'pids'];

/**
 * Every v1 hierarchy mounted on this host, the ones that enforce limits and the rest (cpuacct,
 * blkio, the named `systemd` one...). The zone gets its own directory in each: its cgroup
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

/** Hands a payload cgroup to the zone's root: the directory and the files delegation needs (those that exist). */
function delegate(dir: string, files: readonly string[], owner: CgroupOwner): void {
  chownSync(dir, owner.uid, owner.gid);
  for (const f of files) {
    try {
      chownSync(join(dir, f), owner.uid, owner.gid);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
}

/** The files of a v2 cgroup a delegatee may write, as the kernel lists them (cgroup-v2 "Delegation"). */
function v2DelegateFiles(): string[] {
  const listed = readValue('/sys/kernel/cgroup', 'delegate');
  return listed ? listed.split('\n').filter(Boolean) : ['cgroup.procs', 'cgroup.threads', 'cgroup.subtree_control'];
}

/**
 * The zone's stats from each v1 hierarchy: a hierarchy mounted for several controllers
 * (`cpu,cpuacct`) reads each one's files.
 */
function statsV1(controllers: readonly V1Controller[], paths: readonly string[], want: StatWant): CgroupStats {
  const out: CgroupStats = {};
  controllers.forEach((c, i) => {
    for (const name of c.name.split(',')) {
      const stat = V1_CONTROLLERS.find((k) => k.name === name)?.stat;
      if (stat) for (const [k, v] of Object.entries(stat(paths[i]!, want))) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
    }
  });
  return out;
}

abstract class BaseCgroup {
  abstract readonly paths: readonly string[];
  /** The directory whose cgroup.procs lists every task of the zone. */
  protected abstract get procsDir(): string;
  protected abstract freeze(frozen: boolean): void;

  get payloadPaths(): readonly string[] {
    return this.paths.map((p) => join(p, PAYLOAD));
  }

  exists(): boolean {
    return this.paths.every((p) => existsSync(p));
  }

  anyExists(): boolean {
    return this.paths.some((p) => existsSync(p));
  }

  pids(): number[] {
    const all = new Set<number>();
    for (const p of this.paths) for (const dir of subtree(p)) for (const pid of readPids(dir)) all.add(pid);
    return [...all];
  }

  async killAll(timeoutMs = 5000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.anyExists()) {
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

  removableParents(): string[] {
    return this.paths.map((p) => dirname(p)).filter((parent) => basename(parent) !== DEFAULT_PARENT);
  }

  removeEmptyParent(): void {
    for (const parent of this.removableParents()) {
      try {
        rmdirSync(parent);
      } catch {
        // other zones still there
      }
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
  readonly devicePolicy = 'files' as const;
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

  missing(): string[] {
    const have = new Set(this.controllers.map((c) => c.name));
    return V1_REQUIRED.filter((n) => !have.has(n)).map((n) => `the ${n} hierarchy (${join(this.root, n)})`);
  }

  create(limits: CgroupLimits = {}, owner?: CgroupOwner): string[] {
    this.controllers.forEach((c, i) => {
      const dir = this.paths[i]!;
      const parentDir = dirname(dir);
      mkdirSync(dir, { recursive: true });
      // The intermediate `zones` cpuset needs cpus/mems too before its children can be used.
      c.init?.(parentDir, dirname(parentDir));
      c.init?.(dir, parentDir, limits);
    });
    const warnings = this.apply(limits);
    this.controllers.forEach((c, i) => {
      const payload = this.payloadPaths[i]!;
      mkdirSync(payload);
      // cpuset's clone_children has given the payload the zone's cpus and mems already.
      if (c !== cpuset) c.init?.(payload, this.paths[i]!);
      if (owner) delegate(payload, ['cgroup.procs', 'tasks'], owner);
    });
    return warnings;
  }

  apply(limits: CgroupLimits): string[] {
    const warnings = this.controllers.flatMap((c, i) => c.apply(this.paths[i]!, limits));
    if (limits.cpus !== undefined) this.setCpus(limits.cpus);
    return warnings;
  }

  unenforced(limits: CgroupLimits): string[] {
    const have = new Set(this.controllers.map((c) => c.name));
    const out: string[] = [];
    const need = (ctrl: string, what: string) => {
      if (!have.has(ctrl)) out.push(`${what} not enforced: this host has no ${ctrl} hierarchy (${join(this.root, ctrl)}).`);
    };
    if (limits.cpuQuota !== undefined) need('cpu', 'capped-cpu');
    if (limits.cpuShares !== undefined) need('cpu', 'cpu-shares');
    if (limits.dedicatedCpu !== undefined || limits.cpus !== undefined) need('cpuset', 'dedicated-cpu');
    if (typeof limits.memoryAndSwapBytes === 'number' && have.has('memory') && !existsSync(join(this.root, 'memory', 'memory.memsw.limit_in_bytes'))) {
      out.push(NO_SWAP_ACCOUNTING_V1);
    }
    return out;
  }

  private get cpusetDir(): string | undefined {
    const i = this.controllers.indexOf(cpuset);
    return i >= 0 ? this.paths[i] : undefined;
  }

  cpus(): string | undefined {
    const dir = this.cpusetDir;
    return dir ? readValue(dir, 'cpuset.cpus') : undefined;
  }

  /**
   * v1 refuses a cpuset holding a CPU its parent lacks, so: first every cgroup of the zone that
   * followed the zone's set grows to old + new (top down), then each shrinks to its part of the new
   * set (deepest first). A cgroup the zone's root narrowed itself keeps what it chose of the new set.
   */
  setCpus(cpus: string): void {
    const dir = this.cpusetDir;
    if (!dir || !existsSync(dir)) return;
    const old = parseCpuList(readValue(dir, 'cpuset.cpus'));
    const next = parseCpuList(cpus);
    const oldText = formatCpuList(old);
    const union = formatCpuList([...old, ...next]);
    const deepestFirst = subtree(dir);
    const followers = new Set(deepestFirst.filter((d) => d === dir || readValue(d, 'cpuset.cpus') === oldText));
    for (const d of [...deepestFirst].reverse()) if (followers.has(d)) writeValue(d, 'cpuset.cpus', union);
    for (const d of deepestFirst) {
      const own = parseCpuList(readValue(d, 'cpuset.cpus'));
      const kept = own.filter((c) => next.includes(c));
      writeValue(d, 'cpuset.cpus', followers.has(d) || kept.length === 0 ? formatCpuList(next) : formatCpuList(kept));
    }
  }

  join(pid: number): void {
    for (const p of this.payloadPaths) writeValue(p, 'cgroup.procs', pid);
  }

  stats(want?: StatWant): CgroupStats {
    return statsV1(this.controllers, this.paths, want);
  }

  protected freeze(frozen: boolean): void {
    const i = this.controllers.indexOf(freezer);
    if (i >= 0 && existsSync(this.paths[i]!)) setFrozen(this.paths[i]!, frozen);
  }
}

class V2Cgroup extends BaseCgroup implements ZoneCgroup {
  readonly version = 2 as const;
  readonly devicePolicy = 'bpf' as const;
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

  private available(): string[] {
    return (readValue(this.root, 'cgroup.controllers') ?? '').split(/\s+/).filter(Boolean);
  }

  missing(): string[] {
    if (!existsSync(join(this.root, 'cgroup.controllers'))) return [`a cgroup2 hierarchy at ${this.root}`];
    const have = this.available();
    return V2_REQUIRED.filter((c) => !have.includes(c)).map((c) => `the ${c} controller (${join(this.root, 'cgroup.controllers')})`);
  }

  create(limits: CgroupLimits = {}, owner?: CgroupOwner): string[] {
    const zoneDir = this.paths[0]!;
    mkdirSync(zoneDir, { recursive: true });
    writeValue(zoneDir, 'cgroup.max.descendants', ZONE_MAX_DESCENDANTS + 1); // the payload is one
    // Controllers must be enabled on every level above the payload for its files to appear.
    const available = this.available();
    const wanted = V2_CONTROLLERS.filter((c) => available.includes(c));
    for (const dir of [this.root, join(this.root, this.parent), zoneDir]) {
      const enabled = (readValue(dir, 'cgroup.subtree_control') ?? '').split(/\s+/);
      const missing = wanted.filter((c) => !enabled.includes(c));
      if (missing.length > 0) writeValue(dir, 'cgroup.subtree_control', missing.map((c) => `+${c}`).join(' '));
    }
    const warnings = this.apply(limits);
    const payload = this.payloadPaths[0]!;
    mkdirSync(payload, { recursive: true });
    if (owner) delegate(payload, v2DelegateFiles(), owner);
    return warnings;
  }

  apply(limits: CgroupLimits): string[] {
    return V2_SETTERS.flatMap((set) => set(this.paths[0]!, limits));
  }

  unenforced(limits: CgroupLimits): string[] {
    const have = this.available();
    const out: string[] = [];
    const need = (ctrl: string, what: string) => {
      if (!have.includes(ctrl)) out.push(`${what} not enforced: this host's cgroup2 has no ${ctrl} controller.`);
    };
    if (limits.cpuQuota !== undefined) need('cpu', 'capped-cpu');
    if (limits.cpuShares !== undefined) need('cpu', 'cpu-shares');
    if (typeof limits.cpuShares === 'number' && limits.cpuShares > MAX_V2_WEIGHT) {
      out.push(`cpu-shares ${limits.cpuShares} saturates cgroup v2's cpu.weight: ${MAX_V2_WEIGHT} is enforced.`);
    }
    if (limits.dedicatedCpu !== undefined || limits.cpus !== undefined) need('cpuset', 'dedicated-cpu');
    const parentDir = join(this.root, this.parent);
    if (typeof limits.memoryAndSwapBytes === 'number' && existsSync(join(parentDir, 'memory.max')) && !existsSync(join(parentDir, 'memory.swap.max'))) {
      out.push(NO_SWAP_ACCOUNTING_V2);
    }
    return out;
  }

  cpus(): string | undefined {
    return readValue(this.paths[0]!, 'cpuset.cpus');
  }

  setCpus(cpus: string): void {
    if (existsSync(this.paths[0]!)) writeValue(this.paths[0]!, 'cpuset.cpus', cpus);
  }

  join(pid: number): void {
    writeValue(this.payloadPaths[0]!, 'cgroup.procs', pid);
  }

  stats(want?: StatWant): CgroupStats {
    return Object.assign({}, ...V2_STATS.map((stat) => stat(this.paths[0]!, want))) as CgroupStats;
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

/** The CPUs zones may be given: the root cpuset's (v1 cpuset.cpus, v2 cpuset.cpus.effective), else the online ones. */
export function hostCpus(opts: CgroupOptions = {}): number[] {
  const root = opts.root ?? DEFAULT_ROOT;
  const version = opts.version ?? detectCgroupVersion(root);
  const text = version === 2 ? readValue(root, 'cpuset.cpus.effective') : readValue(join(root, 'cpuset'), 'cpuset.cpus');
  const list = parseCpuList(text);
  return list.length > 0 ? list : parseCpuList(readValue('/sys/devices/system/cpu', 'online'));
}

/** The zones that have a cgroup under the parent (their cpuset's, on v1): running, or left by a crash. */
export function zoneCgroupNames(opts: CgroupOptions = {}): string[] {
  const root = opts.root ?? DEFAULT_ROOT;
  const version = opts.version ?? detectCgroupVersion(root);
  const dir = version === 2 ? join(root, opts.parent ?? DEFAULT_PARENT) : join(root, 'cpuset', opts.parent ?? DEFAULT_PARENT);
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
}
