/**
 * The small (sparse-root) zone: the inherit-pkg-dirs (normally /usr) are bind-mounted read-only
 * from the global zone at boot, so the install only builds what the zone owns: a copy of the
 * host's /etc with the host's identity taken out, a /var skeleton, /tmp, /root, /home, mount
 * points, an empty directory per inherit-pkg-dir and the host's merged-/usr links. A few MiB in
 * all, in well under a second.
 */
import {
  chmodSync,
  copyFileSync,
  constants,
  lchownSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  symlinkSync,
  utimesSync,
  chownSync,
  type Stats,
} from 'node:fs';
import { join, posix } from 'node:path';
import { lstatIn, mkdirIn, pathIn, readIn, symlinkIn, writeIn } from './fsutil.js';
import { createSkeleton, prepareRoot, SPARSE_SKELETON } from './layout.js';
import {
  accountPolicy,
  applyProfile,
  filterGroup,
  filterGshadow,
  filterPasswd,
  filterShadow,
} from './sysconfig.js';
import { InstallError, type InstallContext, type Installer } from './types.js';
import type { ZoneConfig } from '../model/types.js';

/** Top-level links a merged-/usr host has; the zone gets the same ones (read from the host, not assumed). */
export const MERGED_USR_LINKS: readonly string[] = Object.freeze(['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32']);

/** Files of /etc that are never copied (relative to etc/): identity, accounts (rewritten filtered), state. */
const NOT_COPIED = new Set([
  'hostname',
  'hosts',
  'machine-id',
  'machine-info',
  'mtab',
  'fstab',
  'adjtime',
  'passwd',
  'group',
  'shadow',
  'gshadow',
  'passwd-',
  'group-',
  'shadow-',
  'gshadow-',
  'subuid',
  'subgid',
  'subuid-',
  'subgid-',
  '.pwd.lock',
  '.git',
  '.etckeeper',
  'security/opasswd',
]);

/** Files others may not read are the host's secrets and are dropped; these few are needed by /usr and kept. */
const PRIVATE_BUT_NEEDED = [/^sudoers$/, /^sudoers\.d\/[^/]+$/];

/** Why a path of the host's /etc is left out of the zone's copy, or undefined to copy it. */
export function etcExclusion(rel: string, st: Pick<Stats, 'mode' | 'isFile' | 'isDirectory' | 'isSymbolicLink'>): string | undefined {
  if (NOT_COPIED.has(rel)) return 'host identity or accounts';
  if (/^ssh\/ssh_host_[^/]*$/.test(rel)) return 'ssh host key';
  if (/^ssl\/private\/./.test(rel)) return 'private key';
  if (st.isDirectory() || st.isSymbolicLink()) return undefined;
  if (!st.isFile()) return 'not a regular file';
  if ((st.mode & 0o004) === 0 && !PRIVATE_BUT_NEEDED.some((r) => r.test(rel))) return 'readable by its owner only (secret)';
  return undefined;
}

export interface CopyStats {
  files: number;
  skipped: string[];
}

/** Copies the tree `src` into `dest` (which exists), links as links, owners, modes and file times kept. */
export function copyEtc(src: string, dest: string, stats: CopyStats, rel = ''): void {
  let names: string[];
  try {
    names = readdirSync(join(src, rel));
  } catch {
    stats.skipped.push(`${rel || '.'} (unreadable)`);
    return;
  }
  for (const name of names.sort()) {
    const r = rel ? `${rel}/${name}` : name;
    const from = join(src, r);
    const to = join(dest, r);
    let st: Stats;
    try {
      st = lstatSync(from);
    } catch {
      stats.skipped.push(`${r} (unreadable)`);
      continue;
    }
    const why = etcExclusion(r, st);
    if (why) {
      stats.skipped.push(`${r} (${why})`);
      continue;
    }
    try {
      if (st.isSymbolicLink()) {
        symlinkSync(readlinkSync(from), to);
        lchownSync(to, st.uid, st.gid);
      } else if (st.isDirectory()) {
        mkdirSync(to);
        chownSync(to, st.uid, st.gid);
        chmodSync(to, st.mode & 0o7777);
        copyEtc(src, dest, stats, r);
      } else {
        copyFileSync(from, to, constants.COPYFILE_FICLONE);
        chownSync(to, st.uid, st.gid);
        chmodSync(to, st.mode & 0o7777);
        utimesSync(to, st.atime, st.mtime);
        stats.files++;
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM' || code === 'ENOENT') {
        stats.skipped.push(`${r} (${code})`);
        continue;
      }
      throw err;
    }
  }
}

