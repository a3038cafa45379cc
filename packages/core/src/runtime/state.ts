/**
 * The runtime state of a zone: what the supervisor keeps in `$ZONES_ROOT/var/run/zones/<name>/`,
 * checked against the live system. Nothing here is trusted blindly: a pid counts only if the
 * process is alive and is what it claims to be (the supervisor's command line names this run
 * directory; the init is a member of the zone's cgroup). A directory left behind by a crash, with
 * nothing alive, reads as "not running" and is removed on the way.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runDir, zonesRoot } from '../store/paths.js';
import { zoneCgroup, type CgroupOptions, type ZoneCgroup } from '../platform/cgroups/index.js';
import { isSupervisor, processAlive, processNamespace } from '../platform/proc.js';
import { RUN_FILES } from './run-files.js';

/** The files of a zone's run directory: one table, shared with zoneadm list and the supervisor. */
export { RUN_FILES };

export type RuntimeState = 'ready' | 'running' | 'shutting_down';

export interface RuntimeOptions {
  /** ZONES_ROOT (default: $ZONES_ROOT or /). */
  root?: string;
  /** Where the zone cgroups live (tests); see {@link zoneCgroupOptions}. */
  cgroup?: CgroupOptions;
}

export interface ZoneRuntimeInfo {
  state: RuntimeState;
  zoneid: number;
  /** Host pid of the zone's init (in ready state: the process holding the namespaces). */
  initPid: number;
  supervisorPid: number;
  /** False when the supervisor died and left the zone running (halt still works, console does not). */
  supervisorAlive: boolean;
  runDir: string;
  socket: string;
}

/**
 * The cgroup options of a zone under a ZONES_ROOT. The real root (`/`) uses `<controller>/zones/<name>`;
 * any other root gets its own parent (`zones.<hash of the root>`), so that test roots, or two
 * installations on one host, never share a zone's cgroup.
 */
export function zoneCgroupOptions(opts: RuntimeOptions = {}): CgroupOptions {
  if (opts.cgroup) return opts.cgroup;
  const root = resolve(opts.root ?? zonesRoot());
  if (root === '/') return {};
  return { parent: `zones.${createHash('sha256').update(root).digest('hex').slice(0, 10)}` };
}

export function zoneCgroupFor(name: string, opts: RuntimeOptions = {}): ZoneCgroup {
  return zoneCgroup(name, zoneCgroupOptions(opts));
}

function readNumber(dir: string, file: string): number | undefined {
  try {
    const n = Number(readFileSync(join(dir, file), 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

function readText(dir: string, file: string): string | undefined {
  try {
    return readFileSync(join(dir, file), 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** The zone's runtime state, or undefined when it is not in the kernel (stale state is cleaned). */
export function zoneRuntimeInfo(name: string, given: RuntimeOptions = {}): ZoneRuntimeInfo | undefined {
  const opts = { ...given, root: resolve(given.root ?? zonesRoot()) };
  const root = opts.root;
  const dir = runDir(name, root);
  if (!existsSync(dir)) return undefined;
  const state = readText(dir, RUN_FILES.state);
  const supervisorPid = readNumber(dir, RUN_FILES.supervisorPid);
  const initPid = readNumber(dir, RUN_FILES.initPid);
  const zoneid = readNumber(dir, RUN_FILES.zoneid);
  // A boot that has not heard from its supervisor yet: not in the kernel, and not stale either.
  if (supervisorPid === undefined && bootInProgress(dir)) return undefined;
  const supervisorAlive = isSupervisor(supervisorPid, dir);
  const initAlive = initPid !== undefined && isZoneInit(initPid, dir, () => zoneCgroupFor(name, opts));
  if (!initAlive && !supervisorAlive) {
    cleanStaleRuntime(name, opts);
    return undefined;
  }
  return {
    state: !initAlive ? 'shutting_down' : state === 'running' ? 'running' : 'ready',
    zoneid: zoneid ?? 0,
    initPid: initPid ?? 0,
    supervisorPid: supervisorPid ?? 0,
    supervisorAlive,
    runDir: dir,
    socket: join(dir, RUN_FILES.socket),
  };
}

/**
 * True if `pid` is alive and is the zone's init: PID 1 of the pid namespace its supervisor recorded
 * (which holds even when the zone's cgroup is gone), else a member of the zone's cgroup.
 */
export function isZoneInit(pid: number, dir: string, cgroup: () => ZoneCgroup): boolean {
  if (!processAlive(pid)) return false;
  const ns = readText(dir, RUN_FILES.pidns);
  if (ns) return processNamespace(pid, 'pid') === ns;
  const cg = cgroup();
  return cg.exists() && cg.pids().includes(pid);
}

/** running / ready / shutting_down, or undefined when the zone is not in the kernel. */
export function zoneRuntimeState(name: string, opts: RuntimeOptions = {}): RuntimeState | undefined {
  return zoneRuntimeInfo(name, opts)?.state;
}

/** A boot holds `.booting` (its pid) in the run directory until the supervisor answered. */
function bootInProgress(dir: string): boolean {
  const pid = readNumber(dir, RUN_FILES.booting);
  return pid !== undefined && processAlive(pid);
}

/** Removes a run directory whose processes are all gone, its zoneid, and an empty cgroup. */
export function cleanStaleRuntime(name: string, opts: RuntimeOptions = {}): void {
  const root = opts.root ?? zonesRoot();
  const dir = runDir(name, root);
  const zoneid = readNumber(dir, RUN_FILES.zoneid);
  const cg = zoneCgroupFor(name, opts);
  if (cg.exists() && cg.pids().length === 0) {
    try {
      cg.destroy();
    } catch {
      // busy: left for halt
    }
  }
  rmSync(dir, { recursive: true, force: true });
  if (zoneid !== undefined) releaseZoneid(name, zoneid, root);
}

// ---- zone ids: small numbers, one per zone in the kernel, global = 0 ----

function zoneidPath(n: number, root: string): string {
  return join(runDir(undefined, root), `.zoneid.${n}`);
}

/**
 * Reserves the lowest free zone id for `name` (creating `.zoneid.N` exclusively). A reservation
 * whose zone has no run directory any more is stale and is taken over.
 */
export function allocateZoneid(name: string, root: string = zonesRoot()): number {
  for (let n = 1; ; n++) {
    const path = zoneidPath(n, root);
    try {
      writeFileSync(path, `${name}\n`, { flag: 'wx' });
      return n;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = readText(runDir(undefined, root), `.zoneid.${n}`);
    if (owner === undefined) {
      n--; // released meanwhile: try the same number again
      continue;
    }
    // Stale: its zone is gone, holds another id, or is us (a leftover of an earlier boot).
    const ownerDir = runDir(owner, root);
    const ownerId = readNumber(ownerDir, RUN_FILES.zoneid);
    if (owner === name || !existsSync(ownerDir) || (ownerId !== undefined && ownerId !== n)) {
      try {
        unlinkSync(path);
        n--; // and take it
      } catch {
        // another allocator took it over first
      }
    }
  }
}

export function releaseZoneid(name: string, n: number, root: string = zonesRoot()): void {
  const path = zoneidPath(n, root);
  if (readText(runDir(undefined, root), `.zoneid.${n}`) === name) {
    try {
      unlinkSync(path);
    } catch {
      // already released
    }
  }
}
