/**
 * Which zones are "in the kernel" (ready, running, shutting_down), for zoneadm.
 *
 * - {@link kernelStateLookup}: the authoritative answer for state checks (sanity_check), from the
 *   runtime's `zoneRuntimeState` (which also cleans up state left by a crash).
 * - {@link readKernelZones}: the cheap answer for `zoneadm list` (its startup-time fast path):
 *   only node:fs and platform/proc, reads `var/run/zones/<zone>/{state,zoneid,zoneadmd.pid,init.pid}`
 *   and checks that the pids are alive and are what they claim to be. It never writes: stale directories
 *   are simply not listed (the next state-changing operation cleans them).
 *
 * This module must stay light: bin/run.js reaches it through list-main.js without oclif.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ZoneState } from '../model/states.js';
import { isSupervisor, processAlive, processCgroupPaths } from '../platform/proc.js';
import { runDir } from '../store/paths.js';
import { RUN_FILES } from '../runtime/run-files.js';
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
  if (t === undefined || !/^\d+$/.test(t)) return undefined;
  const n = Number(t);
  return n > 0 ? n : undefined;
}

/** `pid` is alive and in a cgroup of zone `name` (`.../zones[.hash]/<name>[/...]`). */
function isZoneInit(pid: number | undefined, name: string): boolean {
  if (pid === undefined || !processAlive(pid)) return false;
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const inZone = new RegExp(`/zones(\\.[0-9a-f]+)?/${esc}(/|$)`);
  return processCgroupPaths(pid)?.some((p) => inZone.test(p)) ?? false;
}

/**
 * The non-global zones in the kernel under `root`, by zone id (the caller adds the global zone).
 * Cheap: a readdir plus a handful of small /proc reads per zone directory.
 */
export function readKernelZones(root: string): KernelZone[] {
  const base = runDir(undefined, resolve(root));
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return [];
  }
  const out: KernelZone[] = [];
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const dir = join(base, name);
    const supervisorPid = readPid(join(dir, RUN_FILES.supervisorPid));
    if (supervisorPid === undefined) continue; // a boot still in progress, or debris
    const initPid = readPid(join(dir, RUN_FILES.initPid));
    const initAlive = isZoneInit(initPid, name);
    if (!initAlive && !isSupervisor(supervisorPid, dir)) continue;
    const id = Number(readText(join(dir, RUN_FILES.zoneid)) ?? NaN);
    const state: ZoneState = !initAlive ? 'shutting_down' : readText(join(dir, RUN_FILES.state)) === 'running' ? 'running' : 'ready';
    out.push({ id: Number.isInteger(id) && id > 0 ? id : 0, name, state });
  }
  return out.sort((a, b) => a.id - b.id);
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
