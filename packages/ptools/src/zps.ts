/**
 * zps [-aAdefjZ] [-o format] [-u userlist] [-U userlist] [-G grouplist]
 *     [-p proclist] [-g pgrplist] [-s sidlist] [-z zonelist]     (docs/reference.md#81-zps)
 *
 * Solaris ps with zones: core reads the command line (argv/zps.ts), the process table once
 * (ptools/snapshot.ts) and selects and formats (ptools/ps.ts). Exit 0 when a process was listed,
 * 1 otherwise and on any error, as ps.
 */
import { parseZpsArgs, ZPS_USAGE } from '@zones/core/argv/zps';
import { hostAccounts } from '@zones/core/ptools/accounts';
import { runZps } from '@zones/core/ptools/ps';
import { takeSnapshot } from '@zones/core/ptools/snapshot';
import { readHostFacts, readProcessEntry } from '@zones/core/platform/proc-table';
import { runCli, say } from './cli.js';

export function main(argv: readonly string[]): Promise<number> {
  return runCli('zps', 1, () => {
    const parsed = parseZpsArgs(argv, readHostFacts().pidMax);
    if (!parsed.ok) {
      for (const m of parsed.messages) say('zps', m);
      if (parsed.usage) process.stderr.write(`${ZPS_USAGE}\n`);
      return 1;
    }
    const snap = takeSnapshot();
    const self = readProcessEntry(process.pid);
    const r = runZps(parsed.request, snap, hostAccounts(), { ttyNr: self?.ttyNr ?? 0, euid: process.geteuid?.() ?? -1 });
    for (const m of r.errors) say('zps', m);
    if (r.usage) process.stderr.write(`${ZPS_USAGE}\n`);
    if (r.lines.length > 0) process.stdout.write(`${r.lines.join('\n')}\n`);
    return r.status;
  });
}
