/**
 * What the image config of a zone says (docs/oci-image.md#what-the-image-carries): the init our
 * boot would run as the entrypoint, the bootargs as the command, the environment our supervisor
 * gives the init, and the zone's configuration as labels.
 */
import { lstatSync, readlinkSync, statSync, type Stats } from 'node:fs';
import { join, posix } from 'node:path';
import { parseOsRelease } from '../brands/host.js';
import { readIn } from '../brands/fsutil.js';
import { exportConfig } from '../lang/render.js';
import type { ZoneConfig } from '../model/types.js';
import { bootPlan } from '../runtime/supervisor.js';
import type { IndexEntry } from '../store/index-file.js';
import { LABELS } from './layout.js';
import { ZONE_ENV } from '../model/proc-view.js';

/** The environment zoneadmd gives a zone's init, HOME aside (a runtime sets it from the user's passwd entry). */
export const IMAGE_ENV = ZONE_ENV.filter((e) => !e.startsWith('HOME='));

export { inheritedDirs } from '../brands/sparse.js';

/** The host file behind a path of the zone as booted: an inherit-pkg-dir's from the host, the rest from the root. */
function hostPathOf(root: string, inherited: readonly string[], p: string): string {
  return inherited.some((d) => p === d || p.startsWith(`${d}/`)) ? p : join(root, p);
}

/**
 * Resolves `path` as the zone sees it (symbolic links relative to the zone's root, as chroot
 * would): the host is never consulted outside the root and its inherit-pkg-dirs.
 */
function resolveInZone(root: string, inherited: readonly string[], path: string, hops = { n: 0 }): string | undefined {
  let cur = '/';
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      cur = posix.dirname(cur);
      continue;
    }
    const next = posix.join(cur, part);
    let st: Stats;
    try {
      st = lstatSync(hostPathOf(root, inherited, next));
    } catch {
      // The parents of an inherit-pkg-dir are made as mount points at boot.
      if (!inherited.some((d) => d.startsWith(`${next}/`))) return undefined;
      cur = next;
      continue;
    }
    if (!st.isSymbolicLink()) {
      cur = next;
      continue;
    }
    if (++hops.n > 40) return undefined;
    const target = readlinkSync(hostPathOf(root, inherited, next));
    const resolved = resolveInZone(root, inherited, target.startsWith('/') ? target : posix.join(cur, target), hops);
    if (resolved === undefined) return undefined;
    cur = resolved;
  }
  return cur;
}

function executableInZone(root: string, inherited: readonly string[], path: string): boolean {
  const real = resolveInZone(root, inherited, path);
  if (real === undefined) return false;
  try {
    const st = statSync(hostPathOf(root, inherited, real));
    return st.isFile() && (st.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

export interface ZoneInit {
  /** The init the image starts, or undefined when the zone boots only with our built-in zsched. */
  entrypoint?: string;
  /** Its arguments (the bootargs without `-i PATH`). */
  args: string[];
  /** Why there is no entrypoint. */
  why?: string;
}

/**
 * The init as our boot picks it (runtime/supervisor.ts bootPlan): `-i PATH`, else /sbin/init
 * where it is executable. A zone that would boot our built-in `zsched` gets no entrypoint: zsched
 * lives in our supervisor, not in the zone, and an image that pretended otherwise (`sleep`, a
 * shell) would start something the zone never runs.
 */
export function zoneEntrypoint(root: string, inherited: readonly string[], bootargs: string): ZoneInit {
  const plan = bootPlan(bootargs.trim() === '' ? [] : bootargs.trim().split(/\s+/));
  for (const init of plan.inits) {
    if (init === 'zsched') break;
    if (executableInZone(root, inherited, init)) return { entrypoint: init, args: plan.args };
  }
  const named = plan.inits.filter((i) => i !== 'zsched');
  return { args: plan.args, why: named.length ? `the zone has no executable ${named.join(' or ')}` : 'the zone boots the built-in zsched' };
}

/** The zone's distribution from its own /etc/os-release (read without following links). */
function zoneDistribution(root: string): string {
  const os = parseOsRelease(readIn(root, 'etc/os-release') ?? readIn(root, 'usr/lib/os-release') ?? '');
  return [os.ID ?? '', os.VERSION_ID ?? ''].filter((s) => s !== '').join(' ');
}

/** The image-spec architecture of a `uname -m`. */
function goArch(m: string): string {
  const map: Record<string, string> = { x86_64: 'amd64', aarch64: 'arm64', armv7l: 'arm', i686: '386', i386: '386', ppc64le: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
  return map[m] ?? m;
}

export interface ConfigInput {
  entry: IndexEntry;
  cfg: ZoneConfig;
  init: ZoneInit;
  diffId: string;
  created: string;
  architecture: string;
}

function imageLabels(entry: IndexEntry, cfg: ZoneConfig, init: ZoneInit, architecture: string, created: string): Record<string, string> {
  const root = join(cfg.globals.zonepath, 'root');
  return {
    [LABELS.config]: `${exportConfig(cfg).join('\n')}\n`,
    [LABELS.zonename]: entry.name,
    [LABELS.brand]: cfg.globals.brand || 'native',
    [LABELS.distribution]: zoneDistribution(root),
    [LABELS.architecture]: architecture,
    [LABELS.init]: init.entrypoint ?? 'zsched',
    'org.opencontainers.image.created': created,
    'org.opencontainers.image.title': entry.name,
    'org.opencontainers.image.description': `zone ${entry.name}, exported by zoneadm export -t oci-image`,
  };
}

/** The image config document (image-spec config.md). */
export function imageConfig(i: ConfigInput): Record<string, unknown> {
  const config: Record<string, unknown> = {
    Env: IMAGE_ENV,
    WorkingDir: '/',
    Labels: imageLabels(i.entry, i.cfg, i.init, i.architecture, i.created),
  };
  if (i.init.entrypoint !== undefined) {
    config.Entrypoint = [i.init.entrypoint];
    if (i.init.args.length > 0) config.Cmd = i.init.args;
  }
  return {
    created: i.created,
    architecture: goArch(i.architecture),
    os: 'linux',
    config,
    rootfs: { type: 'layers', diff_ids: [i.diffId] },
    history: [{ created: i.created, created_by: `zoneadm -z ${i.entry.name} export -t oci-image` }],
  };
}
