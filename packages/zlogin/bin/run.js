#!/usr/bin/env node
// zlogin entry point. Only --help and --version load oclif; every other command line goes
// straight to zloginMain (getopt parsing as illumos zlogin, then core), which keeps the startup
// of `zlogin z cmd` near the floor of `node -e 0`.
import { statSync } from 'node:fs';

// The esbuild bundle of a fast path (scripts/bundle.mjs), unless tsc rebuilt something after it.
function fastPath(name) {
  const mtime = (rel) => { try { return statSync(new URL(rel, import.meta.url)).mtimeMs; } catch { return NaN; } };
  const built = Math.max(0, ...['../dist/.tsbuildinfo', '../../core/dist/.tsbuildinfo'].map(mtime).filter((t) => t === t));
  const fresh = mtime(`../dist/bundle/${name}.js`) >= built;
  return new URL(fresh ? `../dist/bundle/${name}.js` : `../dist/${name}.js`, import.meta.url).href;
}

const args = process.argv.slice(2);
if (args[0] === '--help' || args[0] === '--version') {
  const { execute } = await import('@oclif/core/execute');
  await execute({ args, dir: import.meta.url });
} else {
  const { zloginMain } = await import(fastPath('main'));
  process.exitCode = await zloginMain(args);
}
