/**
 * The three ways zonecfg takes commands (docs/reference.md#11-invocation-and-exit-status, docs/reference.md#12-lexical-rules): the interactive shell or a
 * pipe, `-f FILE` (stops at the first error, messages prefixed `On line N of FILE:`), and the
 * commands given as arguments (joined with spaces, continuing after an error). Returns the exit
 * status: 0 ok, 1 an error was seen or the configuration was left unsaved.
 */
import { readFileSync, statSync } from 'node:fs';
import { Session, type ConfigBackend, type SessionIO } from '../lang/session.js';
import { errnoText } from '../errno.js';

export interface OutputStreams {
  out(line: string): void;
  err(line: string): void;
}

function nonInteractiveIO(streams: OutputStreams): SessionIO {
  return {
    ...streams,
    // Questions are only asked at a terminal; every caller checks first.
    confirm: async () => false,
  };
}

export async function runArgvCommands(
  zonename: string,
  words: string[],
  backend: ConfigBackend,
  streams: OutputStreams,
  alternateRoot = false,
  live = false,
): Promise<number> {
  const session = new Session(backend, nonInteractiveIO(streams), { zonename, mode: 'argv', alternateRoot, live });
  await session.run(words.join(' ') + '\n');
  return session.finish();
}

export async function runCommandFile(
  zonename: string,
  file: string,
  backend: ConfigBackend,
  streams: OutputStreams,
  alternateRoot = false,
  readStdin: () => string = () => readFileSync(0, 'utf8'),
  live = false,
): Promise<number> {
  let text: string;
  try {
    if (file !== '-' && !statSync(file).isFile()) {
      streams.err(`${file} is not a regular file.`);
      return 1;
    }
    text = file === '-' ? readStdin() : readFileSync(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    streams.err(`could not open file ${file}: ${errnoText(err)}`);
    return 1;
  }
  const session = new Session(backend, nonInteractiveIO(streams), { zonename, mode: 'file', fileName: file, alternateRoot, live });
  // Processing stops at the first error; what was read so far is still committed at the end.
  await session.run(text.endsWith('\n') ? text : text + '\n');
  return session.finish();
}
