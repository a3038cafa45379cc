/**
 * Zone lifecycle in the kernel: ready, boot, halt (docs/reference.md#42-subcommands-and-states and docs/reference.md#44-zone-states).
 *
 *   installed --readyZone--> ready --bootZone--> running --haltZone--> installed
 *   installed --bootZone--> running (through ready, inside one supervisor start)
 *
 * The zone's processes live in its cgroup, which Node creates (with the configured limits) before
 * the supervisor starts and removes at halt. Halting kills every process of that cgroup, so
 * nothing escapes by double-forking and a dead supervisor never leaves an unstoppable zone.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { faultPoint } from '../fault-points.js';
import { ZoneStore } from '../store/zone-store.js';
import { consoleLogPath, logDir, runDir, zonesRoot } from '../store/paths.js';
import { parseLimitpriv, type IpType } from '../model/privileges.js';
import { configLimitWarnings, limitsFromConfig, type ZoneCgroup } from '../platform/cgroups/index.js';
import { ipcSysctls } from '../platform/ipc-limits.js';
import { hostCgroupLayout } from '../platform/cgroups/mounts.js';
import { filesystemOf } from '../platform/mounts.js';
import { isSupervisor, processAlive } from '../platform/proc.js';
import { hostGroupIds, IdmapError, IdmapStore, idmapKey, type IdMap } from '../store/idmap.js';
import { zoneDevices } from './devices.js';
import { runtimeError, ZoneRuntimeError } from './errors.js';
import {
  allocateZoneid,
  cleanStaleRuntime,
  isZoneInit,
  releaseZoneid,
  RUN_DIR_MODE,
  RUN_FILE_MODE,
  RUN_FILES,
  zoneCgroupFor,
  zoneCgroupOptions,
  zoneBooting,
  zoneidPath,
  zoneRuntimeInfo,
  type RuntimeOptions,
  type RuntimeState,
} from './state.js';
import { bootRecord } from './live-plan.js';
import { bootRequest, startSupervisor, supervisorArgs } from './supervisor.js';
import { placeZoneCpus, releaseZoneCpus } from './cpu-pool.js';
import { grantableMemlock } from './memlock.js';
import { allowSharedIpPing, prepareZoneNetwork, releaseZoneNetwork } from './zone-network.js';

export interface BootOptions extends RuntimeOptions {
  /** Overrides the configured bootargs. `-i PATH` picks the init (`-i zsched`: the built-in one). */
  bootargs?: string[];
}