/** The inherit-pkg-dir directories of a configuration, as absolute normalised paths (`/usr/` is `/usr`). */
export function inheritedDirs(config: ZoneConfig): string[] {
  return config.resources
    .filter((r) => r.type === 'inherit-pkg-dir')
    .map((r) => r.props.dir)
    .filter((d): d is string => typeof d === 'string' && d !== '')
    .map((d) => posix.normalize(d).replace(/\/+$/, '') || '/');
}

function readHostFile(hostRoot: string, rel: string): string | undefined {
  try {
    return readFileSync(join(hostRoot, rel), 'utf8');
  } catch {
    return undefined;
  }
}

/** Writes filtered account files (system accounts only), keeping each host file's mode and group. */
function writeAccounts(root: string, hostRoot: string): void {
  const policy = accountPolicy(readHostFile(hostRoot, 'etc/login.defs'));
  const keep = (name: string, data: string, fallbackMode: number) => {
    let mode = fallbackMode;
    let gid = 0;
    try {
      const st = lstatSync(join(hostRoot, 'etc', name));
      mode = st.mode & 0o777;
      gid = st.gid;
    } catch {
      /* host has none: defaults */
    }
    writeIn(root, `etc/${name}`, data, { mode, uid: 0, gid });
  };
  const passwd = filterPasswd(readHostFile(hostRoot, 'etc/passwd') ?? '', policy);
  const group = filterGroup(readHostFile(hostRoot, 'etc/group') ?? '', policy, passwd.users);
  keep('passwd', passwd.text, 0o644);
  keep('group', group.text, 0o644);
  keep('shadow', filterShadow(readHostFile(hostRoot, 'etc/shadow') ?? '', passwd.users), 0o640);
  if (readHostFile(hostRoot, 'etc/gshadow') !== undefined) {
    keep('gshadow', filterGshadow(readHostFile(hostRoot, 'etc/gshadow')!, group.groups, passwd.users), 0o640);
  }
  for (const f of ['subuid', 'subgid']) {
    if (readHostFile(hostRoot, `etc/${f}`) !== undefined) keep(f, '', 0o644);
  }
}

export class SparseInstaller implements Installer {
  async install(ctx: InstallContext): Promise<void> {
    const { root, hostRoot } = ctx;
    const inherited = inheritedDirs(ctx.config);
    if (inherited.length === 0) throw new InstallError('a sparse-root zone needs at least one inherit-pkg-dir');
    for (const d of inherited) {
      let ok = false;
      try {
        ok = lstatSync(join(hostRoot, d)).isDirectory();
      } catch {
        /* reported below */
      }
      if (!ok) throw new InstallError(`could not verify inherit-pkg-dir ${d}: No such file or directory`);
    }
    const hostEtc = join(hostRoot, 'etc');
    let etcStat: Stats;
    try {
      etcStat = lstatSync(hostEtc);
    } catch {
      throw new InstallError(`${hostEtc}: No such file or directory`);
    }
    if (!etcStat.isDirectory()) throw new InstallError(`${hostEtc} is not a directory`);

    prepareRoot(root);
    ctx.progress.step('Creating the zone file system layout');
    createSkeleton(root, SPARSE_SKELETON);
    for (const d of inherited) mkdirIn(root, d, 0o755);
    for (const name of MERGED_USR_LINKS) {
      let target: string | undefined;
      try {
        target = readlinkSync(join(hostRoot, name));
      } catch {
        continue; // not a link on this host (or absent)
      }
      if (!lstatIn(root, name)) symlinkIn(root, name, target);
    }

    ctx.progress.step('Copying /etc from the global zone');
    mkdirIn(root, 'etc', etcStat.mode & 0o7777);
    const stats: CopyStats = { files: 0, skipped: [] };
    copyEtc(hostEtc, join(root, 'etc'), stats);
    ctx.progress.log(`sparse: copied ${stats.files} files of ${hostEtc}; left out:\n${stats.skipped.map((s) => `  ${s}\n`).join('')}`);

    ctx.progress.step('Removing the global zone identity');
    writeAccounts(root, hostRoot);
    writeIn(root, 'etc/fstab', '# <file system> <mount point> <type> <options> <dump> <pass>\n');
    symlinkIn(root, 'etc/mtab', '../proc/self/mounts');

    ctx.progress.step('Applying the system profile');
    applyProfile(root, ctx.profile);
    if (readIn(root, 'etc/shadow') === undefined) throw new InstallError('could not write the zone /etc/shadow');
  }
}

