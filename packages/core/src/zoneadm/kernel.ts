/**
 * Which zones are "in the kernel" (ready, running, shutting_down), for zoneadm.
 *
 * - {@link kernelStateLookup}: the authoritative answer for state checks (sanity_check), from the
 *   runtime's `zoneRuntimeState` (which also cleans up state left by a crash and rebuilds run files
 *   damaged under a live zone).
 * - {@link readKernelZones}: the cheap answer for `zoneadm list` (its startup-time fast path):
 *   only node:fs and platform/proc, reads `var/run/zones/<zone>/{state,zoneid,zoneadmd.pid,init.pid}`
 *   and checks that the pids are alive and are what they claim to be, with what any user may read
 *   (/proc/PID/status, cgroup and cmdline; the run files are mode 0644 in a 0711 directory). It never
 *   writes: stale directories are simply not listed (the next state-changing operation cleans them).
 *   Run files that lie are overruled by the zone's cgroup and its `.zoneid.N` reservation, so a zone
 *   whose run directory was removed or damaged still lists as running with its own id, never 0.
 *
 * This module must stay light: bin/run.js reaches it through list-main.js without oclif.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ZoneState } from '../model/states.js';
import { cgroupTreePids, zoneOfCgroupPath } from '../platform/cgroups/common.js';
import { isNamespaceInit, isSupervisor, processCgroupPaths, processCmdline } from '../platform/proc.js';
import { runDir } from '../store/paths.js';
import { zoneCgroupParent } from '../runtime/cgroup-parent.js';
import { RUN_FILES, ZONEID_RESERVATION } from '../runtime/run-files.js';
import type { KernelZone } from './list.js';
import type { KernelStateLookup } from './sanity.js';

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function readPid(path: string): number | undefined {
  const t = readText(path);
  if (t === undefined || !/^\d{1,10}$/.test(t)) return undefined;
  const n = Number(t);
  return n > 0 ? n : undefined;
}

/** Zone names as the store allows them (and never a path). */
const ZONE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** `pid` is the init of zone `name`: PID 1 of a pid namespace, in that zone's cgroup. */
function isInitOf(pid: number | undefined, name: string): boolean {
  if (pid === undefined || !isNamespaceInit(pid)) return false;
  return processCgroupPaths(pid)?.some((p) => zoneOfCgroupPath(p) === name) ?? false;
}

/** The zones under `root` in the kernel, from the run files, checked against the live system. */
class KernelReader {
  private readonly base: string;
  private readonly entries: string[];
  /** `.zoneid.N` reservations: N -> the zone it names (read on demand). */
  private readonly reserved = new Map<number, string | undefined>();
  private parent: string | undefined;

  constructor(private readonly root: string) {
    this.base = runDir(undefined, root);
    try {
      this.entries = readdirSync(this.base);
    } catch {
      this.entries = [];
    }
    for (const f of this.entries) {
      const m = ZONEID_RESERVATION.exec(f);
      if (m) this.reserved.set(Number(m[1]), undefined);
    }
  }

  owner(n: number): string | undefined {
    if (!this.reserved.has(n)) return undefined;
    let o = this.reserved.get(n);
    if (o === undefined) {
      o = readText(join(this.base, `.zoneid.${n}`)) ?? '';
      this.reserved.set(n, o);
    }
    return o;
  }

  /** The zone id reserved in `name`'s name, preferring the one its run file gives. */
  zoneid(name: string, recorded: number | undefined): number | undefined {
    if (recorded !== undefined && this.owner(recorded) === name) return recorded;
    return [...this.reserved.keys()].sort((a, b) => a - b).find((n) => this.owner(n) === name);
  }

  /** The zone's init found from its cgroup (run files lost or lying). */
  initFromCgroup(name: string): number | undefined {
    this.parent ??= zoneCgroupParent(this.root);
    return cgroupTreePids(this.parent, name).find((p) => isInitOf(p, name));
  }

  zone(name: string): KernelZone | undefined {
    const dir = join(this.base, name);
    const supervisorPid = readPid(join(dir, RUN_FILES.supervisorPid));
    let initPid = readPid(join(dir, RUN_FILES.initPid));
    if (!isInitOf(initPid, name)) initPid = this.initFromCgroup(name);
    if (initPid === undefined) {
      // No init: a supervisor tearing down (shutting_down), else a boot in progress or debris.
      if (!isSupervisor(supervisorPid, dir)) return undefined;
    }
    const recordedState = readText(join(dir, RUN_FILES.state));
    let state: ZoneState;
    if (initPid === undefined) state = 'shutting_down';
    else if (recordedState === 'running' || recordedState === 'ready') state = recordedState;
    // The ready holder is the supervisor's own clone, not yet an exec'd init: it has its command line.
    else state = (processCmdline(initPid) ?? []).includes('--rundir') ? 'ready' : 'running';
    const id = this.zoneid(name, readPid(join(dir, RUN_FILES.zoneid)));
    return { id, name, state };
  }

  all(): KernelZone[] {
    const out: KernelZone[] = [];
    const listed = new Set<string>();
    for (const name of this.entries) {
      if (name.startsWith('.')) continue;
      const z = this.zone(name);
      if (z) {
        out.push(z);
        listed.add(name);
      }
    }
    // A zone whose run directory was removed under it: its reservation still names it.
    const ids = new Set(out.map((z) => z.id));
    for (const n of this.reserved.keys()) {
      if (ids.has(n)) continue;
      const name = this.owner(n);
      if (!name || !ZONE_NAME.test(name) || listed.has(name)) continue;
      if (this.entries.includes(name)) continue; // its directory was read above: not in the kernel
      if (this.initFromCgroup(name) === undefined) continue;
      out.push({ id: n, name, state: 'running' });
      listed.add(name);
    }
    return out.sort((a, b) => (a.id ?? Infinity) - (b.id ?? Infinity));
  }
}

/**
 * The non-global zones in the kernel under `root`, by zone id (the caller adds the global zone).
 * Cheap: a readdir plus a handful of small /proc reads per zone directory.
 */
export function readKernelZones(root: string): KernelZone[] {
  return new KernelReader(resolve(root)).all();
}

/**
 * The kernel state of zones under `root` for sanity checks, from the runtime (imported lazily by
 * the caller through {@link loadKernelStateLookup} so that light paths do not pay for it).
 */
export async function loadKernelStateLookup(root: string): Promise<KernelStateLookup> {
  const { zoneRuntimeState } = await import('../runtime/state.js');
  const r = resolve(root);
  return (zone) => zoneRuntimeState(zone, { root: r });
}
