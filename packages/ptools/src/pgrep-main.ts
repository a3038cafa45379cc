/**
 * zpgrep and zpkill (docs/reference.md#82-zpgrep-and-zpkill): core reads the command line
 * (argv/zpgrep.ts) and the process table (ptools/snapshot.ts) and selects (ptools/pgrep.ts);
 * zpkill signals what was selected, by pid (ptools/signal.ts), and only as root of the global
 * zone. Exit 0 when something matched, 1 when nothing did, 2 for a bad command line, 3 when the
 * tool cannot run, as Solaris pgrep.
 */
import { parsePgrepArgs, ZPGREP_USAGE, ZPKILL_USAGE } from '@zones/core/argv/zpgrep';
import { hostAccounts } from '@zones/core/ptools/accounts';
import { compilePattern, pgrepOutput, selectPgrep } from '@zones/core/ptools/pgrep';
import { killErrorText, signalAll } from '@zones/core/ptools/signal';
import { resolveZoneList, takeSnapshot } from '@zones/core/ptools/snapshot';
import { hostRoot, readProcessEntry } from '@zones/core/platform/proc-table';
import { runCli, say } from './cli.js';

const E_MATCH = 0;
const E_NOMATCH = 1;
const E_USAGE = 2;
const E_ERROR = 3;

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
    const req = parsed.request;
    const re = req.pattern === undefined ? undefined : compilePattern(req.pattern, req.exact);
    if (re && !(re instanceof RegExp)) {
      say(tool, re.error);
      return E_USAGE;
    }
    // Another zone's processes are the global zone's root's to signal (Solaris: proc_zone).
    if (kill && !hostRoot()) {
      say(tool, 'only root in the global zone may signal processes');
      return E_ERROR;
    }
    const snap = takeSnapshot();
    let zones: Set<string> | undefined;
    if (req.zones) {
      const r = resolveZoneList(req.zones, snap.zones);
      if ('unknown' in r) {
        say(tool, `invalid zone name -- ${r.unknown}`);
        return E_USAGE;
      }
      zones = r.names;
    }
    const found = selectPgrep(req, snap.procs, { pid: process.pid, ppid: process.ppid }, zones, re);
    if (kill) for (const f of signalAll(found, req.signal)) say(tool, `Failed to signal pid ${f.pid}: ${killErrorText(f.code)}`);
    else process.stdout.write(pgrepOutput(req, found));
    return found.length > 0 ? E_MATCH : E_NOMATCH;
  });
}
