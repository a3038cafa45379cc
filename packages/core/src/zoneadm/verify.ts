/**
 * `zoneadm verify` and the checks install/clone/move/detach/attach run first (zoneadm.c
 * verify_details, validate_zonepath, crosscheck_zonepaths, verify_handle), for the parts that
 * mean something on Linux. Messages are Solaris's; each goes to the stream zoneadm.c uses.
 */
import { existsSync, lstatSync, chmodSync, realpathSync, statSync, statfsSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { ZoneConfig } from '../model/types.js';
import type { IndexEntry } from '../store/index-file.js';
import { GLOBAL_ZONENAME } from '../store/index-file.js';
import { stateNum, type ZoneState } from '../model/states.js';
import { parseLimitpriv, privilegesWithoutEffect, type IpType } from '../model/privileges.js';
import { ZoneadmError, strerror } from './errors.js';
import { mountOf } from '../platform/mounts.js';
import { kernelPlaceOf } from '../platform/kernel-fs.js';
import { makeDirs, NotADirectoryPathError, removeCreated } from './fsutil.js';
import { DETACHED_MANIFEST } from './paths.js';
import { sanityCheck, type OpContext, type ZoneadmCommand } from './sanity.js';
import { deviceMatchProblems } from '../runtime/devices.js';
import { acquireOpLocks } from './oplock.js';
import { moveJournalPath } from './move-journal.js';
import { resourceControlWarnings } from './limits-check.js';

const TMPFS_MAGIC = 0x01021994;
const NFS_SUPER_MAGIC = 0x6969;

const S_IRUSR = 0o400, S_IWUSR = 0o200, S_IXUSR = 0o100;
const S_IRGRP = 0o040, S_IWGRP = 0o020, S_IXGRP = 0o010;
const S_IROTH = 0o004, S_IWOTH = 0o002, S_IXOTH = 0o001;
const BIT_NAMES: Record<number, string> = {
  [S_IRUSR]: 'owner readable', [S_IWUSR]: 'owner writable', [S_IXUSR]: 'owner executable',
  [S_IRGRP]: 'group readable', [S_IWGRP]: 'group writable', [S_IXGRP]: 'group executable',
  [S_IROTH]: 'world readable', [S_IWOTH]: 'world writable', [S_IXOTH]: 'world executable',
};

/** bad_mode_bit: the message if `bit` is not as required, else undefined. */
export function badModeBit(mode: number, bit: number, on: boolean, file: string): string | undefined {
  const set = (mode & bit) !== 0;
  if (set === on) return undefined;
  return on ? `${file} must be ${BIT_NAMES[bit]}.` : `${file} must not be ${BIT_NAMES[bit]}.`;
}

function zperror(ctx: OpContext, what: string, err: unknown): void {
  ctx.io.err(`zoneadm: ${what}: ${strerror(err)}\n`);
}

function realpathOrError(p: string): { path?: string; err?: NodeJS.ErrnoException } {
  try {
    return { path: realpathSync.native(p) };
  } catch (err) {
    return { err: err as NodeJS.ErrnoException };
  }
}

/**
 * crosscheck_zonepaths: no installed zone's zonepath may contain, or lie inside, `path`.
 * Returns false (after printing) on overlap.
 */
export function crosscheckZonepaths(ctx: OpContext, zone: string, path: string): boolean {
  for (const e of ctx.store.list()) {
    if (stateNum(e.state) < stateNum('installed')) continue;
    if (e.name === GLOBAL_ZONENAME || e.name === zone) continue;
    const zp = e.zonepath || ctx.store.readGlobals(e.name)?.zonepath || '';
    if (zp === '') continue;
    const r = realpathOrError(zp);
    if (r.err) {
      if (r.err.code !== 'ENOENT') {
        zperror(ctx, zp, r.err);
        return false;
      }
      ctx.io.out(`WARNING: zone ${e.name} is installed, but its zonepath ${zp} does not exist.\n`);
      continue;
    }
    const a = `${path}/`.replace(/\/+$/, '/');
    const b = `${r.path}/`.replace(/\/+$/, '/');
    const n = Math.min(a.length, b.length);
    if (a.slice(0, n) === b.slice(0, n)) {
      ctx.io.err(`${zone} zonepath (${path}) and ${e.name} zonepath (${r.path}) overlap.\n`);
      return false;
    }
  }
  return true;
}

function modeErrors(st: Stats, file: string, checks: Array<[number, boolean]>): string[] {
  return checks.map(([bit, on]) => badModeBit(st.mode, bit, on, file)).filter((m): m is string => m !== undefined);
}

/**
 * A zonepath on one of the kernel's file systems (proc, sysfs, cgroup...) or under /proc, /sys or
 * /dev: refused before anything is created there, in the words of the NFS refusal.
 */
function kernelPlaceProblem(path: string): string | undefined {
  const k = kernelPlaceOf(path);
  if (!k) return undefined;
  const where = k.fsType ? `on a ${k.fsType} file system` : `under ${k.tree}`;
  return `Zonepath ${path} is ${where}.\n\tA local file system must be used.`;
}

/**
 * A zonepath's `root` that is there but not a directory (a symbolic link above all: boot, clone's
 * identity step and the installers would work in its target, outside the zonepath). illumos
 * lstat()s it and says `is not a directory.`
 */
function rootProblem(rootpath: string): string | undefined {
  let rst: Stats;
  try {
    rst = lstatSync(rootpath);
  } catch {
    return undefined;
  }
  return rst.isDirectory() ? undefined : `${rootpath} is not a directory.`;
}

/**
 * validate_zonepath. `create`: install/clone/move create a missing zonepath (parents 0755, the
 * zonepath 0700), and push what they created onto `created` (so a failure can remove it); verify
 * only warns. Prints every problem; returns false on failure.
 */
export function validateZonepath(
  ctx: OpContext,
  zone: string,
  path: string,
  cmd: ZoneadmCommand,
  state: ZoneState,
  created: string[] = [],
): boolean {
  const err = (m: string) => ctx.io.err(`${m}\n`);
  if (!path.startsWith('/')) {
    err(`${path} is not an absolute path.`);
    return false;
  }
  const kernel = kernelPlaceProblem(path);
  if (kernel) {
    err(kernel);
    return false;
  }
  const r = realpathOrError(path);
  if (r.err) {
    if (r.err.code !== 'ENOENT' || !['verify', 'install', 'clone', 'move'].includes(cmd)) {
      zperror(ctx, path, r.err);
      return false;
    }
    if (cmd === 'verify') {
      err(
        `WARNING: ${path} does not exist, so it could not be verified.\n` +
          `When 'zoneadm install' is run, 'install' will try to create\n${path}, and 'verify' will be tried again,\n` +
          `but the 'verify' may fail if:\nthe parent directory of ${path} is group- or other-writable\nor\n` +
          `${path} overlaps with any other installed zones.`,
      );
      return true;
    }
    try {
      created.push(...makeDirs(path, 0o700));
    } catch (e) {
      if (e instanceof NotADirectoryPathError && e.symlink) ctx.io.err(`zoneadm: ${path}: Resolved path mismatch\n`);
      else zperror(ctx, e instanceof NotADirectoryPathError ? e.path : path, e instanceof NotADirectoryPathError ? { code: 'ENOTDIR' } : e);
      return false;
    }
    try {
      chmodSync(path, 0o700); // exactly, whatever the umask
    } catch (e) {
      zperror(ctx, path, e);
    }
    return validateZonepath(ctx, zone, path, cmd, state, created);
  }
  const rpath = r.path!;
  if (rpath !== path) {
    ctx.io.err(`zoneadm: ${path}: Resolved path mismatch\n`);
    return false;
  }
  let st: Stats;
  try {
    st = statSync(rpath);
  } catch (e) {
    zperror(ctx, rpath, e);
    return false;
  }
  if (!st.isDirectory()) {
    err(`${rpath} is not a directory.`);
    return false;
  }
  let fsType = 0;
  try {
    fsType = Number(statfsSync(rpath).type);
  } catch {
    /* unknown: no file-system warnings */
  }
  if (fsType === TMPFS_MAGIC) ctx.io.out(`WARNING: ${rpath} is on a temporary file system.\n`);
  if (!crosscheckZonepaths(ctx, zone, rpath)) return false;

  let bad = false;
  const report = (msgs: string[]) => {
    for (const m of msgs) err(m);
    if (msgs.length > 0) bad = true;
  };
  if (st.uid !== 0) report([`${rpath} is not owned by root.`]);
  report(modeErrors(st, rpath, [
    [S_IRUSR, true], [S_IWUSR, true], [S_IXUSR, true],
    [S_IRGRP, false], [S_IWGRP, false], [S_IXGRP, false],
    [S_IROTH, false], [S_IWOTH, false], [S_IXOTH, false],
  ]));

  const pr = realpathOrError(`${path}/..`);
  if (pr.err) {
    zperror(ctx, `${path}/..`, pr.err);
    return false;
  }
  const rppath = pr.path!;
  let pst: Stats;
  try {
    pst = statSync(rppath);
  } catch (e) {
    zperror(ctx, rppath, e);
    return false;
  }
  if (!pst.isDirectory()) {
    err(`${rppath} is not a directory.`);
    return false;
  }
  if (pst.uid !== 0) report([`${rppath} is not owned by root.`]);
  report(modeErrors(pst, rppath, [[S_IRUSR, true], [S_IWUSR, true], [S_IXUSR, true], [S_IWGRP, false], [S_IWOTH, false]]));
  if (rpath === rppath) report([`${rppath} is its own parent.`]);

  if (fsType === NFS_SUPER_MAGIC) {
    err(`Zonepath ${rpath} is on an NFS mounted file system.\n\tA local file system must be used.`);
    return false;
  }
  if (mountOf(rpath)?.options.includes('nosuid')) {
    err(`Zonepath ${rpath} is on a nosuid file system.`);
    return false;
  }

  // A root directory in the configured state: a detached zone, or debris.
  if (state === 'configured' && cmd !== 'attach') {
    const rootpath = `${rpath}/root`;
    let rst: Stats | undefined;
    try {
      rst = lstatSync(rootpath);
    } catch {
      rst = undefined;
    }
    if (rst) {
      if (existsSync(join(rpath, DETACHED_MANIFEST))) {
        err(`Cannot ${cmd} detached zone.\nUse attach or remove ${rpath} directory.`);
        return false;
      }
      if (!rst.isDirectory()) {
        err(`${rootpath} is not a directory.`);
        return false;
      }
      if (rst.uid !== 0) {
        err(`${rootpath} is not owned by root.`);
        return false;
      }
      if ((rst.mode & 0o777) !== 0o755) {
        err(`${rootpath} mode is not 0755.`);
        return false;
      }
    }
  } else {
    const root = rootProblem(`${rpath}/root`);
    if (root) {
      err(root);
      return false;
    }
  }
  return !bad;
}

/** verify_handle's checks that apply on Linux: fs specials, inherit-pkg-dirs, device matches, limitpriv. */
export function verifyHandle(ctx: OpContext, cfg: ZoneConfig, hostRoot = ''): boolean {
  let ok = true;
  const err = (m: string) => {
    ctx.io.err(`${m}\n`);
    ok = false;
  };
  for (const r of cfg.resources) {
    if (r.type !== 'fs') continue;
    const dir = String(r.props.dir ?? '');
    for (const key of ['special', 'raw'] as const) {
      const v = r.props[key];
      if (typeof v !== 'string' || v === '' || !v.startsWith('/')) continue;
      try {
        statSync(hostRoot + v);
      } catch (e) {
        err(`could not verify fs ${dir}: could not access ${v}: ${strerror(e)}`);
      }
    }
  }
  for (const r of cfg.resources) {
    if (r.type !== 'inherit-pkg-dir') continue;
    const dir = String(r.props.dir ?? '');
    try {
      statSync(hostRoot + dir);
    } catch (e) {
      err(`could not verify inherit-pkg-dir ${dir}: ${strerror(e)}`);
    }
  }
  for (const m of deviceMatchProblems(cfg)) err(m);
  const ipType: IpType = cfg.globals['ip-type'] === 'exclusive' ? 'exclusive' : 'shared';
  const lp = parseLimitpriv(cfg.globals.limitpriv ?? '', ipType);
  if (!lp.ok) for (const m of lp.errors) err(m);
  else {
    for (const p of privilegesWithoutEffect(lp.privileges)) {
      ctx.io.err(`WARNING: privilege "${p.name}" has no effect in a zone: ${p.why} (docs/security.md).\n`);
    }
  }
  return ok;
}

/** The zone's configuration, or a Solaris-style error. */
export function loadConfig(ctx: OpContext, zone: string): ZoneConfig {
  const cfg = ctx.store.load(zone);
  if (!cfg) throw new ZoneadmError(`${zone}: No such zone configured`, 'exec');
  return cfg;
}

/**
 * verify_details: the zonepath (except for attach) and the configuration against this system.
 * Prints every problem and, on failure, `zoneadm: zone <z> failed to verify`; returns success.
 */
export function verifyDetails(
  ctx: OpContext,
  cmd: ZoneadmCommand,
  entry: IndexEntry,
  cfg: ZoneConfig,
  created: string[] = [],
): boolean {
  const zone = entry.name;
  const zonepath = cfg.globals.zonepath;
  let ok = true;
  if (entry.zonepath !== '' && entry.zonepath !== zonepath) {
    ctx.io.err(
      `The configuration file has zonepath '${zonepath}',\nbut the index file has zonepath '${entry.zonepath}'.\n` +
        'These must match, so fix the incorrect entry.\n',
    );
    return false;
  }
  if (cmd !== 'attach' && !validateZonepath(ctx, zone, zonepath, cmd, entry.state, created)) {
    ctx.io.err(`could not verify zonepath ${zonepath} because of the above errors.\n`);
    ok = false;
  }
  if (!verifyHandle(ctx, cfg)) ok = false;
  // Boot and apply print these as they enforce the controls; verify says them beforehand.
  if (cmd === 'verify') for (const w of resourceControlWarnings(zone, cfg, ctx.store.root)) ctx.io.err(`WARNING: ${w}\n`);
  if (!ok) ctx.io.err(`zoneadm: zone ${zone} failed to verify\n`);
  return ok;
}

/**
 * verifyDetails as a step of another operation: throws (already reported) on failure. What it
 * created (a missing zonepath and its parents) is pushed onto `created`, and removed again here
 * when the verification fails after all.
 */
export function requireVerified(ctx: OpContext, cmd: ZoneadmCommand, entry: IndexEntry, cfg: ZoneConfig, created: string[] = []): void {
  const mine: string[] = [];
  const ok = verifyDetails(ctx, cmd, entry, cfg, mine);
  if (!ok) {
    removeCreated(mine);
    throw new ZoneadmError('', 'reported');
  }
  created.push(...mine);
}

/** `zoneadm verify`. Returns normally when the zone verifies. */
export function verifyZone(ctx: OpContext): void {
  const zone = sanityCheck(ctx, 'verify').name;
  // A move a crash interrupted is finished or undone first, unless another zoneadm holds the zone.
  if (existsSync(moveJournalPath(ctx.store.root, zone))) {
    try {
      acquireOpLocks(ctx.store.root, [zone], ctx.io)();
    } catch {
      /* busy: verify what is there */
    }
  }
  const entry = sanityCheck(ctx, 'verify');
  requireVerified(ctx, 'verify', entry, loadConfig(ctx, entry.name));
}
