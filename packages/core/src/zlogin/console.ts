/**
 * `zlogin -C`: the zone console, through the per-zone supervisor's socket (runtime/console.ts).
 *
 * Solaris semantics: the console can be attached whenever the zone is installed. When the zone is
 * not in the kernel (no supervisor yet), the banner is printed at once and zlogin waits, polling
 * for the supervisor's socket; when the zone boots it attaches, shows zoneadmd's notice
 * (`[NOTICE: Zone booting up]`, `[NOTICE: Zone readied]`) and what the zone printed since zlogin
 * started waiting (from the console log, up to the offset at which the live output begins), then
 * the live console. When the zone halts the supervisor says `[NOTICE: Zone halted]` and the console
 * stays attached, waiting for the next boot, unless `disconnectOnHalt` (illumos -d: `[NOTICE: Zone
 * halted.  Disconnecting...]`). `~.` at the beginning of a line disconnects; one console user at
 * a time.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { connectConsole, ConsoleBusyError, type ConsoleConnection } from '../runtime/console.js';
import { consoleLogPath } from '../store/paths.js';
import { zoneRuntimeInfo } from '../runtime/state.js';
import { zloginError, type ZloginTarget } from './login.js';
import { DEFAULT_ESCAPE, EscapeFilter } from './escape.js';

export interface ConsoleOptions {
  /** The escape character (default `~`); null = none (-E). */
  escape?: number | null;
  /** -Q: no banners. */
  quiet?: boolean;
  /** -d: disconnect when the zone halts instead of waiting for it to boot again. */
  disconnectOnHalt?: boolean;
  /** How often to look for the supervisor while the zone is down (ms). */
  pollMs?: number;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

function logSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function readLog(path: string, from: number, to: number): Buffer {
  if (to <= from) return Buffer.alloc(0);
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(to - from);
    const n = readSync(fd, b, 0, b.length, from);
    return b.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * The notice illumos zoneadmd sends a waiting console client when the zone comes up; none while a
 * boot is still setting up the zone's network (the supervisor sends `booting up` when it starts init).
 */
function upNotice(c: ConsoleConnection): string | undefined {
  if (c.state === 'booting') return undefined;
  if (c.state === 'ready') return 'NOTICE: Zone readied';
  return c.bootargs ? `NOTICE: Zone booting up with arguments: ${c.bootargs}` : 'NOTICE: Zone booting up';
}

/** No supervisor answers (no socket, nobody listening): the zone is down, or its supervisor died. */
function notUp(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ECONNREFUSED' || /closed .* without answering/.test(String((e as Error).message));
}


/**
 * Runs a console session; resolves with zlogin's exit status (0) once the user disconnects (or,
 * with disconnectOnHalt, the zone halts). Rejects with ZloginError (Console is already in use by
 * process ID N.) when another client holds the console; the terminal is restored first.
 */
export async function consoleSession(target: ZloginTarget, opts: ConsoleOptions = {}): Promise<number> {
  const stdin = opts.stdin ?? process.stdin;
  const stdout = opts.stdout ?? process.stdout;
  const name = target.name;
  const log = consoleLogPath(name, target.root);
  const pollMs = opts.pollMs ?? 50;
  const tryConnect = async (): Promise<ConsoleConnection | undefined> => {
    try {
      return await connectConsole(name, { root: target.root, disconnectOnHalt: opts.disconnectOnHalt });
    } catch (e) {
      if (e instanceof ConsoleBusyError) throw zloginError.consoleBusy(e.pid);
      if (!notUp(e)) throw zloginError.console((e as Error).message);
      // A socket nobody listens on: the zone may run on while its supervisor, which owns the
      // console, is gone (killed); then there is no console until the zone is halted and booted
      // again (docs/architecture.md#running-halting-crashes). Else the zone is down: wait for the boot.
      if ((e as NodeJS.ErrnoException).code === 'ECONNREFUSED') {
        const rt = zoneRuntimeInfo(name, { root: target.root });
        if (rt && !rt.supervisorAlive && rt.state !== 'shutting_down') throw zloginError.console('Connection refused');
      }
      return undefined;
    }
  };

  // Connect before the banner, as illumos does: a busy console is an error without banners.
  let conn = await tryConnect();
  let waitingFrom = conn ? undefined : logSize(log);

  if (!opts.quiet) stdout.write(`[Connected to zone '${name}' console]\n`);
  const tty = stdin.isTTY === true;
  if (tty) stdin.setRawMode(true);
  const filter = new EscapeFilter(opts.escape === undefined ? DEFAULT_ESCAPE : opts.escape);

  return new Promise<number>((resolve, reject) => {
    let finished = false;
    let timer: NodeJS.Timeout | undefined;
    const sendSize = () => {
      if (conn && stdout.isTTY && stdout.rows && stdout.columns) conn.resize(stdout.rows, stdout.columns);
    };
    const finish = (err?: Error) => {
      if (finished) return;
      finished = true;
      if (timer) clearTimeout(timer);
      stdin.off('data', onInput);
      stdin.off('end', onEnd);
      stdout.off('resize', sendSize);
      if (conn) {
        conn.socket.removeAllListeners('close');
        conn.close();
      }
      if (tty) stdin.setRawMode(false);
      stdin.pause();
      if (err) return reject(err);
      if (!opts.quiet) stdout.write(`\n[Connection to zone '${name}' console closed]\n`);
      resolve(0);
    };
    const onInput = (d: Buffer) => {
      const r = filter.push(d);
      if (conn && r.data.length > 0) conn.write(r.data);
      if (r.disconnect) {
        stdout.write(r.disconnect);
        finish();
      }
    };
    const onEnd = () => finish();
    const attach = (c: ConsoleConnection) => {
      conn = c;
      if (waitingFrom !== undefined) {
        // The zone came up while we waited: zoneadmd's notice, what it printed so far, then live.
        const notice = upNotice(c);
        if (notice) stdout.write(`\r\n[${notice}]\r\n`);
        const replay = readLog(log, waitingFrom, c.logOffset);
        if (replay.length > 0) stdout.write(replay);
        waitingFrom = undefined;
      }
      c.socket.on('close', () => {
        if (finished) return;
        conn = undefined;
        if (opts.disconnectOnHalt) return finish();
        waitingFrom = logSize(log);
        poll();
      });
      c.socket.on('error', () => undefined);
      c.onData((b) => stdout.write(b));
      sendSize();
    };
    const poll = () => {
      timer = setTimeout(async () => {
        timer = undefined;
        if (finished) return;
        try {
          const c = await tryConnect();
          if (finished) {
            c?.close();
            return;
          }
          if (c) attach(c);
          else poll();
        } catch (e) {
          finish(e as Error);
        }
      }, pollMs);
    };
    stdin.on('data', onInput);
    stdin.on('end', onEnd);
    stdout.on('resize', sendSize);
    stdin.resume();
    if (conn) attach(conn);
    else poll();
  });
}
