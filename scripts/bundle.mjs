#!/usr/bin/env node
// Bundles the CLIs' fast paths (the `main` that bin/run.js loads, and what zoneadm's main loads
// beside it for list and the lifecycle subcommands: each apart, so that a list does not parse the
// runtime) from the tsc output into one ES module per entry. Node 20 spends 1-2 ms per ES module
// it loads; `zoneadm boot` loaded 41 of them, most of its time outside the zone's own work. Our own
// code (the CLI and @zones/core) is bundled; every npm package stays external and loads from
// node_modules as before. zonecfg is not bundled: core's store finds js-yaml relative to its own
// module, which in a bundle would be the bundle's, and its bin then runs tsc's output
// (core/src/fast-path.ts). Run after `tsc -b` (npm run build, pretest).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const ours = { name: 'externals', setup(b) {
  // bare specifiers other than @zones/* are npm packages: left to node_modules
  b.onResolve({ filter: /^[^./]/ }, (a) => (a.path.startsWith('@zones/') || a.path.startsWith('node:') ? undefined : { path: a.path, external: true }));
} };

const targets = [
  { pkg: 'zoneadm', entries: ['main', 'list-main', 'lifecycle-main'] },
  { pkg: 'zlogin', entries: ['main'] },
  { pkg: 'ptools', entries: ['zps', 'zpgrep', 'zpkill', 'zprstat'] },
  { pkg: 'zonestat', entries: ['main'] },
];
for (const t of targets) {
  const dist = join(repo, 'packages', t.pkg, 'dist');
  rmSync(join(dist, 'bundle'), { recursive: true, force: true }); // nothing of an earlier build stays
  await build({
    entryPoints: Object.fromEntries(t.entries.map((e) => [e, join(dist, `${e}.js`)])),
    outdir: join(dist, 'bundle'),
    bundle: true,
    // One file per entry: a lazy `await import()` of our own code is inlined (parsed at once, run when reached)
    format: 'esm',
    platform: 'node',
    target: 'node20',
    plugins: [ours],
    logLevel: 'warning',
  });
}
