/**
 * One zpgrep or zpkill run after its command line was read (argv/zpgrep.ts): the pattern
 * compiled, the table read once, the zones resolved, the matches printed or signalled. Exit 0
 * something matched, 1 nothing did, 2 a bad pattern or zone, 3 not allowed (pgrep.h).
 */
import { hostRoot } from '../platform/proc-table.js';
import { compilePattern, pgrepOutput, selectPgrep, type PgrepCaller, type PgrepRequest } from './pgrep.js';
import { killErrorText, signalAll } from './signal.js';
import { resolveZoneList, takeSnapshot } from './snapshot.js';

export const E_MATCH = 0;
export const E_NOMATCH = 1;
export const E_USAGE = 2;
export const E_ERROR = 3;

export interface PgrepRun {
  stdout: string;
  /** stderr lines, without the tool's prefix */
  messages: string[];
  status: number;
}

export function runPgrep(req: PgrepRequest, caller: PgrepCaller, root?: string): PgrepRun {
  const done = (status: number, messages: string[] = [], stdout = ''): PgrepRun => ({ stdout, messages, status });
  const re = req.pattern === undefined ? undefined : compilePattern(req.pattern, req.exact);
  if (re && !(re instanceof RegExp)) return done(E_USAGE, [re.error]);
  // Another zone's processes are the global zone's root's to signal (Solaris: proc_zone).
  if (req.kill && !hostRoot()) return done(E_ERROR, ['only root in the global zone may signal processes']);
  const snap = takeSnapshot(root);
  let zones: Set<string> | undefined;
  if (req.zones) {
    const r = resolveZoneList(req.zones, snap.zones);
    if ('unknown' in r) return done(E_USAGE, [`invalid zone name -- ${r.unknown}`]);
    zones = r.names;
  }
  const found = selectPgrep(req, snap.procs, caller, zones, re);
  const status = found.length > 0 ? E_MATCH : E_NOMATCH;
  if (!req.kill) return done(status, [], pgrepOutput(req, found));
  return done(status, signalAll(found, req.signal).map((f) => `Failed to signal pid ${f.pid}: ${killErrorText(f.code)}`));
}
