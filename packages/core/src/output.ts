/**
 * Standard output and error of the three CLIs, treated as a C tool treats its own
 * (docs/architecture.md#output-faults). Every write of the program goes through
 * process.stdout/stderr (ours, oclif's), so one guard on each stream covers all of them:
 * - a closed pipe (EPIPE: `zoneadm list | head -1`) ends the program quietly with 141, the
 *   status a shell shows for a C tool killed by SIGPIPE;
 * - any other lost write (ENOSPC of a full disk or /dev/full, EBADF of a closed descriptor, EIO
 *   of a hung-up terminal) prints `<tool>: write error: <reason>` on stderr while stderr works,
 *   as GNU tools do, and ends with 1;
 * - a stdout or stderr the caller closed (`>&-`) is seen as Node leaves it, a read-write
 *   /dev/null (platform/proc standsInForClosedFd): its first write fails with EBADF.
 * The program ends at the first lost write, as a C tool killed by SIGPIPE would (zonecfg must not
 * go on reading commands for an output nobody reads), unless a state-changing command has
 * called deferOutputFaults(): then it runs to its end with its output dropped, so that its change
 * lands whole, and the exit status says the output was lost.
 */
import { standsInForClosedFd } from './platform/proc.js';
import { errnoText } from './errno.js';

/** The exit status for a closed pipe: 128 + SIGPIPE, what a shell reports for a C tool it killed. */
const EXIT_CLOSED_PIPE = 141;

const REASON: Record<string, string> = {
  EBADF: 'Bad file descriptor',
  EIO: 'Input/output error',
  EPIPE: 'Broken pipe',
};

interface Fault {
  fd: 1 | 2;
  code: string;
  reason: string;
}

/**
 * One state per process, not per copy of this module: zoneadm's bundled fast path and the oclif
 * command it hands over to each carry their own copy (scripts/bundle.mjs).
 */
const state: { tool: string; deferred: boolean; fault?: Fault } = ((globalThis as Record<symbol, unknown>)[
  Symbol.for('zones.output')
] ??= { tool: '', deferred: false }) as never;

function statusOf(f: Fault): number {
  return f.code === 'EPIPE' ? EXIT_CLOSED_PIPE : 1;
}

/** Reports the lost output (on stderr, unless that is what was lost or a pipe just closed). */
function report(f: Fault): void {
  if (f.fd === 2 || f.code === 'EPIPE') return;
  try {
    process.stderr.write(`${state.tool}: write error: ${f.reason}\n`);
  } catch {
    // stderr is gone as well
  }
}

function lost(fd: 1 | 2, e: NodeJS.ErrnoException): void {
  if (state.fault) return;
  const code = e.code ?? 'EIO';
  const f = (state.fault = { fd, code, reason: REASON[code] ?? errnoText(e) });
  if (state.deferred) return;
  report(f);
  process.exit(statusOf(f));
}

type Write = NodeJS.WriteStream['write'];

function guard(stream: NodeJS.WriteStream, fd: 1 | 2): void {
  const write = stream.write as (...a: unknown[]) => boolean;
  let checked = false;
  stream.write = function (this: NodeJS.WriteStream, ...args: unknown[]): boolean {
    const done = args.find((a): a is () => void => typeof a === 'function');
    const dropped = () => {
      if (done) process.nextTick(done);
      return true;
    };
    // Nothing to lose (oclif's flush writes ''), and /dev/full refuses even that.
    if ((args[0] as string | Uint8Array).length === 0) return dropped();
    if (!checked) {
      checked = true;
      if (standsInForClosedFd(fd)) lost(fd, Object.assign(new Error('EBADF'), { code: 'EBADF' }));
    }
    if (state.fault?.fd === fd) return dropped();
    try {
      // A failed write's callback gets no error: the fault is ours to report, not the caller's to throw.
      return write.apply(this, done ? args.map((a) => (a === done ? () => done() : a)) : args);
    } catch (e) {
      lost(fd, e as NodeJS.ErrnoException);
      return dropped();
    }
  } as Write;
  // A failed write comes back as an 'error' event (at once for files and devices, later for pipes
  // and terminals), which goes to lost() alone: oclif's own listener rethrows anything but EPIPE
  // as an uncaught exception.
  const emit = stream.emit as (...a: unknown[]) => boolean;
  stream.emit = function (this: NodeJS.WriteStream, event: unknown, ...rest: unknown[]): boolean {
    if (event !== 'error') return emit.call(this, event, ...rest);
    lost(fd, rest[0] as NodeJS.ErrnoException);
    return true;
  } as NodeJS.WriteStream['emit'];
}

/** Guards stdout and stderr for `name` (`zonecfg`, `zoneadm`, `zlogin`); call first thing. */
export function guardOutput(name: string): void {
  if (state.tool !== '') return;
  state.tool = name;
  guard(process.stdout, 1);
  guard(process.stderr, 2);
  process.on('exit', (code) => {
    const f = state.fault;
    if (!f) return;
    if (state.deferred) report(f);
    if (code === 0) process.exitCode = statusOf(f);
  });
}

/** From here on a lost write no longer ends the program: the command finishes, then fails. */
export function deferOutputFaults(): void {
  state.deferred = true;
}
