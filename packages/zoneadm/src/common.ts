/**
 * zoneadm messages and exit codes, free of oclif so the `list` fast path can use them too.
 */
import { altRootProblem } from '@zones/core/argv';
import { subUsageText } from '@zones/core/zoneadm/usage';

export const EXIT_OK = 0;
export const EXIT_ERR = 1;
export const EXIT_USAGE = 2;

/** Ends a subcommand with an exit status after its message has been printed. */
export class ZoneadmExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}

/** `zoneadm: [zone 'z': ]msg` on stderr (zoneadm.c zerror). */
export function zerror(targetZone: string | undefined, msg: string): void {
  const zone = targetZone !== undefined ? `zone '${targetZone}': ` : '';
  process.stderr.write(`zoneadm: ${zone}${msg}\n`);
}

export function die(targetZone: string | undefined, msg: string, code = EXIT_ERR): never {
  zerror(targetZone, msg);
  throw new ZoneadmExit(code);
}

/** Print a subcommand's usage and stop with `code` (2 for errors, 0 for `-?`). */
export function subUsage(subcommand: string, code = EXIT_USAGE): never {
  process.stderr.write(subUsageText(subcommand));
  throw new ZoneadmExit(code);
}

/** Validate -R as zoneadm main() does; returns the store root to use (undefined = ZONES_ROOT). */
export function checkRoot(targetZone: string | undefined, root: string | undefined): string | undefined {
  if (root === undefined) return undefined;
  const problem = altRootProblem(root);
  if (problem) die(targetZone, `${problem}.`);
  return root;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** -u syntax (`illegal UUID value specified`). */
export function checkUuid(targetZone: string | undefined, uuid: string | undefined): void {
  if (uuid !== undefined && uuid !== '' && !UUID_RE.test(uuid)) die(targetZone, 'illegal UUID value specified');
}

/** Run a subcommand body, turning ZoneadmExit into the exit status. */
export function exitStatus(fn: () => void): number {
  try {
    fn();
    return EXIT_OK;
  } catch (err) {
    if (err instanceof ZoneadmExit) return err.exitCode;
    throw err;
  }
}
