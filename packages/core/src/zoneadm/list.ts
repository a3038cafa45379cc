/**
 * `zoneadm list` (docs/reference.md#43-list, illumos zoneadm.c list_func/zone_print): which zones are
 * listed, in which order, and how each line looks. Pure: the caller supplies the index entries,
 * a config loader and the kernel (running-ish) zones, so a later runtime only has to provide
 * `KernelZone`s.
 */
import type { ZoneConfig } from '../model/types.js';
import type { IndexEntry } from '../store/index-file.js';
import { ZONE_STATE_ORDER, type ZoneState } from '../model/states.js';

/** A zone present in the kernel (ready, running, shutting_down, down), as a runtime reports it. */
export interface KernelZone {
  /** undefined: in the kernel, but its zone id is not known (its records were lost; the next zoneadm command on it reserves one). */
  id?: number;
  name: string;
  state: ZoneState;
  /** ip-type as the kernel sees it; falls back to the config. */
  ipType?: 'shared' | 'excl';
}

/** One zone as `list` prints it. */
export interface ListedZone {
  /** undefined = not in the kernel (printed as `-`). */
  id: number | undefined;
  name: string;
  state: ZoneState;
  zonepath: string;
  uuid: string;
  brand: string;
  ipType: 'shared' | 'excl';
}

export type ListFormat = 'names' | 'verbose' | 'parsable';

export interface ListSelection {
  /** -c */
  configured?: boolean;
  /** -i */
  installed?: boolean;
}

/** The global zone: always in the kernel as ID 0, brand native, path /, no uuid, shared IP. */
export const GLOBAL_KERNEL_ZONE: Readonly<KernelZone> = Object.freeze({ id: 0, name: 'global', state: 'running' });

/** What the kernel holds today: the global zone only (the runtime will add booted zones). */
export function defaultKernelZones(): KernelZone[] {
  return [{ ...GLOBAL_KERNEL_ZONE }];
}

/** Lowest state listed: running by default, installed with -i, configured with -c (-c wins). */
export function minState(sel: ListSelection): ZoneState {
  if (sel.configured) return 'configured';
  if (sel.installed) return 'installed';
  return 'running';
}

/** `shared` or `excl` from a config's ip-type. */
export function ipTypeOf(cfg: Pick<ZoneConfig, 'globals'> | undefined): 'shared' | 'excl' {
  return cfg?.globals['ip-type'] === 'exclusive' ? 'excl' : 'shared';
}

/** Thrown by a loader when one zone's details cannot be read; that zone is skipped with a warning. */
export interface ListWarning {
  zone: string;
  message: string;
}

export interface ZoneSource {
  /** Index entries in file order, global excluded. */
  entries: IndexEntry[];
  /**
   * A zone's configuration; only `globals` is used (may throw: the zone is then skipped with a
   * warning). ZoneStore.readGlobals wrapped as `{ globals }` is the cheap way to provide it.
   */
  load(name: string): Pick<ZoneConfig, 'globals'> | undefined;
  /** Running-ish zones (default: global only). */
  kernel?: KernelZone[];
}

function describe(
  src: ZoneSource,
  name: string,
  kz: KernelZone | undefined,
  warnings: ListWarning[],
): ListedZone | undefined {
  if (name === 'global') {
    return {
      id: kz?.id ?? 0,
      name,
      state: kz?.state ?? 'running',
      zonepath: '/',
      uuid: '',
      brand: 'native',
      ipType: 'shared',
    };
  }
  const entry = src.entries.find((e) => e.name === name);
  if (!entry) {
    warnings.push({ zone: name, message: 'could not get zone path.' });
    return undefined;
  }
  let cfg: Pick<ZoneConfig, 'globals'> | undefined;
  try {
    cfg = src.load(name);
  } catch (err) {
    warnings.push({ zone: name, message: `could not get brand name: ${(err as Error).message}` });
    return undefined;
  }
  if (!cfg) {
    warnings.push({ zone: name, message: 'could not get brand name: No such zone configured' });
    return undefined;
  }
  return {
    id: kz?.id,
    name,
    state: kz?.state ?? entry.state,
    zonepath: entry.zonepath || cfg.globals.zonepath,
    uuid: entry.uuid,
    brand: cfg.globals.brand || 'native',
    ipType: kz?.ipType ?? ipTypeOf(cfg),
  };
}

function kernelOrder(src: ZoneSource): KernelZone[] {
  const k = src.kernel ?? defaultKernelZones();
  return [...k].sort((a, b) => (a.name === 'global' ? -1 : b.name === 'global' ? 1 : (a.id ?? Infinity) - (b.id ?? Infinity)));
}

/**
 * All zones `list [-c] [-i]` shows, in order: kernel zones first (global, then by id), then the
 * other zones in index order whose state is at least minState.
 */
