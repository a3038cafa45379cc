/**
 * capped-cpu and capped-memory as the user sees them. As in libzonecfg they are not stored whole:
 * capped-cpu is the rctl zone.cpu-cap (ncpus x 100); capped-memory keeps only `physical` (bytes)
 * and its swap/locked are the rctls zone.max-swap / zone.max-locked-memory. The read functions
 * build a Resource view in printed form; the write functions validate a view and store it back.
 */
import type { Resource, ZoneConfig } from './types.js';
import { readAliasedRctl, removeRctl, writeAliasedRctl } from './rctl.js';
import { formatSize, parseSize } from './size.js';

export const CPU_CAP_RCTL = 'zone.cpu-cap';
export const MAX_SWAP_RCTL = 'zone.max-swap';
export const MAX_LOCKED_RCTL = 'zone.max-locked-memory';

const ONE_MB = 1024 * 1024;
const POSITIVE_SIZE_EXPECTED = 'A positive number with a required scale suffix (K, M, G or T) was expected here.';
const NON_NEGATIVE_SIZE_EXPECTED =
  'A non-negative number with a required scale suffix (K, M, G or T) was expected\nhere.';

export interface CappedOptions {
  /** The global zone's own config needs more swap (100M) before root is at risk. */
  isGlobal?: boolean;
}

// ------------------------------------------------------------------ capped-cpu

export function readCappedCpu(cfg: ZoneConfig): Resource | undefined {
  const cap = readAliasedRctl(cfg, CPU_CAP_RCTL, 'deny');
  if (cap.state !== 'set') return undefined;
  return { type: 'capped-cpu', props: { ncpus: formatCpuCap(cap.limit) } };
}

/** printf("%.2f", cap / 100) without float noise: 150 -> "1.50". */
export function formatCpuCap(cap: bigint): string {
  return `${cap / 100n}.${(cap % 100n).toString().padStart(2, '0')}`;
}

/**
 * zone.cpu-cap for an ncpus text, or undefined when out of range (not a decimal > 0, or under
 * 0.01). Solaris truncates a float product, so "1.15" could become 114; we round away the float
 * noise first because an admin who types 1.15 means 115.
 */
