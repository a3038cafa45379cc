#!/usr/bin/env node
// zpgrep entry point: src/zpgrep.ts (its esbuild bundle when fresh, core/src/fast-path.ts) answers the
// command line. POSIX getopt tools (`zpkill -9`): no oclif (docs/process-tools.md).
import { fastPathModule } from '@zones/core/fast-path';
const { main } = await import(fastPathModule(import.meta.url, 'zpgrep'));
process.exitCode = await main(process.argv.slice(2));