export interface RefreshStats {
  /** Entries of the host's /etc the zone did not have, now copied in. */
  added: string[];
  /** What could not be added, with why (a link or a file of the zone in the way). */
  leftOut: string[];
}

/**
 * `zoneadm attach -u` of a sparse zone (docs/reference.md#update-on-attach): its inherit-pkg-dirs
 * are the host's live, so what it still lacks is what its install took from the host and the
 * host's newer packages added since: a mount point per inherit-pkg-dir, the merged-/usr links
 * and the files of the host's /etc it does not have (new configuration the newer /usr expects).
 * Nothing the zone has is replaced. The zone root came from another host and may be hostile:
 * every write goes through the fsutil helpers, which never follow a link in the zone root.
 */
export function refreshSparseRoot(root: string, hostRoot: string, config: ZoneConfig): RefreshStats {
  const stats: RefreshStats = { added: [], leftOut: [] };
  const attempt = (rel: string, fn: () => void) => {
    try {
      fn();
      stats.added.push(rel);
    } catch (e) {
      stats.leftOut.push(`${rel} (${e instanceof Error ? e.message : String(e)})`);
    }
  };
  for (const d of inheritedDirs(config)) {
    const rel = d.replace(/^\/+/, '');
    if (!lstatIn(root, rel)) attempt(rel, () => mkdirIn(root, rel, 0o755));
  }
  for (const name of MERGED_USR_LINKS) {
    let target: string;
    try {
      target = readlinkSync(join(hostRoot, name));
    } catch {
      continue;
    }
    if (!lstatIn(root, name)) attempt(name, () => symlinkIn(root, name, target));
  }
  const walk = (rel: string) => {
    let names: string[];
    try {
      names = readdirSync(join(hostRoot, 'etc', rel));
    } catch {
      return;
    }
    for (const name of names.sort()) {
      const r = rel ? `${rel}/${name}` : name;
      let st: Stats;
      try {
        st = lstatSync(join(hostRoot, 'etc', r));
      } catch {
        continue;
      }
      if (etcExclusion(r, st)) continue;
      const mine = lstatIn(root, `etc/${r}`);
      if (mine) {
        if (st.isDirectory() && mine.isDirectory()) walk(r);
        continue;
      }
      const from = join(hostRoot, 'etc', r);
      attempt(`etc/${r}`, () => {
        if (st.isSymbolicLink()) {
          symlinkIn(root, `etc/${r}`, readlinkSync(from));
          lchownSync(pathIn(root, `etc/${r}`), st.uid, st.gid);
        } else if (st.isDirectory()) {
          mkdirIn(root, `etc/${r}`, st.mode & 0o7777);
          lchownSync(pathIn(root, `etc/${r}`), st.uid, st.gid);
        } else {
          writeIn(root, `etc/${r}`, readFileSync(from), { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid });
        }
      });
      if (st.isDirectory() && lstatIn(root, `etc/${r}`)?.isDirectory()) walk(r);
    }
  };
  if (lstatIn(root, 'etc')?.isDirectory()) walk('');
  return stats;
}
