/**
 * zprstat [-cZ] [-u euidlist] [-U uidlist] [-p pidlist] [-z zonelist]
 *         [-s key | -S key] [-n nprocs[,nzones]] [interval [count]]   (docs/reference.md#83-zprstat)
 *
 * Solaris prstat -c with zones: a report on stdout every interval, count times (for ever
 * without a count), each from a fresh reading of the process table. Exit 0; 1 on any error.
 */
import { parsePrstatArgs, ZPRSTAT_USAGE } from '@zones/core/argv/zprstat';
import { hostAccounts } from '@zones/core/ptools/accounts';
import { prstatJson, prstatReport } from '@zones/core/ptools/prstat';
import { resolveZoneList, takeSnapshot, type Snapshot } from '@zones/core/ptools/snapshot';
import { runCli, say } from './cli.js';

export function main(argv: readonly string[]): Promise<number> {
  return runCli('zprstat', 1, async () => {
    const accounts = hostAccounts();
    const parsed = parsePrstatArgs(argv, accounts);
    if (!parsed.ok) {
      if (parsed.message !== undefined) say('zprstat', parsed.message);
      if (parsed.usage) process.stderr.write(`${ZPRSTAT_USAGE}\n`);
      return 1;
    }
    const req = parsed.request;
    let prev: Snapshot | undefined;
    let zones: Set<string> | undefined;
    for (let n = 0; req.count < 0 || n < req.count; n++) {
      if (n > 0) await new Promise((r) => setTimeout(r, req.interval * 1000));
      const cur = takeSnapshot();
      if (n === 0 && req.zoneFilter) {
        const r = resolveZoneList(req.zoneFilter, cur.zones);
        if ('unknown' in r) {
          say('zprstat', `unknown zone -- ${r.unknown}`);
          return 1;
        }
        zones = r.names;
      }
      process.stdout.write((req.json ? prstatJson : prstatReport)(req, cur, prev, accounts, zones));
      prev = cur;
    }
    return 0;
  });
}
