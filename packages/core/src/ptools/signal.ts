/**
 * zpkill's signals: each selected process by its pid, checked to be the same process (its start
 * time) just before, so that a pid reused since the table was read is never signalled.
 */
import { signalProcess } from '../platform/proc-table.js';
import type { Proc } from './snapshot.js';

/** What stood in the way of each signal that was not sent: the errno code. */
export function signalAll(procs: readonly Proc[], signal: number): { pid: number; code: string }[] {
  const failed: { pid: number; code: string }[] = [];
  for (const p of procs) {
    const code = signalProcess(p.pid, p.starttime, signal);
    if (code !== undefined) failed.push({ pid: p.pid, code });
  }
  return failed;
}

/** strerror's words for what kill(2) can answer. */
export function killErrorText(code: string): string {
  switch (code) {
    case 'ESRCH':
      return 'No such process';
    case 'EPERM':
      return 'Operation not permitted';
    case 'EINVAL':
      return 'Invalid argument';
    default:
      return code;
  }
}
