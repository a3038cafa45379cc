/** Where the native helpers built by `npm run build:native` live. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * `packages/core/native/bin/<name>`, found through the @zones/core package itself, so the answer is
 * the same from core's src/ (tests), its dist/ and a CLI's bundle (scripts/bundle.mjs), whose
 * `import.meta.url` is the bundle's.
 */
export function nativeBinPath(name: string): string {
  const main = createRequire(import.meta.url).resolve('@zones/core'); // <core>/dist/index.js
  return join(dirname(dirname(main)), 'native', 'bin', name);
}
