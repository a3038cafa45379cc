/**
 * Loads the brand installers (`@zones/core/brands/index`: installerFor, defaultProfile,
 * hashPassword) on demand. A program that embeds zoneadm may put other installers in their place
 * with {@link useInstallers} (the CLI tests do, from a bin of their own in test/fixtures); functions
 * it does not supply come from the real brands module. Nothing in the environment chooses code.
 */
import type { BrandsApi } from '@zones/core/zoneadm/install';
import { ZoneadmError } from '@zones/core/zoneadm/errors';

let substitute: Partial<BrandsApi> | undefined;

/** Installers to use instead of the real ones, for the rest of this process. */
export function useInstallers(api: Partial<BrandsApi>): void {
  substitute = api;
}

export async function loadBrands(): Promise<BrandsApi> {
  const mine = substitute;
  const complete = mine?.installerFor && mine.defaultProfile && mine.hashPassword;
  const real = complete ? undefined : ((await import('@zones/core/brands/index')) as Partial<BrandsApi>);
  const pick = <K extends keyof BrandsApi>(k: K): BrandsApi[K] => {
    const f = mine?.[k] ?? real?.[k];
    if (!f) throw new ZoneadmError('the brand installers are not available (packages/core/src/brands/index.ts)');
    return f;
  };
  return { installerFor: pick('installerFor'), defaultProfile: pick('defaultProfile'), hashPassword: pick('hashPassword') };
}
