/**
 * The resource controls of a RUNNING zone changed in place (zoneadm apply, zonecfg -r): the same
 * limits record a boot writes (platform/cgroups/limits.ts), with every control the configuration
 * no longer sets put back to the kernel's default, the dedicated CPUs re-placed under the pool
 * record's lock, the IPC sysctls written in the zone's IPC namespace by zenter -S, and the
 * locked-memory limit of every process already in the zone. docs/resource-controls.md#live-changes.
 */
import type { ZoneConfig } from '../model/types.js';
import { configLimitWarnings, limitsFromConfig, type CgroupLimits } from '../platform/cgroups/index.js';
import { CgroupWriteError } from '../platform/cgroups/common.js';
import { ipcSysctls } from '../platform/ipc-limits.js';
import { runTool } from '../sys/tools.js';
import { zonesRoot } from '../store/paths.js';
import { resolve } from 'node:path';
import { placeZoneCpus } from './cpu-pool.js';
import { ZoneRuntimeError } from './errors.js';
import { zoneCgroupFor, zoneRuntimeInfo, type RuntimeOptions } from './state.js';
import { setZoneSysctls } from './supervisor.js';
import { grantableMemlock } from './memlock.js';

/** A limit the configuration dropped goes back to unlimited (or the default weight), as a fresh boot would leave it. */
function withDefaults(l: CgroupLimits): CgroupLimits {
  return {
    ...l,
    memoryBytes: l.memoryBytes ?? 'max',
    memoryAndSwapBytes: l.memoryAndSwapBytes ?? 'max',
    cpuQuota: l.cpuQuota ?? 'max',
    cpuShares: l.cpuShares ?? 'default',
    pidsMax: l.pidsMax ?? 'max',
  };
}

function failed(name: string, why: string): ZoneRuntimeError {
  return new ZoneRuntimeError('Z_LIMITS', `could not apply the resource controls: ${why}`, name);
}

/**
 * Applies `cfg`'s resource controls to the running zone `name`. Returns the warnings (controls this
 * host cannot enforce); throws a ZoneRuntimeError when the zone is not running or a control was
 * refused (the others are in place then: run it again once the cause is gone).
 */
export async function applyResourceControls(name: string, cfg: ZoneConfig, given: RuntimeOptions = {}): Promise<string[]> {
  const opts = { ...given, root: resolve(given.root ?? zonesRoot()) };
  const info = zoneRuntimeInfo(name, opts);
  if (!info || (info.state !== 'running' && info.state !== 'ready') || info.initPid <= 0) {
    throw new ZoneRuntimeError('Z_NOT_RUNNING', 'not running', name);
  }
  const cg = zoneCgroupFor(name, opts);
  const limits = withDefaults(limitsFromConfig(cfg));
  const ipc = ipcSysctls(limits.ipc, true);
  const warnings = [...configLimitWarnings(cfg), ...cg.unenforced(limits), ...ipc.warnings];
  try {
    // Writes the zone's own level only: its device policy and payload stay as the boot made them.
    warnings.push(...cg.apply({ ...limits, devices: undefined, cpus: undefined }));
  } catch (e) {
    if (e instanceof CgroupWriteError) {
      const busy = e.message.includes('EBUSY') ? ' (the zone uses more than the new cap and the kernel could not reclaim it)' : '';
      throw failed(name, `${e.message}${busy}`);
    }
    throw e;
  }
  placeZoneCpus(name, limits.dedicatedCpu, opts, () => undefined);
  try {
    await setZoneSysctls(info.initPid, ipc.sysctls);
  } catch (e) {
    throw failed(name, (e as Error).message);
  }
  if (limits.memlockBytes !== undefined) {
    const memlock = grantableMemlock(limits.memlockBytes);
    if (memlock.warning) warnings.push(memlock.warning);
    await setMemlock(name, cg.pids(), memlock.bytes);
  }
  return [...new Set(warnings)];
}

/** RLIMIT_MEMLOCK of every process of the zone, as host root (which alone may raise it). */
async function setMemlock(name: string, pids: readonly number[], bytes: number): Promise<void> {
  const value = `--memlock=${bytes}:${bytes}`;
  const results = await Promise.allSettled(pids.map((p) => runTool('prlimit', ['--pid', String(p), value])));
  // A process that exited meanwhile is no failure; any other refusal is.
  const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected' && !/No such process/.test(String(r.reason?.message)));
  if (refused.length > 0) throw failed(name, `locked memory: ${(refused[0]!.reason as Error).message}`);
}
