/**
 * Where zones data lives on the host (docs/architecture.md#files-on-the-host). Every path hangs off ZONES_ROOT,
 * which defaults to `/`; tests point it at a fresh temporary directory.
 */
import { join } from 'node:path';

/** `$ZONES_ROOT`, or `/` when unset or empty. */
export function zonesRoot(): string {
  const r = process.env.ZONES_ROOT;
  return r === undefined || r === '' ? '/' : r;
}

/** `$ZONES_ROOT/etc/zones`: index, `<name>.yaml` configs and their lock files. */
export function configDir(root: string = zonesRoot()): string {
  return join(root, 'etc', 'zones');
}

/** `$ZONES_ROOT/etc/zones/index`. */
export function indexPath(root: string = zonesRoot()): string {
  return join(configDir(root), 'index');
}

/** The lock taken while rewriting the index: `$ZONES_ROOT/etc/zones/index.lock`. */
export function indexLockPath(root: string = zonesRoot()): string {
  return join(configDir(root), 'index.lock');
}

/** `$ZONES_ROOT/etc/zones/<name>.yaml`. */
export function configPath(name: string, root: string = zonesRoot()): string {
  return join(configDir(root), `${name}.yaml`);
}

/** `$ZONES_ROOT/etc/zones/<name>.lock`: serialises config writes of one zone. */
export function zoneLockPath(name: string, root: string = zonesRoot()): string {
  return join(configDir(root), `${name}.lock`);
}

/** `$ZONES_ROOT/var/run/zones`, or the runtime dir of one zone (`.../<name>/`). */
export function runDir(name?: string, root: string = zonesRoot()): string {
  const base = join(root, 'var', 'run', 'zones');
  return name === undefined ? base : join(base, name);
}

/** `$ZONES_ROOT/var/log/zones`. */
export function logDir(root: string = zonesRoot()): string {
  return join(root, 'var', 'log', 'zones');
}

/** `$ZONES_ROOT/var/log/zones/<name>.console.log`. */
export function consoleLogPath(name: string, root: string = zonesRoot()): string {
  return join(logDir(root), `${name}.console.log`);
}

/** `$ZONES_ROOT/var/cache/zones`: installer caches. */
export function cacheDir(root: string = zonesRoot()): string {
  return join(root, 'var', 'cache', 'zones');
}

/** `$ZONES_ROOT/var/lib/zones/labs`: the answers students record with `zonelab answer` (docs/labs/). */
export function labAnswersDir(root: string = zonesRoot()): string {
  return join(root, 'var', 'lib', 'zones', 'labs');
}
