/**
 * What `zonecfg` does with its command line (docs/research/zonecfg-behaviour.md section 3.1):
 * the usage and help forms, the root and zone-name checks, then one of the three input modes.
 * The line itself is read by argv/zonecfg.ts; the CLI hands over argv and sets the exit status.
 */
import { altRootProblem } from '../argv.js';
import { zonecfgLine, type ZonecfgArgs } from '../argv/zonecfg.js';
import { isValidZoneName } from '../lang/zonename.js';
import { SYNTAX_BLOCK, USAGE_BLOCK, helpFor, subcommandsBlock, META_BLOCK } from '../lang/help.js';
import { liveBackend, storeBackend } from './backend.js';
import type { ConfigBackend } from '../lang/session.js';
import { runArgvCommands, runCommandFile } from './run.js';
import { ZoneStoreError } from '../store/errors.js';

export type { ZonecfgArgs } from '../argv/zonecfg.js';

const err = (l: string) => process.stderr.write(l + '\n');
const out = (l: string) => process.stdout.write(l + '\n');

/** The whole program: argv in, exit status out. */
export async function zonecfgCli(argv: readonly string[]): Promise<number> {
  const line = zonecfgLine(argv);
  switch (line.kind) {
    case 'bare':
      [...USAGE_BLOCK, ...subcommandsBlock(false)].forEach(err);
      return 2;
    case 'help': {
      // zonecfg always exits 0 here
      const lines = helpFor(line.subject, undefined);
      if (lines) lines.forEach(out);
      else [`Unknown help subject ${line.subject}.  ${META_BLOCK[0]}`, ...META_BLOCK.slice(1)].forEach(err);
      return 0;
    }
    case 'explicit-usage':
      [...USAGE_BLOCK, ...subcommandsBlock(true)].forEach(out);
      return 2;
    case 'usage':
      [line.complaint, ...USAGE_BLOCK].forEach(err);
      return 2;
    case 'run':
      return zonecfgMain(line.args);
  }
}

export async function zonecfgMain(args: ZonecfgArgs): Promise<number> {
  const rootProblem = args.root !== undefined ? altRootProblem(args.root) : undefined;
  if (rootProblem) {
    err(`${rootProblem}: ${args.root}`);
    return 2;
  }
  if (args.zone === undefined) {
    USAGE_BLOCK.forEach(err);
    return 2;
  }
  const zone = args.zone;
  if (zone !== 'global' && !isValidZoneName(zone)) {
    [`${zone}: Bogus zone name`, '', ...SYNTAX_BLOCK].forEach(err);
    return 2;
  }
  try {
    return await runSession(zone, args);
  } catch (e) {
    // The store failed outside any one command (the index unreadable when the session opens).
    if (!(e instanceof ZoneStoreError)) throw e;
    err(`${zone}: ${e.message}`);
    return 1;
  }
}

async function runSession(zone: string, args: ZonecfgArgs): Promise<number> {
  let backend = storeBackend(args.root);
  if (args.live) {
    const refused = zone === 'global' ? 'the global zone has no live configuration (-r)' : await openLive(zone, args, (b) => (backend = b));
    if (refused) {
      err(`${zone}: ${refused}`);
      return 1;
    }
  }
  const streams = { out, err };
  const alternateRoot = args.root !== undefined;
  const live = args.live === true;
  if (args.words.length > 0) return runArgvCommands(zone, args.words, backend, streams, alternateRoot, live);
  if (args.file !== undefined) return runCommandFile(zone, args.file, backend, streams, alternateRoot, undefined, live);
  const { runRepl } = await import('../repl.js');
  const terminal = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const home = process.env.HOME;
  return runRepl({
    zonename: zone,
    backend,
    input: process.stdin,
    output: process.stdout,
    errorOutput: process.stderr,
    terminal,
    historyFile: home ? `${home}/.zonecfg_history` : undefined,
    live,
  });
}

/** The live backend of a running zone, or why there is none (a zone that is not running, not configured). */
async function openLive(zone: string, args: ZonecfgArgs, use: (b: ConfigBackend) => void): Promise<string | undefined> {
  if (!storeBackend(args.root).lookup(zone)) return 'No such zone configured';
  try {
    use(await liveBackend(zone, args.root));
    return undefined;
  } catch (e) {
    const { ZoneRuntimeError } = await import('../runtime/errors.js');
    if (e instanceof ZoneRuntimeError) return e.message;
    throw e;
  }
}
