/**
 * zlogin [-CEQ] [-e c] [-l user] zonename
 * zlogin [-nEQS] [-e c] [-l user] zonename utility [args...]      (docs/reference.md#5-zlogin)
 *
 * zlogin without oclif (only --help and --version go back to the bin for it, which keeps startup
 * lean): core reads the command line (argv/zlogin.ts), then core's zlogin checks the zone and
 * enters it (one exec of the native helper) or attaches to its console. Messages go to stderr as
 * `zlogin: <message>`; exit 2 usage, 1 failure, else the utility's status.
 */
import { oclifAnswers, type ForOclif } from '@zones/core/argv';
import { parseZloginArgs, USAGE } from '@zones/core/argv/zlogin';
import { ownArgumentBytes } from '@zones/core/platform/proc';
import { zlogin, zloginTarget } from '@zones/core/zlogin/login';
import { deferOutputFaults, guardOutput } from '@zones/core/output';

export { USAGE };

function zerror(msg: string): void {
  process.stderr.write(`zlogin: ${msg}\n`);
}

async function run(argv: readonly string[]): Promise<number> {
  // an argument that is not UTF-8 (-e $'\xff') is read again as bytes
  const parsed = parseZloginArgs(argv, argv.some((a) => a.includes('\uFFFD')) ? ownArgumentBytes() : undefined);
  if (!parsed.ok) {
    if (parsed.message !== undefined) zerror(parsed.message);
    if (parsed.usage) process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const r = parsed.request;
  const target = zloginTarget(r.zonename, { root: r.root, console: r.console });
  if (r.console) {
    const { consoleSession } = await import('@zones/core/zlogin/console');
    return consoleSession(target, { escape: r.escape, quiet: r.quiet, disconnectOnHalt: r.disconnectOnHalt });
  }
  // The session runs on to its end when zlogin's own lines (the banners) are lost; the command's
  // output does not pass through here (docs/architecture.md#output-faults).
  deferOutputFaults();
  return zlogin(
    target,
    {
      user: r.user,
      failsafe: r.failsafe,
      nullStdin: r.nullStdin,
      interactive: r.command.length === 0 && process.stdin.isTTY === true,
      escape: r.escape,
      command: r.command,
    },
    { quiet: r.quiet },
  );
}

/** Runs zlogin with these arguments (after the program name); resolves with the exit status. */
export async function zloginMain(argv: readonly string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (e) {
    zerror((e as Error).message); // a ZloginError's is the Solaris message
    return 1;
  }
}

/** For the bin: zloginMain, or oclif's turn. */
export async function main(argv: readonly string[]): Promise<number | ForOclif> {
  guardOutput('zlogin');
  return oclifAnswers(argv) ? { oclif: [...argv] } : zloginMain(argv);
}