export interface BootResult {
  /** Small number of this zone while it is in the kernel (the global zone is 0). */
  zoneid: number;
  /** Host pid of the zone's init (PID 1 inside); in ready state, the process holding the zone. */
  initPid: number;
  supervisorPid: number;
  /** Limits the host could not enforce (missing cgroup controllers). */
  warnings: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** $ZONES_CONSOLE_LOG_MAX (bytes; 0 = never rotate), else the supervisor's default of 1 MiB. */
function consoleLogMax(): number | undefined {
  const v = process.env.ZONES_CONSOLE_LOG_MAX;
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** The configured bootargs as words (`-m verbose -i /sbin/init`). */
export function splitBootargs(s: string): string[] {
  return s.trim() === '' ? [] : s.trim().split(/\s+/);
}

function checkBootargs(name: string, args: readonly string[]): void {
  for (const a of args) if (/[\t\n\0]/.test(a)) throw runtimeError.badBootargs(name, `'${a}' contains a tab, newline or NUL`);
}

function loadInstalled(name: string, op: string, root: string) {
  if (name === 'global') throw runtimeError.global(op);
  const store = new ZoneStore(root);
  const entry = store.get(name);
  const cfg = entry ? store.load(name) : undefined;
  if (!entry || !cfg) throw runtimeError.noZone(name);
  return { entry, cfg };
}

/** Sets the zone up in the kernel; with `ready` it stops before executing init. */
async function start(name: string, given: BootOptions, ready: boolean): Promise<BootResult> {
  const opts = { ...given, root: resolve(given.root ?? zonesRoot()) };
  const root = opts.root;
  const op = ready ? 'ready' : 'boot';
  const { entry, cfg } = loadInstalled(name, op, root);
  const current = zoneRuntimeInfo(name, opts);
  if (current) {
    if (current.state === 'running') throw runtimeError.alreadyBooted(name);
    if (current.state === 'ready' && ready) throw runtimeError.alreadyReady(name);
    if (current.state === 'ready' && current.supervisorAlive) return bootReady(name, current, opts);
    throw runtimeError.busy(name);
  }
  if (entry.state !== 'installed') throw runtimeError.notInstalled(name, op);

  const ipType: IpType = cfg.globals['ip-type'] === 'exclusive' ? 'exclusive' : 'shared';
  const priv = parseLimitpriv(cfg.globals.limitpriv, ipType);
  if (!priv.ok) throw runtimeError.badLimitpriv(name, priv.errors);
  const bootargs = opts.bootargs ?? splitBootargs(cfg.globals.bootargs);
  checkBootargs(name, bootargs);
  const devices = zoneDevices(cfg, name);
  const zoneRoot = join(cfg.globals.zonepath || entry.zonepath, 'root');
  if (!existsSync(zoneRoot)) throw runtimeError.noRoot(name, zoneRoot);
  // The supervisor makes proc, sys, dev and the inherit-pkg-dirs in the root: never in a link's target.
  if (lstatSync(zoneRoot).isSymbolicLink()) throw new ZoneRuntimeError('Z_NO_ROOT', `the zone root ${zoneRoot} is a symbolic link`, name);
  // A zone outside its cgroups would be neither limited nor stoppable (`ip netns exec` hides cgroupfs).
  const cg = zoneCgroupFor(name, opts);
  const missing = cg.missing();
  if (missing.length > 0) throw runtimeError.noCgroup(name, missing);
  const idmap = zoneIdmap(name, root, entry);

  // What an earlier boot left (the zone halted by itself, its supervisor was killed...): its
  // records go first. Processes left in its cgroup without an init belong to no running zone.
  await releaseRecords(name, opts, cg);

  // The run directory is the boot's lock: mkdir is atomic, `.booting` says who holds it.
  const dir = runDir(name, root);
  mkdirSync(runDir(undefined, root), { recursive: true, mode: 0o755 });
  mkdirSync(logDir(root), { recursive: true, mode: 0o755 });
  try {
    mkdirSync(dir, { mode: RUN_DIR_MODE });
    chmodSync(dir, RUN_DIR_MODE);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    throw runtimeError.busy(name);
  }
  writeFileSync(join(dir, RUN_FILES.booting), `${process.pid}\n`, { mode: RUN_FILE_MODE });
  let zoneid: number | undefined;
  try {
    zoneid = allocateZoneid(name, root);
    writeFileSync(join(dir, RUN_FILES.zoneid), `${zoneid}\n`, { mode: RUN_FILE_MODE });
    // What `zonecfg -r` starts from: the configuration this boot runs (docs/reference.md, "Live reconfiguration").
    writeFileSync(join(dir, RUN_FILES.liveConfig), `${JSON.stringify(bootRecord(cfg))}\n`, { mode: RUN_FILE_MODE });
    faultPoint('boot:rundir');
    const files = cg.devicePolicy === 'files';
    const limits = { ...limitsFromConfig(cfg), devices: files ? devices.rules : undefined };
    const ipc = ipcSysctls(limits.ipc);
    const warnings = [...configLimitWarnings(cfg), ...cg.unenforced(limits), ...ipc.warnings];
    const memlock = limits.memlockBytes === undefined ? undefined : grantableMemlock(limits.memlockBytes);
    if (memlock?.warning) warnings.push(memlock.warning);
    // The zone's CPUs are placed under the host-wide record's lock, its cgroup made meanwhile.
    warnings.push(...placeZoneCpus(name, limits.dedicatedCpu, opts, (c) => cg.create({ ...limits, cpus: c }, { uid: idmap.uid, gid: idmap.gid })));
    faultPoint('boot:cgroup');
    if (ipType === 'shared' && priv.capabilities.includes('CAP_NET_RAW')) {
      const w = await allowSharedIpPing(idmap.gid, idmap.count, hostGroupIds());
      if (w) warnings.push(w);
    }
    const net = await prepareZoneNetwork(name, cfg, root);
    await net?.addShared(zoneid);
    // Interfaces go into the zone's network namespace while it is ready, before its init runs.
    const viaReady = !ready && net !== undefined && net.plan.exclusive.length > 0;
    const args = supervisorArgs(cfg, {
      name,
      runDir: dir,
      consoleLog: consoleLogPath(name, root),
      consoleLogMax: consoleLogMax(),
      root: zoneRoot,
      idmap,
      cgroupPaths: cg.paths,
      cgroupParents: cg.removableParents(),
      release: [zoneidPath(zoneid, root)],
      onHalt: net?.onHalt,
      payloadPaths: cg.payloadPaths,
      deviceFilter: files ? undefined : { dir: cg.paths[0]!, rules: devices.rules },
      devices: devices.nodes.map((n) => n.path),
      // The host's own hierarchies; a test's cgroup-like tree has none to show.
      cgroupfs: zoneCgroupOptions(opts).root === undefined ? hostCgroupLayout() : undefined,
      capabilities: priv.capabilities,
      sysctls: ipc.sysctls,
      memlockBytes: memlock?.bytes,
      start: ready ? 'ready' : viaReady ? 'boot-pending' : 'boot',
      bootargs,
    });
    const started = await startSupervisor(name, args).catch((e) => Promise.reject(explainIdmap(name, e)));
    await net?.setUpExclusive(started.initPid);
    if (viaReady) await requestBoot(name, join(dir, RUN_FILES.socket), bootargs);
    faultPoint('boot:started');
    rmSync(join(dir, RUN_FILES.booting), { force: true });
    return { zoneid, initPid: started.initPid, supervisorPid: started.supervisorPid, warnings: [...new Set(warnings)] };
  } catch (e) {
    await destroyZone(cg).catch(() => undefined);
    try {
      releaseZoneCpus(name, opts);
    } catch {
      // the record is recomputed from the running zones at the next boot or halt
    }
    cg.removeEmptyParent();
    await releaseZoneNetwork(name, root);
    rmSync(dir, { recursive: true, force: true });
    if (zoneid !== undefined) releaseZoneid(name, zoneid, root);
    throw e;
  }
}

/**
 * Undoes every host-side record of a zone that is not in the kernel: its run directory, the zone
 * ids reserved in its name, its cgroup (killing what a crash left in it without an init) and a test
 * root's empty cgroup parent, the addresses and veth ends of its network and the bridges its boots
 * made once no zone uses them. What the next halt, boot and uninstall (and `zonecfg delete -F`) run
 * whatever happened before: the zone halted by itself, its supervisor was killed, its run files were
 * removed or damaged. A zone still in the kernel is left alone: its state is returned.
 */
export async function releaseZoneRecords(name: string, given: RuntimeOptions = {}): Promise<RuntimeState | undefined> {
  const opts = { ...given, root: resolve(given.root ?? zonesRoot()) };
  const info = zoneRuntimeInfo(name, opts);
  if (info) return info.state;
  await releaseRecords(name, opts, zoneCgroupFor(name, opts));
  return undefined;
}

async function releaseRecords(name: string, opts: RuntimeOptions & { root: string }, cg: ZoneCgroup): Promise<void> {
  if (zoneBooting(name, opts.root)) throw runtimeError.busy(name);
  if (cg.anyExists()) await destroyZone(cg);
  releaseZoneCpus(name, opts);
  cleanStaleRuntime(name, opts);
  await releaseZoneNetwork(name, opts.root);
}

async function requestBoot(name: string, socket: string, bootargs: readonly string[]): Promise<void> {
  // Loaded here: node:net is needed only to talk to a ready zone's supervisor, not on the plain boot path.
  const { supervisorRequest } = await import('./console.js');
  const reply = await supervisorRequest(socket, bootRequest(bootargs));
  if (!reply.startsWith('OK')) throw runtimeError.bootFailed(name, reply.replace(/^ERR /, ''));
}

/** ready -> running: the supervisor hands the boot arguments to the waiting zone process. */
async function bootReady(
  name: string,
  info: NonNullable<ReturnType<typeof zoneRuntimeInfo>>,
  opts: BootOptions,
): Promise<BootResult> {
  const root = opts.root ?? zonesRoot();
  const { cfg } = loadInstalled(name, 'boot', root);
  const bootargs = opts.bootargs ?? splitBootargs(cfg.globals.bootargs);
  checkBootargs(name, bootargs);
  await requestBoot(name, info.socket, bootargs);
  return { zoneid: info.zoneid, initPid: info.initPid, supervisorPid: info.supervisorPid, warnings: [] };
}

/** `zoneadm boot`: resolves once the zone's init runs. */
export function bootZone(name: string, opts: BootOptions = {}): Promise<BootResult> {
  return start(name, opts, false);
}

/** `zoneadm ready`: namespaces, cgroup and mounts set up, a process holding them, no init yet. */
export function readyZone(name: string, opts: RuntimeOptions = {}): Promise<BootResult> {
  return start(name, opts, true);
}

/** The zone's block of host ids, given to it at its first boot (docs/security.md). */
function zoneIdmap(name: string, root: string, entry: { name: string; uuid: string }): IdMap {
  try {
    return new IdmapStore(root).allocate(idmapKey(entry));
  } catch (e) {
    if (e instanceof IdmapError) throw runtimeError.idmap(name, e.message);
    throw e;
  }
}

/** `idmap PATH: ...` (or `idmap-fs TYPE DIR: ...`) from the supervisor: which filesystem refused, in words. */
function explainIdmap(name: string, e: unknown): unknown {
  const msg = (e as Error).message ?? '';
  const fs = /idmap-fs (\S+) (\S+): /.exec(msg);
  if (fs) return runtimeError.noIdmappedMount(name, `fs ${fs[2]!}`, fs[1]!);
  const m = /idmap (\/\S*): /.exec(msg);
  if (!m) return e;
  return runtimeError.noIdmappedMount(name, m[1]!, filesystemOf(m[1]!) ?? 'unknown');
}

/** Kills every process of the zone's cgroup and removes the cgroup (tolerates it being gone). */
async function destroyZone(cg: ZoneCgroup): Promise<void> {
  if (cg.anyExists()) {
    try {
      await cg.killAll();
    } catch (e) {
      // The supervisor may remove the emptied cgroup under our feet: only a non-empty one is an error.
      if (cg.anyExists() && cg.pids().length > 0) throw e;
    }
  }
  for (let i = 0; ; i++) {
    try {
      cg.destroy();
      return;
    } catch (e) {
      // The last tasks may take a moment to leave after SIGKILL.
      if ((e as NodeJS.ErrnoException).code !== 'EBUSY' || i >= 100) throw e;
      await sleep(10);
    }
  }
}

/**
 * `zoneadm halt`: kills every process of the zone through its cgroup (init included: the pid
 * namespace dies with it), waits for the supervisor to tear down (or kills it), removes the
 * cgroup and the runtime state. Nothing of a zone is ever mounted in the host's namespace, so
 * there is nothing to unmount here: the zone's mount namespace goes with its last process.
 */
export async function haltZone(name: string, given: RuntimeOptions = {}): Promise<void> {
  const opts = { ...given, root: resolve(given.root ?? zonesRoot()) };
  const root = opts.root;
  // Only the index line: a zone whose configuration file broke can still be halted.
  if (name === 'global') throw runtimeError.global('halt');
  if (!new ZoneStore(root).get(name)) throw runtimeError.noZone(name);
  const info = zoneRuntimeInfo(name, opts);
  const cg = zoneCgroupFor(name, opts);
  const stray = cg.anyExists() ? cg.pids() : [];
  if (!info && stray.length === 0) {
    // Halted by itself (its init exited, or a graceful shutdown): what the supervisor cannot undo.
    await releaseRecords(name, opts, cg);
    throw runtimeError.alreadyHalted(name);
  }
  try {
    await destroyZone(cg);
    // Without its cgroup (removed by hand), the zone still ends with its init: the kernel kills the
    // rest of its pid namespace. Only a process that passes as this zone's init is ever signalled.
    if (info && info.initPid > 0 && isZoneInit(info.initPid, name, opts)) await killInit(info.initPid);
  } catch (e) {
    throw runtimeError.haltFailed(name, (e as Error).message);
  }
  faultPoint('halt:killed');
  if (info && info.supervisorAlive) {
    // It notices its init is gone, cleans up and exits; give it a moment, then make sure. A
    // supervisor whose init could not be told apart is asked to halt it (SIGTERM) first.
    const live = () => isSupervisor(info.supervisorPid, info.runDir);
    for (let i = 0; i < 200 && live(); i++) {
      if (i === 20) signal(info.supervisorPid, 'SIGTERM');
      await sleep(5);
    }
    if (live()) signal(info.supervisorPid, 'SIGKILL');
  }
  faultPoint('halt:cleaned');
  await releaseRecords(name, opts, cg);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // gone meanwhile
  }
}

async function killInit(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return; // gone meanwhile
  }
  for (let i = 0; i < 500 && processAlive(pid); i++) await sleep(10);
  if (processAlive(pid)) throw new Error(`the zone's init (pid ${pid}) did not exit`);
}

export { ZoneRuntimeError };
