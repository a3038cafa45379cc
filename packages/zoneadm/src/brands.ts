/**
 * Loads the brand installers (`@zones/core/brands/index`: installerFor, defaultProfile,
 * hashPassword) on demand. `ZONES_INSTALLER_MODULE=/path/to/module.js` substitutes a module with
 * the same exports, for development and tests (a test installer that builds a root from a
 * directory); functions it does not export come from the real brands module.
 */
import { pathToFileURL } from 'node:url';
import type { BrandsApi } from '@zones/core/zoneadm/install';
import { ZoneadmError } from '@zones/core/zoneadm/errors';

const BRANDS_MODULE = '@zones/core/brands/index';

async function tryImport(spec: string): Promise<Partial<BrandsApi> | undefined> {
  try {
    return (await import(spec)) as Partial<BrandsApi>;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return undefined;
    throw err;
  }
}

export async function loadBrands(): Promise<BrandsApi> {
  const override = process.env.ZONES_INSTALLER_MODULE;
  const mine = override ? await tryImport(pathToFileURL(override).href) : undefined;
  if (override && !mine) throw new ZoneadmError(`could not load installer module ${override}`);
  const real = mine && mine.installerFor && mine.defaultProfile && mine.hashPassword ? undefined : await tryImport(BRANDS_MODULE);
  const pick = <K extends keyof BrandsApi>(k: K): BrandsApi[K] => {
    const f = mine?.[k] ?? real?.[k];
    if (!f) throw new ZoneadmError('the brand installers are not available (packages/core/src/brands/index.ts)');
    return f;
  };
  return { installerFor: pick('installerFor'), defaultProfile: pick('defaultProfile'), hashPassword: pick('hashPassword') };
}