export function parseNcpusCap(text: string): number | undefined {
  if (!/^\s*\+?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  const ncpus = Number(text);
  if (!(ncpus > 0)) return undefined;
  const cap = Math.floor(ncpus * 100 + 1e-6);
  return cap >= 1 && Number.isSafeInteger(cap) ? cap : undefined;
}

export function writeCappedCpu(cfg: ZoneConfig, res: Resource): string | undefined {
  const ncpus = res.props.ncpus;
  if (typeof ncpus !== 'string' || ncpus === '') return 'ncpus not specified';
  if (cfg.resources.some((r) => r.type === 'dedicated-cpu')) return 'The dedicated-cpu resource already exists.';
  if (readAliasedRctl(cfg, CPU_CAP_RCTL, 'deny').state === 'incompatible') {
    return 'capped-cpu: An incompatible rctl already exists for this property';
  }
  const cap = parseNcpusCap(ncpus);
  if (cap === undefined) return 'ncpus property is out of range.';
  const current = readAliasedRctl(cfg, CPU_CAP_RCTL, 'deny');
  if (current.state === 'set' && current.limit === BigInt(cap)) return undefined;
  writeAliasedRctl(cfg, CPU_CAP_RCTL, 'deny', BigInt(cap));
  return undefined;
}

export function removeCappedCpu(cfg: ZoneConfig): string | undefined {
  if (readAliasedRctl(cfg, CPU_CAP_RCTL, 'deny').state !== 'set') return 'remove capped-cpu: No such resource type';
  removeRctl(cfg, CPU_CAP_RCTL);
  return undefined;
}

// ------------------------------------------------------------------ capped-memory

function storedPhysical(cfg: ZoneConfig): number | undefined {
  const r = cfg.resources.find((x) => x.type === 'capped-memory');
  const v = r?.props.physical;
  return typeof v === 'string' && v !== '' ? Number(v) : undefined;
}

export function readCappedMemory(cfg: ZoneConfig): Resource | undefined {
  const props: Record<string, string> = {};
  const physical = storedPhysical(cfg);
  if (physical !== undefined) props.physical = formatSize(physical);
  const swap = readAliasedRctl(cfg, MAX_SWAP_RCTL, 'deny');
  if (swap.state === 'set') props.swap = formatSize(Number(swap.limit));
  const locked = readAliasedRctl(cfg, MAX_LOCKED_RCTL, 'deny');
  if (locked.state === 'set') props.locked = formatSize(Number(locked.limit));
  return Object.keys(props).length > 0 ? { type: 'capped-memory', props } : undefined;
}

/**
 * Bytes for a capped-memory text. The view shows rounded sizes (1000000000 bytes reads "954M"),
 * so a text equal to the printed form of the stored value keeps the stored value exactly.
 */
function sizeKeepingStored(text: string, stored: number | undefined): number | undefined {
  if (stored !== undefined && text === formatSize(stored)) return stored;
  return parseSize(text);
}

type Parsed = { bytes?: number; error?: string };

function parsePhysical(text: string | undefined, stored: number | undefined): Parsed {
  if (text === undefined) return {};
  const bytes = sizeKeepingStored(text, stored);
  if (bytes === undefined) return { error: POSITIVE_SIZE_EXPECTED };
  if (bytes < ONE_MB) return { error: 'physical value is too small.  It must be at least 1M.' };
  return { bytes };
}

function parseSwap(cfg: ZoneConfig, text: string | undefined, isGlobal: boolean): Parsed {
  if (text === undefined) return {};
  const current = readAliasedRctl(cfg, MAX_SWAP_RCTL, 'deny');
  if (current.state === 'incompatible') return { error: 'max-swap: An incompatible rctl already exists for this property' };
  const bytes = sizeKeepingStored(text, current.state === 'set' ? Number(current.limit) : undefined);
  if (bytes === undefined) return { error: POSITIVE_SIZE_EXPECTED };
  const minimum = (isGlobal ? 100 : 50) * ONE_MB;
  if (bytes < minimum) return { error: `swap value is too small.  It must be at least ${formatSize(minimum)}.` };
  return { bytes };
}

function parseLocked(cfg: ZoneConfig, text: string | undefined): Parsed {
  if (text === undefined) return {};
  const current = readAliasedRctl(cfg, MAX_LOCKED_RCTL, 'deny');
  if (current.state === 'incompatible') return { error: 'locked: An incompatible rctl already exists for this property' };
  const bytes = sizeKeepingStored(text, current.state === 'set' ? Number(current.limit) : undefined);
  if (bytes === undefined) return { error: NON_NEGATIVE_SIZE_EXPECTED };
  return { bytes };
}

function textProp(res: Resource, name: string): string | undefined {
  const v = res.props[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * Store a capped-memory view: a property absent from `res` is removed from cfg (that is how
 * `clear swap` in the resource scope reaches the rctl). Returns the first Solaris error, in the
 * order zonecfg would have reported them, and leaves cfg untouched on error.
 */
export function writeCappedMemory(cfg: ZoneConfig, res: Resource, opts: CappedOptions = {}): string | undefined {
  const physical = parsePhysical(textProp(res, 'physical'), storedPhysical(cfg));
  const swap = parseSwap(cfg, textProp(res, 'swap'), opts.isGlobal ?? false);
  const locked = parseLocked(cfg, textProp(res, 'locked'));
  const error = physical.error ?? swap.error ?? locked.error;
  if (error) return error;
  if (physical.bytes === undefined && swap.bytes === undefined && locked.bytes === undefined) {
    return 'No property was specified.  One of physical, swap or locked is required.';
  }
  if (physical.bytes !== undefined && locked.bytes !== undefined && physical.bytes < locked.bytes) {
    return 'The locked cap must be less than or equal to the physical cap.';
  }
  storePhysical(cfg, physical.bytes);
  storeMemoryRctl(cfg, MAX_SWAP_RCTL, swap.bytes);
  storeMemoryRctl(cfg, MAX_LOCKED_RCTL, locked.bytes);
  return undefined;
}

function storePhysical(cfg: ZoneConfig, bytes: number | undefined): void {
  const i = cfg.resources.findIndex((r) => r.type === 'capped-memory');
  if (bytes === undefined) {
    if (i >= 0) cfg.resources.splice(i, 1);
    return;
  }
  const res: Resource = { type: 'capped-memory', props: { physical: String(bytes) } };
  if (i >= 0) cfg.resources[i] = res;
  else cfg.resources.push(res);
}

/** An explicit (incompatible) rctl of the same name is never touched by the capped view. */
function storeMemoryRctl(cfg: ZoneConfig, rctl: string, bytes: number | undefined): void {
  const current = readAliasedRctl(cfg, rctl, 'deny');
  if (bytes !== undefined) {
    if (current.state === 'set' && current.limit === BigInt(bytes)) return;
    writeAliasedRctl(cfg, rctl, 'deny', BigInt(bytes));
  } else if (current.state === 'set') {
    removeRctl(cfg, rctl);
  }
}

export function removeCappedMemory(cfg: ZoneConfig): string | undefined {
  if (!readCappedMemory(cfg)) return 'remove capped-memory: No such resource type';
  storePhysical(cfg, undefined);
  storeMemoryRctl(cfg, MAX_SWAP_RCTL, undefined);
  storeMemoryRctl(cfg, MAX_LOCKED_RCTL, undefined);
  return undefined;
}
