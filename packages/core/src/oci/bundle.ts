/**
 * `zoneadm export -t oci-bundle DIR`: an OCI runtime bundle from an installed zone, config.json
 * (oci/runtime-config.ts) and rootfs (oci/rootfs.ts), that `runc run` and `crun run` start with
 * the isolation of our boot (docs/scale.md). The bundle is made in a hidden sibling of DIR and
 * renamed into place at the end: a crash leaves that sibling, never a DIR that looks complete.
 */
import { chmodSync, chownSync, mkdirSync, readdirSync, renameSync, rmdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { processAlive } from '../platform/proc.js';
import { hostSyscallArches } from '../platform/syscalls.js';
import { zoneDevices } from '../runtime/devices.js';
import { writeFileAtomic } from '../store/atomic.js';
import { IdmapStore, idmapKey, type IdMap } from '../store/idmap.js';
import { faultPoint } from '../fault-points.js';
import { ZoneadmError, strerror } from '../zoneadm/errors.js';
import { removeTree } from '../zoneadm/fsutil.js';
import { BUNDLE_ROOTFS, runtimeConfig } from './runtime-config.js';
import { copyShifted } from './rootfs.js';
import type { ExportSubject } from './subject.js';
import { zoneInit } from './zone-init.js';

/**
 * The bundle directory: host root's, its group the zone root's host gid, mode 0710. The runtime
 * opens the rootfs as the zone's root (its host uid is not the owner), and no other user of the
 * host reaches the rootfs: its setuid files, run by a host user, would give that user the zone's
 * ids on the host, and with them the bundle's files.
 */
const BUNDLE_MODE = 0o710;

/** DIR must not exist, or be an empty directory (a user's `mkdir` first is fine). */
function checkTarget(dir: string): boolean {
  let st;
  try {
    st = statSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new ZoneadmError(`${dir}: ${strerror(e)}`);
  }
  if (!st.isDirectory()) throw new ZoneadmError(`${dir} exists and is not a directory.`);
  if (readdirSync(dir).length > 0) throw new ZoneadmError(`${dir} is not empty; an export writes a new directory.`);
  return true;
}

/** The zone's block: the one it boots with, given it now if it has never booted. */
function zoneBlock(subject: ExportSubject): IdMap {
  try {
    return new IdmapStore(subject.ctx.store.root).allocate(idmapKey(subject.entry));
  } catch (e) {
    throw new ZoneadmError(`no id block for the zone's user namespace: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The hidden sibling an export of `dir` works in, for the process `pid`. */
const workDir = (dir: string, pid: number) => join(dirname(dir), `.${basename(dir)}.export-${pid}`);

/** What an export of `dir` killed half-way left (its process is gone): removed before this one starts. */
function removeStaleWork(dir: string): void {
  const prefix = `.${basename(dir)}.export-`;
  let names: string[];
  try {
    names = readdirSync(dirname(dir));
  } catch {
    return;
  }
  for (const n of names) {
    const pid = Number(n.slice(prefix.length));
    if (n.startsWith(prefix) && Number.isSafeInteger(pid) && pid > 0 && !processAlive(pid)) removeTree(workDir(dir, pid));
  }
}

export async function writeBundle(subject: ExportSubject, target: string): Promise<void> {
  const { ctx, entry, cfg } = subject;
  const dir = resolve(target);
  const existed = checkTarget(dir);
  const root = join(cfg.globals.zonepath || entry.zonepath, 'root');
  const init = zoneInit(cfg, root);
  const devices = zoneDevices(cfg, entry.name);
  const idmap = zoneBlock(subject);
  const { config, warnings } = runtimeConfig(cfg, { name: entry.name, idmap, devices, init, arches: hostSyscallArches() });
  removeStaleWork(dir);
  const work = workDir(dir, process.pid);
  try {
    mkdirSync(work, { mode: BUNDLE_MODE });
    chownSync(work, 0, idmap.gid);
    chmodSync(work, BUNDLE_MODE);
    mkdirSync(join(work, BUNDLE_ROOTFS));
    const shifted = await copyShifted(root, join(work, BUNDLE_ROOTFS), idmap);
    if (shifted.outOfRange > 0) {
      warnings.push(`${shifted.outOfRange} files were owned by ids beyond the zone's ${idmap.count}; they belong to its nobody in the bundle.`);
    }
    faultPoint('export:rootfs');
    writeFileAtomic(join(work, 'config.json'), `${JSON.stringify(config, null, 2)}\n`, 0o644);
    if (existed) rmdirSync(dir);
    renameSync(work, dir);
  } catch (e) {
    try {
      removeTree(work);
    } catch {
      // a mount appeared inside it: left for the admin, named below
    }
    if (e instanceof ZoneadmError) throw e;
    throw new ZoneadmError(`writing the bundle failed: ${strerror(e)}`, 'zone', 1, [`${work} may be left; remove it.`]);
  }
  for (const w of warnings) ctx.io.err(`WARNING: ${w}\n`);
}
