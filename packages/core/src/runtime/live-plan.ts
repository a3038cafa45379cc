/**
 * What a `zonecfg -r` commit asks of a running zone (docs/reference.md, "Live reconfiguration"):
 * the difference between the zone's running configuration and the edited one, split into what
 * Linux can change live (resource controls; adding or removing an `fs` or a `net`) and what it
 * cannot, each refusal a message. Pure: the runtime (live-apply.ts) checks the host and applies.
 */
import type { Resource, ZoneConfig } from '../model/types.js';
import { MS } from '../platform/syscalls.js';
import { fsMount } from './supervisor.js';

/** The zone's running configuration, as its run directory records it (RUN_FILES.liveConfig). */
export interface LiveRecord {
  config: ZoneConfig;
  /** The `dir` of each fs mounted live (its mount can be taken away again; a boot's is locked). */
  liveFs: string[];
  /** For each `net` resource of `config`, in order: the N of its interfaces (`eth<N>`, the host end's suffix). */
  netIndex: number[];
}

/** The record of a zone just booted with `config`. */
export function bootRecord(config: ZoneConfig): LiveRecord {
  return { config, liveFs: [], netIndex: config.resources.filter((r) => r.type === 'net').map((_, i) => i) };
}

export interface LiveNet {
  resource: Resource;
  index: number;
}

export interface LivePlan {
  /** Why the commit cannot be applied to the running zone; empty when it can. */
  refused: string[];
  /** The resource controls changed: apply those of the edited configuration. */
  resourceControls: boolean;
  fsRemoved: Resource[];
  fsAdded: Resource[];
  netRemoved: LiveNet[];
  netAdded: LiveNet[];
  /** The record once everything is applied. */
  next: LiveRecord;
}

/** Resources whose change is a resource-control change (capped-cpu is the rctl zone.cpu-cap). */
const RESOURCE_CONTROLS: ReadonlySet<string> = new Set(['rctl', 'capped-memory', 'dedicated-cpu']);
/** Global properties applied with the resource controls. */
const CONTROL_GLOBALS: ReadonlySet<string> = new Set(['scheduling-class']);

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);

/** A resource's identity: its type and properties, whatever their order. */
function key(r: Resource): string {
  const props = Object.keys(r.props)
    .sort()
    .map((k) => [k, r.props[k]]);
  return JSON.stringify([r.type, props]);
}

interface Matched {
  kept: Array<[before: number, after: number]>;
  removed: number[];
  added: number[];
}

/** Pairs equal resources of one type (positions within that type), the rest removed or added. */
function match(before: readonly Resource[], after: readonly Resource[]): Matched {
  const used = new Set<number>();
  const kept: Array<[number, number]> = [];
  const added: number[] = [];
  after.forEach((r, a) => {
    const k = key(r);
    const b = before.findIndex((x, i) => !used.has(i) && key(x) === k);
    if (b === -1) added.push(a);
    else {
      used.add(b);
      kept.push([b, a]);
    }
  });
  return { kept, removed: before.map((_, i) => i).filter((i) => !used.has(i)), added };
}

const controls = (cfg: ZoneConfig) =>
  JSON.stringify([
    cfg.resources.filter((r) => RESOURCE_CONTROLS.has(r.type)).map(key).sort(),
    [...CONTROL_GLOBALS].map((g) => cfg.globals[g as keyof ZoneConfig['globals']]),
  ]);

/**
 * Why an fs cannot be mounted in a running zone, if it cannot. A mount attached to a running zone
 * is not locked by the kernel (only the mounts a zone boots with are: they come from a copied mount
 * namespace), so its root could remount it read-write or drop nosuid, nodev or noexec: an fs whose
 * safety rests on such a flag waits for the next boot. A tmpfs is new and the zone's alone, its flags
 * protect the zone from itself only, and its size is the superblock's, which the zone cannot
 * remount (docs/security.md).
 */
export function liveFsRefusal(r: Resource): string | undefined {
  const type = str(r.props.type);
  const dir = str(r.props.dir);
  if (type === 'tmpfs') return undefined;
  const m = fsMount(type, list(r.props.options));
  const flags = m.flags & (MS.RDONLY | MS.NOSUID | MS.NODEV | MS.NOEXEC);
  if (flags === 0) return undefined;
  const named = list(r.props.options).join(',');
  return `fs ${dir}: the zone's root could undo its options (${named}) in a running zone; it takes effect at the next boot`;
}

