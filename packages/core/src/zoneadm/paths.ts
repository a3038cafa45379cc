/** Host paths zoneadm uses besides the store's (docs/architecture.md#files-on-the-host). */
import { join } from 'node:path';
import { logDir, runDir, zonesRoot } from '../store/paths.js';

/**
 * The per-zone operation lock, separate from the config-store lock:
 * `$ZONES_ROOT/var/run/zones/.<z>.zoneadm.lock`. Not inside the zone's run directory: that
 * directory belongs to the runtime (its mkdir is the boot's lock, and a directory with no live
 * supervisor is removed as stale), while the operation lock is held across boot and halt.
 */
export function opLockPath(zone: string, root: string = zonesRoot()): string {
  return join(runDir(undefined, root), `.${zone}.zoneadm.lock`);
}

/** `$ZONES_ROOT/var/log/zones/<z>.install.log`: the full output of the last install. */
export function installLogPath(zone: string, root: string = zonesRoot()): string {
  return join(logDir(root), `${zone}.install.log`);
}

/** The detach manifest inside the zonepath. */
export const DETACHED_MANIFEST = 'SUNWdetached.yaml';

