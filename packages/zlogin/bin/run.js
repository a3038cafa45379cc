#!/usr/bin/env node
// zlogin entry point. Only --help and --version load oclif; every other command line goes
// straight to zloginMain (getopt parsing as illumos zlogin, then core), which keeps the startup
// of `zlogin z cmd` near the floor of `node -e 0`.
import { fastPathModule } from '@zones/core/fast-path';

const args = process.argv.slice(2);
if (args[0] === '--help' || args[0] === '--version') {
  const { execute } = await import('@oclif/core/execute');
  await execute({ args, dir: import.meta.url });
} else {
  const { zloginMain } = await import(fastPathModule(import.meta.url, 'main'));
  process.exitCode = await zloginMain(args);
}