/** The difference between the running configuration and the edited one, and whether it can be applied live. */
export function planLiveChange(record: LiveRecord, after: ZoneConfig): LivePlan {
  const before = record.config;
  const refused: string[] = [];
  for (const g of Object.keys(before.globals) as Array<keyof ZoneConfig['globals']>) {
    if (CONTROL_GLOBALS.has(g) || before.globals[g] === after.globals[g]) continue;
    refused.push(`${g} cannot be changed in a running zone; it takes effect at the next boot`);
  }
  const types = [...new Set([...before.resources, ...after.resources].map((r) => r.type))];
  const of = (cfg: ZoneConfig, t: string) => cfg.resources.filter((r) => r.type === t);
  const fs = match(of(before, 'fs'), of(after, 'fs'));
  const net = match(of(before, 'net'), of(after, 'net'));
  for (const t of types) {
    if (RESOURCE_CONTROLS.has(t) || t === 'fs' || t === 'net') continue;
    const m = match(of(before, t), of(after, t));
    if (m.added.length + m.removed.length > 0) refused.push(`${t} resources cannot be changed in a running zone; it takes effect at the next boot`);
  }
  const fsBefore = of(before, 'fs');
  const fsAfter = of(after, 'fs');
  const fsRemoved = fs.removed.map((i) => fsBefore[i]!);
  const fsAdded = fs.added.map((i) => fsAfter[i]!);
  const liveFs = new Set(record.liveFs);
  for (const r of fsRemoved) {
    if (!liveFs.has(str(r.props.dir))) {
      refused.push(`fs ${str(r.props.dir)} was mounted when the zone booted, and Linux locks it in the running zone; removing it takes effect at the next boot`);
    }
  }
  for (const r of fsAdded) {
    const why = liveFsRefusal(r);
    if (why) refused.push(why);
  }
  const dirs = fsAfter.map((r) => str(r.props.dir));
  for (const r of fsAdded) {
    if (dirs.filter((d) => d === str(r.props.dir)).length > 1) refused.push(`fs ${str(r.props.dir)}: another fs is mounted there`);
  }

  const netBefore = of(before, 'net');
  const netAfter = of(after, 'net');
  const netRemoved = net.removed.map((i) => ({ resource: netBefore[i]!, index: record.netIndex[i] ?? i }));
  const taken = new Set(net.kept.map(([b]) => record.netIndex[b] ?? b));
  const netIndex: number[] = new Array(netAfter.length);
  for (const [b, a] of net.kept) netIndex[a] = record.netIndex[b] ?? b;
  const netAdded: LiveNet[] = [];
  for (const a of net.added) {
    let n = 0;
    // A removed net's number is free again only once its interfaces are gone: the removals run first.
    while (taken.has(n)) n++;
    taken.add(n);
    netIndex[a] = n;
    netAdded.push({ resource: netAfter[a]!, index: n });
  }

  const next: LiveRecord = {
    config: structuredClone(after),
    liveFs: [
      ...fs.kept.filter(([b]) => liveFs.has(str(fsBefore[b]!.props.dir))).map(([, a]) => str(fsAfter[a]!.props.dir)),
      ...fsAdded.map((r) => str(r.props.dir)),
    ],
    netIndex,
  };
  return {
    refused,
    resourceControls: controls(before) !== controls(after),
    fsRemoved,
    fsAdded,
    netRemoved,
    netAdded,
    next,
  };
}

/** The running configuration once `zoneadm apply` has given the zone the resource controls of `applied`. */
export function withAppliedControls(running: ZoneConfig, applied: ZoneConfig): ZoneConfig {
  const out = structuredClone(running);
  out.resources = [...out.resources.filter((r) => !RESOURCE_CONTROLS.has(r.type)), ...structuredClone(applied.resources.filter((r) => RESOURCE_CONTROLS.has(r.type)))];
  for (const g of CONTROL_GLOBALS) out.globals[g as keyof ZoneConfig['globals']] = applied.globals[g as keyof ZoneConfig['globals']];
  return out;
}

/**
 * The stored configuration with a live commit's change made to it too (docs/reference.md, "Live
 * reconfiguration": the issue asks `commit` to apply and save). Only what changed is carried over,
 * so an edit of the stored configuration that is waiting for the next boot stays as it is.
 */
export function persistLiveChange(stored: ZoneConfig, plan: LivePlan, after: ZoneConfig): ZoneConfig {
  const out = plan.resourceControls ? withAppliedControls(stored, after) : structuredClone(stored);
  for (const gone of [...plan.fsRemoved, ...plan.netRemoved.map((n) => n.resource)]) {
    const i = out.resources.findIndex((r) => key(r) === key(gone));
    if (i !== -1) out.resources.splice(i, 1);
  }
  out.resources.push(...structuredClone([...plan.fsAdded, ...plan.netAdded.map((n) => n.resource)]));
  return out;
}
