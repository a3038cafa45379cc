/**
 * `zoneadm export -t oci-bundle DIR`: an OCI runtime bundle from an installed zone, config.json
 * (oci/runtime-config.ts) and rootfs (oci/rootfs.ts), that `runc run` and `crun run` start with
 * the isolation of our boot (docs/scale.md). It is made beside DIR and renamed into place
 * (oci/export-dir.ts).
 */
import { chmodSync, chownSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { hostSyscallArches } from '../platform/syscalls.js';
import { zoneDevices } from '../runtime/devices.js';
import { writeFileAtomic } from '../store/atomic.js';
import { IdmapStore, idmapKey, type IdMap } from '../store/idmap.js';
import { faultPoint } from '../fault-points.js';
import { ZoneadmError, strerror } from '../zoneadm/errors.js';
import { discardExportDir, makeWorkDir, prepareExportDir, publishExportDir, zoneAreas } from './export-dir.js';
import { inheritedDirs, zoneEntrypoint } from './image-config.js';
import { BUNDLE_ROOTFS, runtimeConfig } from './runtime-config.js';
import { copyShifted } from './rootfs.js';
import type { ExportSubject } from './subject.js';

/**
 * The bundle directory: host root's, its group the zone root's host gid, mode 0710. The runtime
 * opens the rootfs as the zone's root (its host uid is not the owner), and no other user of the
 * host reaches the rootfs: its setuid files, run by a host user, would give that user the zone's
 * ids on the host, and with them the bundle's files.
 */
const BUNDLE_MODE = 0o710;

/** The zone's block: the one it boots with, given it now if it has never booted. */
function zoneBlock(subject: ExportSubject): IdMap {
  try {
    return new IdmapStore(subject.ctx.store.root).allocate(idmapKey(subject.entry));
  } catch (e) {
    throw new ZoneadmError(`no id block for the zone's user namespace: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export async function writeBundle(subject: ExportSubject, given: string): Promise<void> {
  const { ctx, entry, cfg } = subject;
  const zonepath = cfg.globals.zonepath || entry.zonepath;
  const root = join(zonepath, 'root');
  const inherited = inheritedDirs(cfg);
  const out = prepareExportDir(given, [zonepath, ...inherited], 'bundle', zoneAreas(ctx.store));
  const init = zoneEntrypoint(root, inherited, cfg.globals.bootargs ?? '');
  if (init.entrypoint === undefined) {
    throw new ZoneadmError(`${init.why}; another runtime needs an init of the zone's own: set bootargs to '-i PATH'.`);
  }
  const devices = zoneDevices(cfg, entry.name);
  const idmap = zoneBlock(subject);
  const facts = { name: entry.name, idmap, devices, init: { path: init.entrypoint, args: init.args }, arches: hostSyscallArches() };
  const { config, warnings } = runtimeConfig(cfg, facts);
  try {
    makeWorkDir(out, 0o700);
    chownSync(out.work, 0, idmap.gid);
    chmodSync(out.work, BUNDLE_MODE);
    mkdirSync(join(out.work, BUNDLE_ROOTFS));
    const shifted = await copyShifted(root, join(out.work, BUNDLE_ROOTFS), idmap);
    if (shifted.outOfRange > 0) {
      warnings.push(`${shifted.outOfRange} files were owned by ids beyond the zone's ${idmap.count}; they belong to its nobody in the bundle.`);
    }
    faultPoint('export:rootfs');
    writeFileAtomic(join(out.work, 'config.json'), `${JSON.stringify(config, null, 2)}\n`, 0o644);
    publishExportDir(out);
  } catch (e) {
    discardExportDir(out);
    if (e instanceof ZoneadmError) throw e;
    throw new ZoneadmError(`writing the bundle to ${given} failed: ${strerror(e).split('\n')[0]}`);
  }
  for (const w of warnings) ctx.io.err(`zoneadm: zone '${entry.name}': WARNING: ${w}\n`);
}
