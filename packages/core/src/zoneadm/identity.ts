/**
 * A cloned root gets its own identity: host name and machine-id (a copy must never announce itself
 * as its source on the network or to systemd/D-Bus). Every write goes through brands/fsutil's writeIn, so
 * a symlink in the zone (say etc/hostname -> /etc/hostname) is replaced, never followed out to
 * the host.
 */
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { readIn, writeIn } from '../brands/fsutil.js';
import { randomMachineId } from '../brands/sysconfig.js';

/** Writes a file inside the root unless its path is unsafe (a symlinked parent); true if written. */
function writeFileInRoot(root: string, rel: string, data: string, mode = 0o644): boolean {
  try {
    writeIn(root, rel, data, { mode });
    return true;
  } catch {
    return false;
  }
}
const readFileInRoot = readIn;

function isRealFile(p: string): boolean {
  try {
    return lstatSync(p).isFile();
  } catch {
    return false;
  }
}

export interface IdentityResult {
  /** Files written, relative to the root. */
  written: string[];
  machineId: string;
}

/**
 * Give the zone root `root` the host name `hostname` and a new machine-id: `etc/hostname`,
 * the old name's tokens in `etc/hosts`, `etc/machine-id` and a real-file
 * `var/lib/dbus/machine-id`. Files whose path is not safe (symlinks) are skipped.
 */
export function giveIdentity(root: string, hostname: string): IdentityResult {
  const written: string[] = [];
  const machineId = randomMachineId();
  const oldName = readFileInRoot(root, 'etc/hostname')?.trim();
  if (writeFileInRoot(root, 'etc/hostname', `${hostname}\n`)) written.push('etc/hostname');
  if (oldName && oldName !== hostname) {
    const hosts = readFileInRoot(root, 'etc/hosts');
    if (hosts !== undefined) {
      const updated = hosts
        .split('\n')
        .map((line) => {
          if (line.trimStart().startsWith('#')) return line;
          return line.replace(/(\S+)/g, (tok, _m, offset: number) => {
            if (offset === line.search(/\S/)) return tok; // the address
            if (tok === oldName) return hostname;
            if (tok.startsWith(`${oldName}.`)) return hostname + tok.slice(oldName.length);
            return tok;
          });
        })
        .join('\n');
      if (updated !== hosts && writeFileInRoot(root, 'etc/hosts', updated)) written.push('etc/hosts');
    }
  }
  if (writeFileInRoot(root, 'etc/machine-id', `${machineId}\n`, 0o444)) written.push('etc/machine-id');
  if (isRealFile(join(root, 'var/lib/dbus/machine-id')) && writeFileInRoot(root, 'var/lib/dbus/machine-id', `${machineId}\n`, 0o444)) {
    written.push('var/lib/dbus/machine-id');
  }
  return { written, machineId };
}
