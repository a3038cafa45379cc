/**
 * zonecfg's command line is Solaris getopt plus free command words (`zonecfg -z z create -b`),
 * which core reads and runs (core/src/zonecfg/main.ts); only --help and --version go back to the
 * bin for oclif. Not loading oclif for the everyday forms keeps startup near `node -e 0`.
 */
import { oclifAnswers, type ForOclif } from '@zones/core/argv';
import { zonecfgCli } from '@zones/core/zonecfg/main';
import { guardOutput } from '@zones/core/output';

/** For the bin: core's zonecfg with these arguments (after the program name), or oclif's turn. */
export async function main(argv: readonly string[]): Promise<number | ForOclif> {
  guardOutput('zonecfg');
  return oclifAnswers(argv) ? { oclif: [...argv] } : zonecfgCli(argv);
}
