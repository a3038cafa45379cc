/**
 * The directory an export writes (a bundle, an image layout): never over anything, never inside
 * what it reads, and never half there. The export is made in a hidden sibling,
 * `.<DIR>.partial-<pid>`, renamed to DIR once complete; what a killed export left is removed by
 * the next export to the same DIR (docs/recovery.md).
 */
import { mkdirSync, readdirSync, realpathSync, renameSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { changeableByOthers } from '../brands/fsutil.js';
import { processAlive } from '../platform/proc.js';
import type { ZoneStore } from '../store/zone-store.js';
import { ZoneadmError } from '../zoneadm/errors.js';
import { removeTree } from '../zoneadm/fsutil.js';

export interface ExportDir {
  /** DIR, absolute. */
  target: string;
  /** Where the export is made. */
  work: string;
}

/** Whether `p` is `dir` or lies under it, with the links of both resolved as far as they exist. */
function within(p: string, dir: string): boolean {
  const real = (x: string): string => {
    try {
      return realpathSync(x);
    } catch {
      return x === dirname(x) ? x : join(real(dirname(x)), basename(x));
    }
  };
  const rel = relative(real(dir), real(p));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

const prefixOf = (target: string) => `.${basename(target)}.partial-`;

/** The hidden siblings of DIR that exports which died (killed, a crash) left behind. */
function removeStale(target: string): void {
  let names: string[];
  try {
    names = readdirSync(dirname(target));
  } catch {
    return;
  }
  for (const n of names) {
    const pid = n.startsWith(prefixOf(target)) ? n.slice(prefixOf(target).length) : '';
    if (/^\d+$/.test(pid) && (Number(pid) === process.pid || !processAlive(Number(pid)))) removeTree(join(dirname(target), n));
  }
}

/**
 * Checks `given` as the target of an export that reads `sources` (the zonepath, the
 * inherit-pkg-dirs): it must not exist, or be an empty directory, and must not lie inside them.
 * Nor may it lie where a zone could change the path under the export: inside any zone's zonepath
 * or `fs` special (`zoneArea`; a zone's files carry root's ids on disk), or below a directory a
 * host user other than root may change.
 */
export function prepareExportDir(given: string, sources: readonly string[], what: string, zoneArea: readonly string[] = []): ExportDir {
  const target = resolve(given);
  const inside = sources.find((d) => within(target, d));
  if (inside !== undefined) throw new ZoneadmError(`${given}: the ${what} cannot be written inside ${inside}, which it holds`);
  const zone = zoneArea.find((d) => d !== '' && within(target, d));
  if (zone !== undefined) throw new ZoneadmError(`${given}: the ${what} cannot be written inside ${zone}, which a zone can change`);
  const open = changeableByOthers(dirname(target), false);
  if (open !== undefined) throw new ZoneadmError(`${given}: the ${what} cannot be written below ${open}, which users other than root can change`);
  try {
    const st = statSync(target);
    if (!st.isDirectory() || readdirSync(target).length > 0) throw new ZoneadmError(`${given}: directory exists and is not empty`);
  } catch (e) {
    if (e instanceof ZoneadmError) throw e;
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new ZoneadmError(`${given}: ${(e as Error).message}`);
  }
  removeStale(target);
  return { target, work: `${dirname(target)}/${prefixOf(target)}${process.pid}` };
}

/** Where the zones of `store` keep files a zone can change: their zonepaths and their fs specials. */
export function zoneAreas(store: ZoneStore): string[] {
  const out: string[] = [];
  for (const e of store.list()) {
    let cfg;
    try {
      cfg = store.load(e.name);
    } catch {
      cfg = undefined;
    }
    out.push(cfg?.globals.zonepath || e.zonepath);
    for (const r of cfg?.resources ?? []) if (r.type === 'fs' && typeof r.props.special === 'string' && r.props.special.startsWith('/')) out.push(r.props.special);
  }
  return out.filter((p) => p !== '' && p !== '/');
}

/** Makes the work directory, root's alone (never through a link planted at its name). */
export function makeWorkDir(d: ExportDir, mode = 0o700): void {
  mkdirSync(d.work, { mode });
}

/** The finished export takes DIR's place (rename replaces an empty directory in one step). */
export function publishExportDir(d: ExportDir): void {
  renameSync(d.work, d.target);
}

/** A failed export leaves nothing (a mount that appeared inside the work directory stops the removal). */
export function discardExportDir(d: ExportDir): void {
  try {
    removeTree(d.work);
  } catch {
    // left for the admin: the next export to DIR removes it
  }
}
