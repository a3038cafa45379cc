#!/usr/bin/env node
// zlogin entry point: everything after the zone name belongs to the remote command, so a `--` is
// inserted after the first operand before oclif parses (`zlogin z uname -s` keeps its `-s`).
import { stopAtFirstOperand } from '@zones/core/argv';
import { execute } from '@oclif/core/execute';

await execute({ args: stopAtFirstOperand(process.argv.slice(2), ['e', 'l', 'R']), dir: import.meta.url });
