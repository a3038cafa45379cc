/**
 * `zoneadm clone [-m copy] SOURCE` (zoneadm.c clone_func / clone_copy): the target (configured)
 * gets a copy of the source's zonepath (installed, not running), made with reflinks where the
 * file system shares blocks, else copied; never hard links to the source. Then the copy gets its
 * own identity, and the target becomes installed. A failure removes what the clone added to the
 * target's zonepath and leaves the target configured; a crash leaves it incomplete (uninstall -F).
 */
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { faultPoint } from '../fault-points.js';
import { ZoneadmError, ZoneadmUsageError, strerror } from './errors.js';
import { mountsUnder } from '../platform/mounts.js';
import { copyTree, removeCreated, removeTree } from './fsutil.js';
import { giveIdentity } from './identity.js';
import { acquireOpLocks } from './oplock.js';
import { checkNoOperationInProgress, checkZoneName, precheck, sanityCheck, type OpContext } from './sanity.js';
import { loadConfig, requireVerified } from './verify.js';
import type { ZoneConfig } from '../model/types.js';

export interface CloneRequest {
  source: string;
  /** -m: only `copy` exists. */
  method?: string;
  /** Replaces the identity step (e.g. the brands' sysconfig); default giveIdentity. */
  identity?: (root: string, hostname: string) => unknown;
}

function ipds(cfg: ZoneConfig): string[] {
  return cfg.resources.filter((r) => r.type === 'inherit-pkg-dir').map((r) => String(r.props.dir ?? ''));
}

/** valid_ipd_clone: both zones must inherit the same directories. Returns the messages. */
export function ipdMismatches(source: string, s: ZoneConfig, target: string, t: ZoneConfig): string[] {
  const sd = ipds(s);
  const td = ipds(t);
  const out = sd.filter((d) => !td.includes(d)).map((d) => `inherit-pkg-dir '${d}' is not configured in zone ${target}.`);
  if (out.length === 0 && sd.length !== td.length) {
    out.push(`Zone ${target} is configured with inherit-pkg-dirs that are not configured in zone ${source}.`);
  }
  return out;
}

export async function cloneZone(ctx: OpContext, req: CloneRequest): Promise<void> {
  if (req.method !== undefined && req.method !== 'copy') throw new ZoneadmUsageError('clone');
  const target = precheck(ctx, 'clone').name;
  const source = checkZoneName(req.source, 'clone');
  if (!ctx.store.get(source)) throw new ZoneadmError(`${source}: could not get state: No such zone configured`, 'exec');
  checkNoOperationInProgress(ctx, source);

  const release = acquireOpLocks(ctx.store.root, [target, source], ctx.io);
  // The target's zonepath and parents, when validation made them: removed if the clone fails.
  const created: string[] = [];
  try {
    const entry = sanityCheck(ctx, 'clone');
    const tcfg = loadConfig(ctx, target);
    requireVerified(ctx, 'clone', entry, tcfg, created);

    const kstate = ctx.kernelState?.(source);
    if (kstate !== undefined) throw new ZoneadmError(`clone operation is invalid for ${kstate} zones.`);
    const sentry = ctx.store.get(source);
    if (!sentry) throw new ZoneadmError(`${source}: could not get state: No such zone configured`, 'exec');
    if (sentry.state !== 'installed') {
      throw new ZoneadmError(`zone ${source} is ${sentry.state}; installed is required.`, 'exec');
    }
    const scfg = loadConfig(ctx, source);
    if ((scfg.globals.brand || 'native') !== (tcfg.globals.brand || 'native')) {
      throw new ZoneadmError(`Zones '${source}' and '${target}' have different brand types.`, 'exec');
    }
    const ipd = ipdMismatches(source, scfg, target, tcfg);
    if (ipd.length > 0) {
      for (const m of ipd) ctx.io.err(`${m}\n`);
      throw new ZoneadmError('', 'reported');
    }
    const szp = scfg.globals.zonepath;
    const tzp = tcfg.globals.zonepath;
    const mounts = mountsUnder(szp);
    if (mounts.length > 0) {
      throw new ZoneadmError(`These file systems are mounted on subdirectories of ${szp}.`, 'zone', 1, mounts.map((m) => `  ${m}`));
    }

    // A root that is a symbolic link would be copied as one, and the identity written through it.
    const sroot = join(szp, 'root');
    if (!isRealDir(sroot)) throw new ZoneadmError(`${sroot} is not a directory.`, 'bare');

    const before = new Set(readdirSync(tzp));
    faultPoint('clone:verified');
    ctx.store.setState(target, 'incomplete');
    faultPoint('clone:incomplete');
    try {
      ctx.io.out(`Copying ${szp}...`);
      try {
        await copyTree(szp, tzp);
      } catch (err) {
        ctx.io.out('\n');
        throw new ZoneadmError(`copy failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      ctx.io.out('\n');
      faultPoint('clone:copied');
      await (req.identity ?? giveIdentity)(join(tzp, 'root'), target);
      faultPoint('clone:identity');
    } catch (err) {
      // A failure (not a crash, which leaves it incomplete for uninstall): what the clone added
      // to the target's zonepath is removed and the target is configured again.
      try {
        for (const n of readdirSync(tzp)) if (!before.has(n)) removeTree(join(tzp, n));
        removeCreated(created);
        ctx.store.setState(target, 'configured');
      } catch (e) {
        ctx.io.err(`zoneadm: zone '${target}': cleaning up zonepath failed: ${strerror(e)}\n`);
      }
      throw err;
    }
    ctx.store.setState(target, 'installed');
  } catch (err) {
    if (ctx.store.get(target)?.state === 'configured') removeCreated(created);
    throw err;
  } finally {
    release();
  }
}

function isRealDir(p: string): boolean {
  try {
    return lstatSync(p).isDirectory();
  } catch {
    return false;
  }
}
