/**
 * The runtime state of a zone: what the supervisor keeps in `$ZONES_ROOT/var/run/zones/<name>/`,
 * checked against the live system. The truth is the zone's cgroup and its processes: its init is
 * the member of the cgroup that is PID 1 of a pid namespace, its supervisor that init's parent
 * (when it is the zoneadmd serving this run directory), its zone id the `.zoneid.N` reservation
 * naming it. The run files are a cache of those facts: a pid in them counts only if it passes the
 * same checks, and a run directory removed or damaged under a live zone is rebuilt from them
 * (docs/architecture.md, "Running, halting, crashes"). A directory left behind by a crash, with
 * nothing alive, reads as "not running" and is removed on the way.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runDir, zonesRoot } from '../store/paths.js';
import { zoneCgroup, type CgroupOptions, type ZoneCgroup } from '../platform/cgroups/index.js';
import { zoneOfCgroupPath } from '../platform/cgroups/common.js';
import { isNamespaceInit, isSupervisor, processCgroupPaths, processCmdline, processNamespace, processStatus } from '../platform/proc.js';
import { zoneCgroupParent } from './cgroup-parent.js';
import { RUN_FILES, ZONEID_RESERVATION } from './run-files.js';

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
  /** Its zone id (>= 1; the global zone is 0); 0 only while shutting down with its reservation gone. */
  zoneid: number;
  /** Host pid of the zone's init (in ready state: the process holding the namespaces); 0 when it is gone (shutting down). */
  initPid: number;
  /** 0 when no live supervisor serves the zone. */
  supervisorPid: number;
  /** False when the supervisor died and left the zone running (halt still works, console does not). */
  supervisorAlive: boolean;
  runDir: string;
  socket: string;
}

/**
 * The mode of a run directory and of the run files anyone may read: `zoneadm list` run by any user
 * shows the zones' states from them. The directory cannot be listed by others, and the files that
 * are the zone's to keep (the console socket, the seccomp filter) are the supervisor's, mode 0600.
 */
export const RUN_DIR_MODE = 0o711;
export const RUN_FILE_MODE = 0o644;

/**
 * The cgroup options of a zone under a ZONES_ROOT. The real root (`/`) uses `<controller>/zones/<name>`;
 * any other root gets its own parent (`zones.<hash of the root>`), so that test roots, or two
 * installations on one host, never share a zone's cgroup.
 */
export function zoneCgroupOptions(opts: RuntimeOptions = {}): CgroupOptions {
  if (opts.cgroup) return opts.cgroup;
  const root = resolve(opts.root ?? zonesRoot());
  return root === '/' ? {} : { parent: zoneCgroupParent(root) };
}

export function zoneCgroupFor(name: string, opts: RuntimeOptions = {}): ZoneCgroup {
  return zoneCgroup(name, zoneCgroupOptions(opts));
}

/** Zone ids are small numbers; a run file claiming more is garbage. */
const MAX_ZONEID = 1_000_000;

function readNumber(dir: string, file: string): number | undefined {
  const t = readText(dir, file);
  if (t === undefined || !/^\d{1,10}$/.test(t)) return undefined;
  const n = Number(t);
  return n > 0 ? n : undefined;
}

