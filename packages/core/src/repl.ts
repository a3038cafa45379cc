/**
 * The zonecfg shell on a stream: on a terminal it prompts (`zonecfg:NAME> `), completes with Tab,
 * keeps a persistent history and asks the Solaris y/[n] questions; on a pipe it reads commands
 * silently. Lines are queued so a confirmation question reads the next line of the same input.
 */
import { createInterface, type Interface } from 'node:readline';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { Session, type ConfigBackend } from './lang/session.js';
import { complete } from './lang/complete.js';

export interface ReplOptions {
  zonename: string;
  backend: ConfigBackend;
  input: Readable;
  output: Writable;
  errorOutput: Writable;
  /** Whether input and output are a terminal. */
  terminal: boolean;
  /** Where terminal history is kept (not used on pipes). */
  historyFile?: string;
  /** zonecfg -r: the running zone's live configuration. */
  live?: boolean;
}

const HISTORY_SIZE = 500;

/** Runs the shell until exit or end of input; resolves to the exit status. */
export async function runRepl(opts: ReplOptions): Promise<number> {
  const lines: string[] = [];
  let waiting: ((line: string | null) => void) | undefined;
  let closed = false;

  // Declared before the session so confirmations can use the same line queue.
  let rl: Interface;
  const nextLine = (): Promise<string | null> => {
    if (lines.length > 0) return Promise.resolve(lines.shift()!);
    if (closed) return Promise.resolve(null);
    return new Promise((resolve) => (waiting = resolve));
  };

  const session = new Session(
    opts.backend,
    {
      out: (l) => opts.output.write(l + '\n'),
      err: (l) => opts.errorOutput.write(l + '\n'),
      confirm: async (question) => {
        opts.output.write(question);
        const answer = await nextLine();
        if (answer === null) opts.output.write('\n');
        return /^y/i.test((answer ?? '').trim());
      },
    },
    { zonename: opts.zonename, mode: opts.terminal ? 'interactive' : 'stdin', live: opts.live },
  );

  rl = createInterface({
    input: opts.input,
    output: opts.terminal ? opts.output : undefined,
    terminal: opts.terminal,
    historySize: HISTORY_SIZE,
    history: opts.terminal ? loadHistory(opts.historyFile) : [],
    completer: opts.terminal ? (line: string) => complete(line, session.resourceScopeType, session.schema) : undefined,
  });
  rl.on('line', (line) => {
    if (waiting) {
      const w = waiting;
      waiting = undefined;
      w(line);
    } else lines.push(line);
  });
  rl.on('close', () => {
    closed = true;
    if (waiting) {
      const w = waiting;
      waiting = undefined;
      w(null);
    }
  });
  // ^C abandons the line being typed, as in Solaris; it never ends the shell.
  rl.on('SIGINT', () => {
    opts.output.write('^C\n');
    (rl as unknown as { line: string }).line = '';
    rl.setPrompt(session.prompt);
    rl.prompt();
  });

  session.greeting();
  for (;;) {
    if (opts.terminal) {
      rl.setPrompt(session.prompt);
      rl.prompt();
    }
    const line = await nextLine();
    if (line === null) {
      if (opts.terminal) opts.output.write('\n');
      const status = await session.finish();
      if (status >= 0) {
        rl.close();
        return status;
      }
      // The user declined to quit at end of input, but the input is gone: nothing more can come.
      return 1;
    }
    if (opts.terminal && line.trim() !== '') saveHistory(opts.historyFile, line);
    if (!(await session.run(line + '\n'))) {
      const status = await session.finish();
      if (status >= 0) {
        rl.close();
        return status;
      }
      // "really quit?" was answered no: keep reading.
    }
  }
}

function loadHistory(file: string | undefined): string[] {
  if (!file) return [];
  try {
    // readline wants the newest entry first.
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(-HISTORY_SIZE).reverse();
  } catch {
    return [];
  }
}

function saveHistory(file: string | undefined, line: string): void {
  if (!file) return;
  try {
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, line + '\n', { mode: 0o600 });
  } catch {
    // History is a convenience; a read-only home must not break the shell.
  }
}
