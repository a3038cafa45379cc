/**
 * Live reconfiguration of a running zone (`zonecfg -z NAME -r`; docs/reference.md, "Live
 * reconfiguration"): the zone's running configuration (its run directory's record), and a commit
 * that checks the whole difference first, then applies it (resource controls, fs and net added or
 * removed) and undoes what it applied when a step fails: all or nothing.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ZoneConfig } from '../model/types.js';
import { mountOf, mountsUnder } from '../platform/mounts.js';
import { MS } from '../platform/syscalls.js';
import { runDir, zonesRoot } from '../store/paths.js';
import { ZoneStore } from '../store/zone-store.js';
import { acquireLock, LockTimeoutError } from '../store/lock.js';
import { opLockPath } from '../zoneadm/paths.js';
import { runtimeError, ZoneRuntimeError } from './errors.js';
import { bootRecord, planLiveChange, withAppliedControls, type LivePlan, type LiveRecord } from './live-plan.js';
import { applyResourceControls } from './resource-controls.js';
import { RUN_FILE_MODE, RUN_FILES, zoneRuntimeInfo, type RuntimeOptions, type ZoneRuntimeInfo } from './state.js';
import { fsMount } from './supervisor.js';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);

export const liveError = {
  notRunning: (z: string) =>
    new ZoneRuntimeError('Z_NOT_RUNNING', `Zone ${z} is not running; -r edits the live configuration of a running zone (without -r, changes take effect at the next boot)`, z),
  refused: (z: string, why: string[]) => new ZoneRuntimeError('Z_LIVE_REFUSED', [...why, 'nothing was changed in the running zone'].join('\n'), z),
  changed: (z: string) =>
    new ZoneRuntimeError('Z_LIVE_CHANGED', 'the running configuration was changed by someone else meanwhile; nothing was changed in the running zone', z),
  failed: (z: string, why: string) => new ZoneRuntimeError('Z_LIVE_FAILED', `${why}; what had been applied was undone`, z),
};

function root(opts: RuntimeOptions): string {
  return resolve(opts.root ?? zonesRoot());
}

function recordPath(name: string, opts: RuntimeOptions): string {
  return join(runDir(name, root(opts)), RUN_FILES.liveConfig);
}

function isRecord(v: unknown): v is LiveRecord {
  const r = v as LiveRecord;
  return (
    typeof r === 'object' && r !== null && typeof r.config?.globals === 'object' && Array.isArray(r.config.resources) &&
    Array.isArray(r.liveFs) && Array.isArray(r.netIndex)
  );
}

/** The running zone, or the refusal `-r` gives for a zone that is not running. */
function runningZone(name: string, opts: RuntimeOptions): ZoneRuntimeInfo {
  const info = zoneRuntimeInfo(name, opts);
  if (!info || info.state !== 'running') throw liveError.notRunning(name);
  return info;
}

/**
 * The zone's running configuration. A zone whose record is missing or damaged (booted before
 * records existed, the file removed) is taken to run its stored configuration.
 */
export function liveRecord(name: string, opts: RuntimeOptions = {}): LiveRecord {
  runningZone(name, opts);
  try {
    const r: unknown = JSON.parse(readFileSync(recordPath(name, opts), 'utf8'));
    if (isRecord(r)) return r;
  } catch {
    // missing or damaged: below
  }
  const cfg = new ZoneStore(root(opts)).load(name);
  if (!cfg) throw liveError.notRunning(name);
  return bootRecord(cfg);
}

function writeRecord(name: string, record: LiveRecord, opts: RuntimeOptions): void {
  const path = recordPath(name, opts);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(record)}\n`, { mode: RUN_FILE_MODE });
  renameSync(`${path}.tmp`, path);
}

/**
 * For `zoneadm apply`, once it has given the running zone the resource controls of `applied`:
 * the running configuration says so too, so that `zonecfg -r` starts from what the zone has.
 */
export function recordAppliedControls(name: string, applied: ZoneConfig, opts: RuntimeOptions = {}): void {
  const record = liveRecord(name, opts);
  writeRecord(name, { ...record, config: withAppliedControls(record.config, applied) }, opts);
}

/** What the host says against an fs added live (its special's own mount), beyond the plan's rules. */
function hostFsRefusals(plan: LivePlan): string[] {
  const out: string[] = [];
  for (const r of plan.fsAdded) {
    const dir = str(r.props.dir);
    const m = fsMount(str(r.props.type), list(r.props.options));
    if (!(m.flags & MS.BIND)) continue;
    const special = str(r.props.special);
    // The copy keeps the flags of the host's mount, which the zone's root could clear on an unlocked mount.
    const host = mountOf(special);
    const flags = (host?.options ?? []).filter((o) => ['ro', 'nosuid', 'nodev', 'noexec'].includes(o));
    if (flags.length > 0) out.push(`fs ${dir}: ${special} is on a ${flags.join(',')} mount of the host, which the zone's root could undo in a running zone; it takes effect at the next boot`);
    else if (m.flags & MS.REC && mountsUnder(special).length > 0) {
      out.push(`fs ${dir}: ${special} has mounts below it, which the zone's root could take away to see what they cover; use options nosub, or it takes effect at the next boot`);
    }
  }
  return out;
}