export function selectZones(src: ZoneSource, sel: ListSelection = {}): { zones: ListedZone[]; warnings: ListWarning[] } {
  const warnings: ListWarning[] = [];
  const zones: ListedZone[] = [];
  const kernel = kernelOrder(src);
  for (const kz of kernel) {
    const z = describe(src, kz.name, kz, warnings);
    if (z) zones.push(z);
  }
  const min = ZONE_STATE_ORDER[minState(sel)];
  if (min >= ZONE_STATE_ORDER.running) return { zones, warnings };
  const inKernel = new Set(kernel.map((k) => k.name));
  for (const e of src.entries) {
    if (inKernel.has(e.name) || e.name === 'global') continue;
    if (ZONE_STATE_ORDER[e.state] < min) continue;
    const z = describe(src, e.name, undefined, warnings);
    if (z && ZONE_STATE_ORDER[z.state] >= min) zones.push(z);
  }
  return { zones, warnings };
}

/** `zoneadm -z NAME list`: that one zone regardless of state (undefined if unknown). */
export function selectZone(src: ZoneSource, name: string): { zone: ListedZone | undefined; warnings: ListWarning[] } {
  const warnings: ListWarning[] = [];
  const kz = (src.kernel ?? defaultKernelZones()).find((k) => k.name === name);
  return { zone: describe(src, name, kz, warnings), warnings };
}

/** The `-v` header line (printf `%4s %-16s %-10s %-30s %-8s %-6s`). */
export const VERBOSE_HEADER = `${'ID'.padStart(4)} ${'NAME'.padEnd(16)} ${'STATUS'.padEnd(10)} ${'PATH'.padEnd(30)} ${'BRAND'.padEnd(8)} ${'IP'.padEnd(6)}`;

/** One `-v` row. Fields are padded, never truncated (as printf does). */
export function formatVerbose(z: ListedZone): string {
  const id = z.id === undefined ? '-' : String(z.id);
  return `${id.padStart(4)} ${z.name.padEnd(16)} ${z.state.padEnd(10)} ${z.zonepath.padEnd(30)} ${z.brand.padEnd(8)} ${z.ipType.padEnd(6)}`;
}

/** One `-p` row: `zoneid:zonename:state:zonepath:uuid:brand:ip-type:debugid`, colons in zonepath as `\:`. */
export function formatParsable(z: ListedZone): string {
  const id = z.id === undefined ? '-' : String(z.id);
  return `${id}:${z.name}:${z.state}:${z.zonepath.replace(/:/g, '\\:')}:${z.uuid}:${z.brand}:${z.ipType}:0`;
}

/** One zone of `list --json`: the fields of a `-p` line under their zoneadm(8) names, typed. */
export interface JsonListedZone {
  /** null: not in the kernel (`-` in -p) */
  zoneid: number | null;
  zonename: string;
  state: ZoneState;
  zonepath: string;
  /** null for the global zone (the empty field of -p) */
  uuid: string | null;
  brand: string;
  'ip-type': 'shared' | 'excl';
  debugid: number;
}

/** `list --json`: one object, `{"zones": [...]}` (the zones -p would list, in its order), and a newline. */
export function formatZoneListJson(zones: readonly ListedZone[]): string {
  const out = zones.map(
    (z): JsonListedZone => ({
      zoneid: z.id ?? null,
      zonename: z.name,
      state: z.state,
      zonepath: z.zonepath,
      uuid: z.uuid === '' ? null : z.uuid,
      brand: z.brand,
      'ip-type': z.ipType,
      debugid: 0,
    }),
  );
  return `${JSON.stringify({ zones: out })}\n`;
}

/** The whole output (with trailing newline), header first in verbose mode; '' for no zones. */
export function formatZoneList(zones: readonly ListedZone[], format: ListFormat): string {
  if (zones.length === 0) return '';
  const lines: string[] = [];
  if (format === 'verbose') lines.push(VERBOSE_HEADER);
  for (const z of zones) {
    lines.push(format === 'verbose' ? formatVerbose(z) : format === 'parsable' ? formatParsable(z) : z.name);
  }
  return lines.join('\n') + '\n';
}

/** The format chosen by -v / -p; both → undefined (the caller reports the error). */
export function listFormat(verbose: boolean, parsable: boolean): ListFormat | undefined {
  if (verbose && parsable) return undefined;
  return verbose ? 'verbose' : parsable ? 'parsable' : 'names';
}

/** --json with -p: two machine formats at once (printed through zerror, as the -p/-v one). */
export const LIST_PJSON_EXCLUSIVE = 'list -p and --json are mutually exclusive.';

/** `list -p and -v are mutually exclusive.` (printed through zerror). */
export const LIST_PV_EXCLUSIVE = 'list -p and -v are mutually exclusive.';
