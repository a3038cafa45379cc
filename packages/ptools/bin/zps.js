#!/usr/bin/env node
// zps entry point: src/zps.ts (its esbuild bundle when fresh, core/src/fast-path.ts) answers the
// command line. POSIX getopt tools (`zpkill -9`): no oclif (docs/process-tools.md).
import { fastPathModule } from '@zones/core/fast-path';
const { main } = await import(fastPathModule(import.meta.url, 'zps'));
process.exitCode = await main(process.argv.slice(2));
