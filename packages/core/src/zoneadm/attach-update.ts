/**
 * The rules of `zoneadm attach -u` and `-U` (update on attach, docs/reference.md#update-on-attach):
 * which releases may be attached with an update, and what the update can do on Linux.
 */
import { parseOsRelease } from '../brands/host.js';
import { readIn } from '../brands/fsutil.js';

export interface Release {
  id: string;
  version_id: string;
}

/**
 * -1, 0 or 1 as release `a` is older than, the same as or newer than `b`, both of one
 * distribution; undefined when they cannot be compared (another distribution, a version that is
 * not dotted numbers, one of the two without a version).
 */
export function compareReleases(a: Release, b: Release): -1 | 0 | 1 | undefined {
  if (a.id !== b.id) return undefined;
  if (a.version_id === b.version_id) return 0;
  const parts = (v: string) => (/^\d+(\.\d+)*$/.test(v) ? v.split('.').map(Number) : undefined);
  const pa = parts(a.version_id);
  const pb = parts(b.version_id);
  if (!pa || !pb) return undefined;
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? 0;
    const y = pb[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

const distText = (d: Release) => (d.version_id ? `${d.id} ${d.version_id}` : d.id);

/**
 * Why the zone's release (the host's when it was detached) does not fit this host, or undefined.
 * Without an update only the same release fits; with one (-u, -U), an older release of the
 * same distribution does too, a newer one never (Solaris: `Cannot attach to an earlier release
 * of the operating system`).
 */
export function releaseProblem(zone: Release, host: Release, update: boolean): string | undefined {
  const order = compareReleases(zone, host);
  if (order === 0) return undefined;
  const what = `the zone was detached from ${distText(zone)}; this system runs ${distText(host)}`;
  if (order === 1) return `Cannot attach to an earlier release of the operating system: ${what}`;
  if (order === -1 && update) return undefined;
  if (order === -1) return `${what} (attach -u updates the zone to this release)`;
  return what;
}

/** The command that upgrades a whole-root zone's own packages, by the zone's distribution. */
export function upgradeCommand(zoneRoot: string): string {
  const text = readIn(zoneRoot, 'etc/os-release') ?? readIn(zoneRoot, 'usr/lib/os-release') ?? '';
  const os = parseOsRelease(text);
  const ids = [os.ID ?? '', ...(os.ID_LIKE ?? '').split(/\s+/)].map((s) => s.toLowerCase());
  const has = (...names: string[]) => ids.some((id) => names.includes(id) || names.some((n) => n.endsWith('*') && id.startsWith(n.slice(0, -1))));
  if (has('debian', 'ubuntu')) return 'apt-get update && apt-get upgrade';
  if (has('fedora', 'rhel', 'centos', 'rocky', 'almalinux', 'ol', 'amzn')) return 'dnf upgrade';
  if (has('suse', 'opensuse*')) return 'zypper update';
  if (has('alpine')) return 'apk upgrade';
  if (has('arch')) return 'pacman -Syu';
  return "the zone's package manager";
}
