#!/usr/bin/env node
// zonecfg entry point. Its command line is Solaris getopt plus free command words
// (`zonecfg -z z create -b`), which core parses itself; oclif answers only --help/--version.
// Not loading oclif for the everyday forms keeps startup near the floor of `node -e 0`.
const args = process.argv.slice(2);
if (args[0] === '--help' || args[0] === '--version') {
  const { execute } = await import('@oclif/core/execute');
  await execute({ args, dir: import.meta.url });
} else {
  const { zonecfgCli } = await import('@zones/core/zonecfg/main');
  process.exitCode = await zonecfgCli(args);
}
