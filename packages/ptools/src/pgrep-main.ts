/**
 * zpgrep and zpkill (docs/reference.md#82-zpgrep-and-zpkill): core reads the command line
 * (argv/zpgrep.ts) and runs it (ptools/pgrep-run.ts); zpkill signals only as root of the
 * global zone. Exit 0 when something matched, 1 when nothing did, 2 for a bad command line, 3
 * when the tool cannot run, as Solaris pgrep.
 */
import { parsePgrepArgs, ZPGREP_USAGE, ZPKILL_USAGE } from '@zones/core/argv/zpgrep';
import { hostAccounts } from '@zones/core/ptools/accounts';
import { E_ERROR, E_USAGE, runPgrep } from '@zones/core/ptools/pgrep-run';
import { readProcessEntry } from '@zones/core/platform/proc-table';
import { runCli, say } from './cli.js';

export function pgrepMain(argv: readonly string[], kill: boolean): Promise<number> {
  const tool = kill ? 'zpkill' : 'zpgrep';
  return runCli(tool, E_ERROR, () => {
    const self = readProcessEntry(process.pid);
    const parsed = parsePgrepArgs(argv, kill, { pgrp: self?.pgid ?? 0, sid: self?.sid ?? 0, accounts: hostAccounts() });
    if (!parsed.ok) {
      for (const m of parsed.messages) say(tool, m);
      if (parsed.usage) process.stderr.write(`${kill ? ZPKILL_USAGE : ZPGREP_USAGE}\n`);
      return E_USAGE;
    }
    const r = runPgrep(parsed.request, { pid: process.pid, ppid: process.ppid });
    for (const m of r.messages) say(tool, m);
    process.stdout.write(r.stdout);
    return r.status;
  });
}
