/**
 * The init an exported zone runs: the one our boot would pick (runtime/supervisor.ts bootPlan),
 * found in the zone's files as they will be seen, the zone's root with its inherit-pkg-dirs from
 * the host. Our built-in minimal init (zsched) lives in our supervisor, which an OCI runtime
 * does not have: a zone that would boot with it has to name an init of its own.
 */
import { lstatSync, readlinkSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { ZoneConfig } from '../model/types.js';
import { bootPlan } from '../runtime/supervisor.js';
import { splitBootargs } from '../runtime/lifecycle.js';
import { ZoneadmError } from '../zoneadm/errors.js';

/** Symbolic links followed before a name is taken for a loop (the kernel's MAXSYMLINKS). */
const MAX_LINKS = 40;

export interface ZoneInit {
  path: string;
  args: string[];
}

export const inheritedDirs = (cfg: ZoneConfig): string[] =>
  cfg.resources.flatMap((r) => (r.type === 'inherit-pkg-dir' && typeof r.props.dir === 'string' ? [r.props.dir] : []));

/**
 * Where the zone's absolute `path` is on this host: in an inherit-pkg-dir, the host's own file; else
 * under the zone root. Links are followed as the zone sees them (an absolute target starts again at
 * the zone's /), so nothing outside the zone's view is ever looked at. Undefined: no such file.
 */
export function hostPathOf(root: string, ipds: readonly string[], path: string): string | undefined {
  const place = (p: string) => (ipds.some((d) => p === d || p.startsWith(`${d}/`)) ? p : join(root, p));
  let parts = posix.normalize(path).split('/').filter(Boolean);
  let done: string[] = [];
  let links = 0;
  while (parts.length > 0) {
    const name = parts.shift()!;
    if (name === '..') {
      done.pop();
      continue;
    }
    const here = `/${[...done, name].join('/')}`;
    let st;
    try {
      st = lstatSync(place(here));
    } catch {
      return undefined;
    }
    if (!st.isSymbolicLink()) {
      done.push(name);
      continue;
    }
    if (++links > MAX_LINKS) return undefined;
    const target = readlinkSync(place(here));
    parts = [...target.split('/').filter(Boolean), ...parts];
    if (target.startsWith('/')) done = [];
  }
  return place(`/${done.join('/')}`);
}

function executable(hostPath: string | undefined): boolean {
  if (hostPath === undefined) return false;
  try {
    const st = statSync(hostPath);
    return st.isFile() && (st.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/** The zone's init and its arguments, from its bootargs, as a runtime is to start it. */
export function zoneInit(cfg: ZoneConfig, root: string): ZoneInit {
  const plan = bootPlan(splitBootargs(cfg.globals.bootargs ?? ''));
  const ipds = inheritedDirs(cfg);
  const path = plan.inits.find((i) => i.startsWith('/') && executable(hostPathOf(root, ipds, i)));
  if (path === undefined) {
    const named = plan.inits.filter((i) => i.startsWith('/'));
    throw new ZoneadmError(
      `${named.length > 0 ? `${named.join(', ')}: no such executable in the zone` : 'the zone boots the built-in minimal init'}; ` +
        "another runtime needs an init of the zone's own: set bootargs to '-i PATH'.",
    );
  }
  return { path, args: plan.args };
}
