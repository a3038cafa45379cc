#!/usr/bin/env node
// zpkill entry point: src/zpkill.ts (its esbuild bundle when fresh, core/src/fast-path.ts) answers the
// command line. POSIX getopt tools (`zpkill -9`): no oclif (docs/process-tools.md).
import { fastPathModule } from '@zones/core/fast-path';
const { main } = await import(fastPathModule(import.meta.url, 'zpkill'));
process.exitCode = await main(process.argv.slice(2));
