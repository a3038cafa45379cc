#!/usr/bin/env node
// zonestat entry point, the same few lines in every CLI: src/main.ts (its esbuild bundle when
// fresh, core/src/fast-path.ts) answers the command line, or hands it back for oclif to parse.
import { fastPathModule } from '@zones/core/fast-path';
const { main } = await import(fastPathModule(import.meta.url, 'main'));
const r = await main(process.argv.slice(2));
if (typeof r === 'number') process.exitCode = r;
else await (await import('@oclif/core/execute')).execute({ args: r.oclif, dir: import.meta.url });
