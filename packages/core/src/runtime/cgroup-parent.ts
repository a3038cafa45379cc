/**
 * Where a ZONES_ROOT's zone cgroups live: `zones` for the real root (`/`), `zones.<hash of the
 * root>` for any other (tests, a second installation), so that two roots never share a zone's
 * cgroup. Light: zoneadm list loads it, and node:crypto (tens of ms to load) only for a root other
 * than `/`, and only when it is first asked.
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

export const DEFAULT_CGROUP_PARENT = 'zones';

export function zoneCgroupParent(root: string): string {
  const r = resolve(root);
  if (r === '/') return DEFAULT_CGROUP_PARENT;
  const { createHash } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return `${DEFAULT_CGROUP_PARENT}.${createHash('sha256').update(r).digest('hex').slice(0, 10)}`;
}
