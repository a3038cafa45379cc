/**
 * Which build of a CLI fast path a bin runs: the esbuild bundle (scripts/bundle.mjs, one module)
 * when it is at least as new as tsc's last build of that CLI and of core, else tsc's output (many
 * modules, but never stale). Used by the bins of all three CLIs; zonecfg has no bundle.
 */
import { statSync } from 'node:fs';

function mtime(url: URL): number {
  try {
    return statSync(url).mtimeMs;
  } catch {
    return NaN;
  }
}

/** The URL to import for `dist/<name>.js` of the CLI whose bin is at `binUrl` (its import.meta.url). */
export function fastPathModule(binUrl: string, name: string): string {
  const bundle = new URL(`../dist/bundle/${name}.js`, binUrl);
  const built = [new URL('../dist/.tsbuildinfo', binUrl), new URL('./.tsbuildinfo', import.meta.url)].map(mtime).filter((t) => !Number.isNaN(t));
  return (mtime(bundle) >= Math.max(0, ...built) ? bundle : new URL(`../dist/${name}.js`, binUrl)).href;
}
