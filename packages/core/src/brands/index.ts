/**
 * Which installer builds a zone's root (docs/brands.md#which-installer):
 *   any brand with `install -d PATH`      -> archive
 *   native with inherit-pkg-dirs          -> sparse (small zone)
 *   native without                        -> debootstrap on a Debian-family host, rinse on an RPM-family one
 *   debian                                -> debootstrap
 *   rpm                                   -> rinse
 * plus the default system profile and root password hashing.
 */
import type { ZoneConfig } from '../model/types.js';
import { runTool } from '../sys/tools.js';
import { ArchiveInstaller } from './archive.js';
import { DebootstrapInstaller } from './debootstrap.js';
import { distroFamily, readOsRelease } from './host.js';
import { RinseInstaller } from './rinse.js';
import { inheritedDirs, SparseInstaller } from './sparse.js';
import { InstallError, type InstallOptions, type Installer } from './types.js';

export { defaultProfile, applyProfile, validateProfile } from './sysconfig.js';
export { InstallError } from './types.js';
export type { InstallContext, InstallOptions, Installer, Progress, SystemProfile } from './types.js';

/** The installer for a zone of `brand` with `config`, given the install options. */
export function installerFor(brand: string, config: ZoneConfig, options: InstallOptions, hostRoot = '/'): Installer {
  if (options.source) return new ArchiveInstaller();
  switch (brand) {
    case 'native': {
      if (inheritedDirs(config).length > 0) return new SparseInstaller();
      const family = distroFamily(readOsRelease(hostRoot));
      if (family === 'debian') return new DebootstrapInstaller();
      if (family === 'rpm') return new RinseInstaller();
      throw new InstallError('cannot build a whole-root native zone on this distribution: use install -d with a root archive');
    }
    case 'debian':
      return new DebootstrapInstaller();
    case 'rpm':
      return new RinseInstaller();
    default:
      throw new InstallError(`unknown brand '${brand}'`);
  }
}

/**
 * A SHA-512 crypt(3) hash (`$6$...`) of `plain`, made by `openssl passwd -6` with the password on
 * standard input (never in argv, where `ps` would show it).
 */
export async function hashPassword(plain: string): Promise<string> {
  if (plain.includes('\n') || plain.includes('\r')) throw new InstallError('a password cannot contain a line break');
  const r = await runTool('openssl', ['passwd', '-6', '-stdin'], { input: `${plain}\n` });
  const hash = r.stdout.trim();
  if (!/^\$6\$[./A-Za-z0-9]+\$[./A-Za-z0-9]+$/.test(hash)) throw new InstallError('openssl passwd produced no SHA-512 hash');
  return hash;
}
