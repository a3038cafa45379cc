/**
 * zonestat [-z zonelist] [-r reslist] [-n namelist] [-T u|d|i] [-R reports] [-q]
 *          [-p [-P lines]] [-S cols] interval [duration [report]]      (docs/reference.md#9-zonestat)
 *
 * zonestat without oclif (only --help and --version go back to the bin for it): core reads the
 * command line (argv/zonestat.ts) and runs the sampling loop (core/zonestat/run.ts); this prints.
 * Errors as `zonestat: Error: <message>`; exit 2 usage (with the usage), 1 failure, 0 done.
 */
import { oclifAnswers, type ForOclif } from '@zones/core/argv';
import { parseZonestatArgs, zonestatUsage } from '@zones/core/argv/zonestat';
import { guardOutput } from '@zones/core/output';
import { zonesRoot } from '@zones/core/store/paths';

/** Runs zonestat with these arguments (after the program name); resolves with the exit status. */
export async function zonestatMain(argv: readonly string[]): Promise<number> {
  const parsed = parseZonestatArgs(argv);
  if (!parsed.ok) {
    if (parsed.explicit) {
      process.stdout.write(zonestatUsage());
      return 0;
    }
    for (const m of parsed.messages) process.stderr.write(`zonestat: Error: ${m}\n`);
    process.stderr.write(`${zonestatUsage()}\n`);
    return 2;
  }
  const stop = new AbortController();
  const quit = () => stop.abort();
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) process.on(s, quit);
  try {
    const { runZonestat } = await import('@zones/core/zonestat/run');
    await runZonestat(parsed.request, { root: zonesRoot(), write: (t) => process.stdout.write(t), signal: stop.signal });
    return 0;
  } catch (e) {
    process.stderr.write(`zonestat: Error: ${(e as Error).message}\n`);
    return 1;
  } finally {
    for (const s of signals) process.off(s, quit);
  }
}

/** For the bin: zonestatMain, or oclif's turn. */
export async function main(argv: readonly string[]): Promise<number | ForOclif> {
  guardOutput('zonestat');
  return oclifAnswers(argv) ? { oclif: [...argv] } : zonestatMain(argv);
}
