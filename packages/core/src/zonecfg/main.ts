/**
 * What `zonecfg` does with its parsed options: choose the input mode, open the store, run.
 * Kept in core so the CLI only parses and prints.
 */
import { isAbsolute } from 'node:path';
import { statSync } from 'node:fs';
import { isValidZoneName, ZONE_NAME_RULE } from '../lang/zonename.js';
import { helpText, type HelpTopic } from '../lang/help.js';
import { storeBackend } from './backend.js';
import { runArgvCommands, runCommandFile } from './run.js';

export interface ZonecfgArgs {
  zone?: string;
  file?: string;
  root?: string;
  words: string[];
}

export function usageText(): string[] {
  return [
    'usage:\tzonecfg -z <zone>\t\t\t(interactive)',
    '\tzonecfg -z <zone> <command>',
    '\tzonecfg -z <zone> -f <command-file>',
  ];
}

const err = (l: string) => process.stderr.write(l + '\n');
const out = (l: string) => process.stdout.write(l + '\n');

export async function zonecfgMain(args: ZonecfgArgs): Promise<number> {
  if (args.zone === undefined) {
    if (args.words[0] === 'help') {
      const lines = helpText((args.words[1] ?? 'general') as HelpTopic);
      if (lines.length === 0) {
        err(`Unknown help subject ${args.words[1]}.`);
        for (const l of helpText('meta')) err(l);
        return 1;
      }
      for (const l of lines) out(l);
      return 0;
    }
    for (const l of usageText()) err(l);
    return 2;
  }
  if (args.root !== undefined) {
    if (!isAbsolute(args.root)) {
      err(`zonecfg: root path must be absolute: ${args.root}`);
      return 2;
    }
    try {
      if (!statSync(args.root).isDirectory()) throw new Error();
    } catch {
      err(`zonecfg: root path must be a directory: ${args.root}`);
      return 2;
    }
  }
  const zone = args.zone;
  if (zone !== 'global' && !isValidZoneName(zone)) {
    err(`${zone}: Bogus zone name`);
    for (const l of ZONE_NAME_RULE) err(l);
    return 2;
  }
  if (args.file !== undefined && args.words.length > 0) {
    for (const l of usageText()) err(l);
    return 2;
  }
  const backend = storeBackend(args.root);
  const streams = { out, err };
  if (args.file !== undefined) return runCommandFile(zone, args.file, backend, streams);
  if (args.words.length > 0) return runArgvCommands(zone, args.words, backend, streams);
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
