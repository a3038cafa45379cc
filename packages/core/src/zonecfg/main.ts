/**
 * What `zonecfg` does with its command line (docs/research/zonecfg-behaviour.md section 3.1):
 * options, the usage and help forms, the zone-name check, then one of the three input modes.
 * Kept in core so the CLI only hands over argv and sets the exit status.
 */
import { isAbsolute } from 'node:path';
import { statSync } from 'node:fs';
import { isValidZoneName } from '../lang/zonename.js';
import { SYNTAX_BLOCK, USAGE_BLOCK, helpFor, subcommandsBlock, META_BLOCK } from '../lang/help.js';
import { storeBackend } from './backend.js';
import { runArgvCommands, runCommandFile } from './run.js';
import { exitQuietlyOnClosedPipe } from '../streams.js';

export interface ZonecfgArgs {
  zone?: string;
  file?: string;
  root?: string;
  words: string[];
}

/** Result of reading the options: the arguments, or what to print and the exit status. */
export type ParsedArgs = { ok: true; args: ZonecfgArgs } | { ok: false; stdout: string[]; stderr: string[]; status: number };

const err = (l: string) => process.stderr.write(l + '\n');
const out = (l: string) => process.stdout.write(l + '\n');

/** getopt("?f:R:z:") as zonecfg uses it: options first, the first other word starts the commands. */
export function parseZonecfgArgs(argv: readonly string[]): ParsedArgs {
  const args: ZonecfgArgs = { words: [] };
  const usage = (first?: string): ParsedArgs => ({
    ok: false,
    stdout: [],
    stderr: [...(first ? [first] : []), ...USAGE_BLOCK],
    status: 2,
  });
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    for (let j = 1; j < a.length; j++) {
      const ch = a[j]!;
      if (ch === '?') return { ok: false, stdout: [...USAGE_BLOCK, ...subcommandsBlock(true)], stderr: [], status: 2 };
      if (ch === 'z' || ch === 'f' || ch === 'R') {
        const value = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
        if (value === undefined) return usage(`zonecfg: option requires an argument -- ${ch}`);
        if (ch === 'z') args.zone = value;
        else if (ch === 'f') args.file = value;
        else args.root = value;
        break;
      }
      return usage(`zonecfg: illegal option -- ${ch}`);
    }
  }
  args.words = argv.slice(i);
  return { ok: true, args };
}

/** The whole program: argv in, exit status out. */
export async function zonecfgCli(argv: readonly string[]): Promise<number> {
  exitQuietlyOnClosedPipe();
  if (argv.length === 0) {
    [...USAGE_BLOCK, ...subcommandsBlock(false)].forEach(err);
    return 2;
  }
  if (argv[0] === 'help') {
    // A one-off help command with no zone; zonecfg always exits 0 here.
    const lines = helpFor(argv[1], undefined);
    if (lines) lines.forEach(out);
    else [`Unknown help subject ${argv[1]}.  ${META_BLOCK[0]}`, ...META_BLOCK.slice(1)].forEach(err);
    return 0;
  }
  const parsed = parseZonecfgArgs(argv);
  if (!parsed.ok) {
    parsed.stdout.forEach(out);
    parsed.stderr.forEach(err);
    return parsed.status;
  }
  return zonecfgMain(parsed.args);
}

export async function zonecfgMain(args: ZonecfgArgs): Promise<number> {
  if (args.root !== undefined) {
    if (!isAbsolute(args.root)) {
      err(`root path must be absolute: ${args.root}`);
      return 2;
    }
    let isDir = false;
    try {
      isDir = statSync(args.root).isDirectory();
    } catch {
      // reported below
    }
    if (!isDir) {
      err(`root path must be a directory: ${args.root}`);
      return 2;
    }
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
  const backend = storeBackend(args.root);
  const streams = { out, err };
  const alternateRoot = args.root !== undefined;
  if (args.words.length > 0) return runArgvCommands(zone, args.words, backend, streams, alternateRoot);
  if (args.file !== undefined) return runCommandFile(zone, args.file, backend, streams, alternateRoot);
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
  });
}