function readText(dir: string, file: string): string | undefined {
  try {
    return readFileSync(join(dir, file), 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** A run file written whole (temporary name, then rename), readable by anyone. */
function writeRunFile(dir: string, file: string, value: string): void {
  const tmp = join(dir, `.${file}.tmp`);
  writeFileSync(tmp, `${value}\n`, { mode: RUN_FILE_MODE });
  renameSync(tmp, join(dir, file));
}

/** What the system says of a zone: undefined when nothing of it is alive (or a boot holds its run directory). */
interface Observed {
  initPid: number | undefined;
  supervisorPid: number | undefined;
  state: RuntimeState;
  zoneid: number | undefined;
  /** The run files disagree with it (or are gone). */
  damaged: boolean;
}

/**
 * True if `pid` is the zone's init: PID 1 of a pid namespace one level below the host's and a
 * member of the zone's cgroup. Only when that cgroup is gone altogether (removed by hand once the
 * admin moved the zone's processes out) does the pid namespace the supervisor recorded stand in for
 * it, and then only for a process that is in no zone's cgroup: a pid file naming a host process
 * or another zone's init never makes it pass.
 */
export function isZoneInit(pid: number, name: string, given: RuntimeOptions = {}): boolean {
  if (!isNamespaceInit(pid)) return false;
  const opts = { ...given, root: resolve(given.root ?? zonesRoot()) };
  const paths = processCgroupPaths(pid) ?? [];
  if (zoneCgroupFor(name, opts).anyExists()) {
    const own = `/${zoneCgroupOptions(opts).parent ?? 'zones'}/${name}`;
    return paths.some((p) => p === own || p.startsWith(`${own}/`));
  }
  const ns = readText(runDir(name, opts.root), RUN_FILES.pidns);
  if (!ns || processNamespace(pid, 'pid') !== ns) return false;
  return !paths.some((p) => zoneOfCgroupPath(p) !== undefined);
}

/** The zone's init found from its cgroup: its one member that is PID 1 of a pid namespace. */
function initFromCgroup(cg: ZoneCgroup): number | undefined {
  if (!cg.anyExists()) return undefined;
  return cg.pids().find(isNamespaceInit);
}

function observe(name: string, opts: RuntimeOptions & { root: string }): Observed | undefined {
  const dir = runDir(name, opts.root);
  const hasDir = existsSync(dir);
  const recordedSupervisor = hasDir ? readNumber(dir, RUN_FILES.supervisorPid) : undefined;
  // A boot that has not heard from its supervisor yet: not in the kernel, and not stale either.
  if (hasDir && recordedSupervisor === undefined && bootInProgress(dir)) return undefined;
  const cg = zoneCgroupFor(name, opts);
  const recordedInit = hasDir ? readNumber(dir, RUN_FILES.initPid) : undefined;
  let initPid = recordedInit !== undefined && isZoneInit(recordedInit, name, opts) ? recordedInit : undefined;
  initPid ??= initFromCgroup(cg);
  let supervisorPid = isSupervisor(recordedSupervisor, dir) ? recordedSupervisor : undefined;
  if (supervisorPid === undefined && initPid !== undefined) {
    const parent = processStatus(initPid)?.ppid;
    if (isSupervisor(parent, dir)) supervisorPid = parent;
  }
  if (initPid === undefined && supervisorPid === undefined) return undefined;
  const recordedState = hasDir ? readText(dir, RUN_FILES.state) : undefined;
  let state: RuntimeState;
  if (initPid === undefined) state = 'shutting_down';
  else if (recordedState === 'running' || recordedState === 'ready') state = recordedState;
  // The ready holder is the supervisor's own clone, not yet an exec'd init: it has its command line.
  else state = (processCmdline(initPid) ?? []).includes('--rundir') ? 'ready' : 'running';
  const recordedId = hasDir ? readNumber(dir, RUN_FILES.zoneid) : undefined;
  // Its reservation says; the run file is believed when the reservation it names agrees.
  const zoneid =
    recordedId !== undefined && recordedId <= MAX_ZONEID && readText(runDir(undefined, opts.root), `.zoneid.${recordedId}`) === name
      ? recordedId
      : zoneidsOf(name, opts.root)[0];
  const damaged =
    !hasDir ||
    recordedInit !== initPid ||
    recordedSupervisor !== supervisorPid ||
    recordedState !== (state === 'shutting_down' ? recordedState : state) ||
    recordedId !== zoneid ||
    zoneid === undefined;
  return { initPid, supervisorPid, state, zoneid, damaged };
}

/**
 * The zone's runtime state, or undefined when it is not in the kernel. Stale state is cleaned; run
 * files that disagree with the live zone (removed, truncated, garbage) are written again from it,
 * a lost zone id reserved again, when the caller is root.
 */
export function zoneRuntimeInfo(name: string, given: RuntimeOptions = {}): ZoneRuntimeInfo | undefined {
  const opts = { ...given, root: resolve(given.root ?? zonesRoot()) };
  const dir = runDir(name, opts.root);
  const seen = observe(name, opts);
  if (!seen) {
    if (existsSync(dir) && !bootInProgress(dir)) cleanStaleRuntime(name, opts);
    return undefined;
  }
  let zoneid = seen.zoneid;
  // Not while shutting down: the supervisor is removing those files itself.
  if (seen.damaged && seen.state !== 'shutting_down' && process.geteuid?.() === 0) zoneid = repair(name, opts.root, seen);
  return {
    state: seen.state,
    zoneid: zoneid ?? 0,
    initPid: seen.initPid ?? 0,
    supervisorPid: seen.supervisorPid ?? 0,
    supervisorAlive: seen.supervisorPid !== undefined,
    runDir: dir,
    socket: join(dir, RUN_FILES.socket),
  };
}

/** Writes the run files of a live zone again from what was observed; returns its zone id. */
function repair(name: string, root: string, seen: Observed): number {
  const dir = runDir(name, root);
  const zoneid = seen.zoneid ?? allocateZoneid(name, root);
  for (const n of zoneidsOf(name, root)) if (n !== zoneid) releaseZoneid(name, n, root);
  mkdirSync(dir, { recursive: true, mode: RUN_DIR_MODE });
  chmodSync(dir, RUN_DIR_MODE);
  writeRunFile(dir, RUN_FILES.zoneid, String(zoneid));
  if (seen.supervisorPid !== undefined) {
    writeRunFile(dir, RUN_FILES.supervisorPid, String(seen.supervisorPid));
    // The mask zlogin cuts to is on the supervisor's command line. The seccomp filter is not: a
    // zlogin without it refuses (zenter), until the zone's next boot.
    const argv = processCmdline(seen.supervisorPid) ?? [];
    const caps = argv[argv.indexOf('--caps') + 1];
    if (argv.includes('--caps') && caps && /^[0-9a-f]{1,16}$/.test(caps)) writeRunFile(dir, RUN_FILES.caps, caps);
  } else rmSync(join(dir, RUN_FILES.supervisorPid), { force: true });
  if (seen.initPid !== undefined) {
    writeRunFile(dir, RUN_FILES.initPid, String(seen.initPid));
    const ns = processNamespace(seen.initPid, 'pid');
    if (ns) writeRunFile(dir, RUN_FILES.pidns, ns);
  }
  writeRunFile(dir, RUN_FILES.state, seen.state);
  return zoneid;
}

/** running / ready / shutting_down, or undefined when the zone is not in the kernel. */
export function zoneRuntimeState(name: string, opts: RuntimeOptions = {}): RuntimeState | undefined {
  return zoneRuntimeInfo(name, opts)?.state;
}

/** True while a boot holds the zone's run directory (before its supervisor has answered). */
export function zoneBooting(name: string, root: string = zonesRoot()): boolean {
  return bootInProgress(runDir(name, root));
}

/** Longer than any boot waits for its supervisor (runtime/supervisor.ts startSupervisor: 60 s). */
const BOOT_HOLD_MAX_MS = 90_000;

/**
 * A boot holds `.booting` (its pid) in the run directory until the supervisor answered; one whose
 * pid is gone, or older than any boot takes (a reused pid), holds nothing.
 */
function bootInProgress(dir: string): boolean {
  const pid = readNumber(dir, RUN_FILES.booting);
  if (pid === undefined || processStatus(pid) === undefined) return false;
  try {
    return Date.now() - statSync(join(dir, RUN_FILES.booting)).mtimeMs < BOOT_HOLD_MAX_MS;
  } catch {
    return false;
  }
}

/**
 * Removes what a zone no longer in the kernel left: its run directory, every zone id reserved in
 * its name, its cgroup when empty and a test root's empty cgroup parent. The network is undone by
 * the caller (runtime/zone-network.ts releaseZoneNetwork: it runs `ip`).
 */
export function cleanStaleRuntime(name: string, opts: RuntimeOptions = {}): void {
  const root = resolve(opts.root ?? zonesRoot());
  const cg = zoneCgroupFor(name, opts);
  if (cg.anyExists() && cg.pids().length === 0) {
    try {
      cg.destroy();
    } catch {
      // busy: left for halt
    }
  }
  cg.removeEmptyParent();
  rmSync(runDir(name, root), { recursive: true, force: true });
  for (const n of zoneidsOf(name, root)) releaseZoneid(name, n, root);
}

// ---- zone ids: small numbers, one per zone in the kernel, global = 0 ----


/** The reservation of zone id `n`: `var/run/zones/.zoneid.N`, holding the zone's name. */
export function zoneidPath(n: number, root: string = zonesRoot()): string {
  return join(runDir(undefined, root), `.zoneid.${n}`);
}

/** The zone ids reserved in `name`'s name, lowest first (one, unless a crash left more). */
export function zoneidsOf(name: string, root: string = zonesRoot()): number[] {
  const base = runDir(undefined, root);
  let files: string[];
  try {
    files = readdirSync(base);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const f of files) {
    const m = ZONEID_RESERVATION.exec(f);
    if (m && Number(m[1]) <= MAX_ZONEID && readText(base, f) === name) out.push(Number(m[1]));
  }
  return out.sort((a, b) => a - b);
}

/**
 * Reserves the lowest free zone id for `name` (creating `.zoneid.N` exclusively). A reservation
 * whose zone is not in the kernel any more (nothing of it alive, no boot holding its run directory)
 * is stale and is taken over; one whose zone still runs is never taken, whatever its run files say.
 */
export function allocateZoneid(name: string, root: string = zonesRoot()): number {
  for (let n = 1; n <= MAX_ZONEID; n++) {
    const path = zoneidPath(n, root);
    try {
      writeFileSync(path, `${name}\n`, { flag: 'wx', mode: RUN_FILE_MODE });
      return n;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = readText(runDir(undefined, root), `.zoneid.${n}`);
    if (owner === undefined) {
      n--; // released meanwhile: try the same number again
      continue;
    }
    // Its zone is in the kernel while its run directory is there (the supervisor removes it last)
    // or, that directory removed under it, while its cgroup holds processes.
    const stale =
      owner === name || // a leftover of an earlier boot of this zone, which is not in the kernel
      owner === '' ||
      owner.includes('/') ||
      (!existsSync(runDir(owner, root)) && !hasProcesses(zoneCgroupFor(owner, { root })));
    if (stale) {
      try {
        unlinkSync(path);
        n--; // and take it
      } catch {
        // another allocator took it over first
      }
    }
  }
  throw new Error('no free zone id');
}

function hasProcesses(cg: ZoneCgroup): boolean {
  return cg.anyExists() && cg.pids().length > 0;
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
