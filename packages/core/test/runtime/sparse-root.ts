/**
 * A sparse zone root for runtime tests, made by hand in a few milliseconds: the directories a
 * zone needs, /usr left empty (it is inherited at boot), the host's top-level links (bin ->
 * usr/bin ...) and a copy of the host's /etc.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

export function prepareSparseRoot(zonepath: string): string {
  const zroot = join(zonepath, 'root');
  mkdirSync(zonepath, { recursive: true, mode: 0o700 });
  for (const dir of ['etc', 'var', 'tmp', 'root', 'dev', 'proc', 'sys', 'usr']) mkdirSync(join(zroot, dir), { recursive: true });
  for (const l of ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32']) {
    try {
      if (lstatSync(`/${l}`).isSymbolicLink()) symlinkSync(readlinkSync(`/${l}`), join(zroot, l));
    } catch {
      // not on this host
    }
  }
  execFileSync('cp', ['-a', '/etc/.', join(zroot, 'etc')]);
  return zroot;
}
