#!/usr/bin/env node
// zonelab entry point: src/main.ts (tsc's output; zonelab is not on a fast path) answers the command line.
import { main } from '../dist/main.js';
process.exitCode = await main(process.argv.slice(2));
