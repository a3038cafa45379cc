#!/usr/bin/env node
// zonesvc entry point: the zones service (docs/autoboot.md), run by the host's init system at
// start and stop through the absolute path `zonesvc install` wrote into the unit or script.
import { main } from '../dist/zonesvc-main.js';
process.exitCode = await main(process.argv.slice(2));