/** A net that cannot be set up (a bad interface name, a shared-IP interface that does not exist), found before anything is applied. */
async function netRefusals(plan: LivePlan, after: ZoneConfig): Promise<string[]> {
  if (plan.netAdded.length === 0) return [];
  const network = await import('../platform/network.js');
  const out: string[] = [];
  for (const n of plan.netAdded) {
    try {
      if (after.globals['ip-type'] === 'exclusive') network.exclusiveNic(n.resource, '', n.index);
      else {
        const a = network.sharedAddress(n.resource);
        if (a && !network.interfaceExists(a.physical)) out.push(`net ${a.physical}: no such interface`);
      }
    } catch (e) {
      out.push(`net: ${(e as Error).message}`);
    }
  }
  return out;
}

export interface LiveCommit {
  warnings: string[];
  plan: LivePlan;
}

/**
 * Applies `after` to the running zone `name`, whose running configuration was `seen` when the
 * edit began (another commit meanwhile: refused). Every refusal is found before anything is
 * applied; a step that fails undoes the steps before it.
 */
export async function applyLiveChange(name: string, seen: ZoneConfig, after: ZoneConfig, opts: RuntimeOptions = {}): Promise<LiveCommit> {
  // The zone's operation lock (zoneadm's): no boot, halt or other live commit meanwhile.
  let unlock: () => void;
  try {
    unlock = acquireLock(opLockPath(name, root(opts)), { timeoutMs: 3000 });
  } catch (e) {
    if (e instanceof LockTimeoutError) throw runtimeError.busy(name);
    throw e;
  }
  try {
    return await applyLocked(name, seen, after, opts);
  } finally {
    unlock();
  }
}

async function applyLocked(name: string, seen: ZoneConfig, after: ZoneConfig, opts: RuntimeOptions): Promise<LiveCommit> {
  const info = runningZone(name, opts);
  const record = liveRecord(name, opts);
  if (JSON.stringify(record.config) !== JSON.stringify(seen)) throw liveError.changed(name);
  const plan = planLiveChange(record, after);
  const refused = [...plan.refused, ...hostFsRefusals(plan), ...(await netRefusals(plan, after))];
  if (refused.length > 0) throw liveError.refused(name, refused);

  const { mountInZone, unmountInZone, ZoneMountError } = await import('../platform/zone-mounts.js');
  const nets = plan.netAdded.length + plan.netRemoved.length > 0 ? await import('./zone-network.js') : undefined;
  const r = root(opts);
  const pid = info.initPid;
  const liveMount = (res: (typeof plan.fsAdded)[number]) => {
    const type = str(res.props.type);
    const m = fsMount(type, list(res.props.options));
    // As at boot: a writable bind is shared with the zone's own ids, a new filesystem is idmapped (docs/security.md).
    return { type, special: str(res.props.special), dir: str(res.props.dir), flags: m.flags, data: m.data, idmap: !(m.flags & MS.BIND) };
  };
  const undo: Array<() => Promise<unknown>> = [];
  const warnings: string[] = [];
  const step = async (what: string, run: () => Promise<unknown>, back: () => Promise<unknown>) => {
    try {
      await run();
    } catch (e) {
      for (const u of undo.reverse()) await u().catch(() => undefined);
      throw liveError.failed(name, `${what}: ${(e as Error).message}`);
    }
    undo.push(back);
  };
  for (const n of plan.netRemoved) {
    await step(`remove net ${str(n.resource.props.physical)}`, () => nets!.removeLiveNet(name, record.config, n, r), () => nets!.addLiveNet(name, record.config, n, pid, info.zoneid, r));
  }
  for (const f of plan.fsRemoved) {
    const m = liveMount(f);
    // Already unmounted by the zone's root: the removal is done.
    const unmount = () => unmountInZone(pid, m.dir).catch((e) => (e instanceof ZoneMountError && e.notMounted ? undefined : Promise.reject(e)));
    await step(`remove fs ${m.dir}`, unmount, () => mountInZone(pid, m));
  }
  if (plan.resourceControls) {
    await step(
      'resource controls',
      async () => warnings.push(...(await applyResourceControls(name, after, opts))),
      () => applyResourceControls(name, record.config, opts),
    );
  }
  for (const f of plan.fsAdded) {
    const m = liveMount(f);
    await step(`add fs ${m.dir}`, () => mountInZone(pid, m), () => unmountInZone(pid, m.dir));
  }
  for (const n of plan.netAdded) {
    await step(`add net ${str(n.resource.props.physical)}`, () => nets!.addLiveNet(name, after, n, pid, info.zoneid, r), () => nets!.removeLiveNet(name, after, n, r));
  }
  writeRecord(name, plan.next, opts);
  return { warnings, plan };
}
