/**
 * Client side of the supervisor socket (the run directory's `socket` file): one request line, one
 * reply line, and after `OK` to `console` the console itself, its input framed with 0xFF escapes.
 * The requests, replies and framing: docs/architecture.md, "Supervisor protocol".
 */
import { createConnection, type Socket } from 'node:net';
import { join } from 'node:path';
import { runDir, zonesRoot } from '../store/paths.js';
import { RUN_FILES } from './state.js';

export const CONSOLE_ESCAPE = 0xff;
export const CONSOLE_RESIZE = 0x57; // 'W'

/** Console input as it goes on the wire: every 0xFF doubled. */
export function encodeConsoleInput(data: Buffer | string): Buffer {
  const b = typeof data === 'string' ? Buffer.from(data) : data;
  if (!b.includes(CONSOLE_ESCAPE)) return b;
  const out: number[] = [];
  for (const c of b) {
    out.push(c);
    if (c === CONSOLE_ESCAPE) out.push(CONSOLE_ESCAPE);
  }
  return Buffer.from(out);
}

/** The window-size frame: FF 'W' rows(u16 BE) cols(u16 BE). */
export function encodeResize(rows: number, cols: number): Buffer {
  const b = Buffer.alloc(6);
  b[0] = CONSOLE_ESCAPE;
  b[1] = CONSOLE_RESIZE;
  b.writeUInt16BE(Math.max(0, Math.min(65535, rows)), 2);
  b.writeUInt16BE(Math.max(0, Math.min(65535, cols)), 4);
  return b;
}

/** A second console client is refused: the message is zlogin's. */
export class ConsoleBusyError extends Error {
  constructor(readonly pid: number) {
    super(`Console is already in use by process ID ${pid}.`);
    this.name = 'ConsoleBusyError';
  }
}

export function consoleSocketPath(name: string, root: string = zonesRoot()): string {
  return join(runDir(name, root), RUN_FILES.socket);
}

/** Connects and sends one request line; resolves with the reply line and the still-open socket. */
export function supervisorConnect(socketPath: string, request: string): Promise<{ reply: string; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath);
    let buf = Buffer.alloc(0);
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const nl = buf.indexOf(0x0a);
      if (nl < 0) return;
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
      socket.pause();
      const rest = buf.subarray(nl + 1);
      if (rest.length > 0) socket.unshift(rest);
      resolve({ reply: buf.subarray(0, nl).toString(), socket });
    };
    const onError = (e: Error) => reject(e);
    const onClose = () => reject(new Error(`the zone supervisor closed ${socketPath} without answering`));
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.write(`${request}\n`);
  });
}

/** One request, one reply; the connection is closed afterwards (`halt` answers once the zone is down). */
export async function supervisorRequest(socketPath: string, request: string): Promise<string> {
  const { reply, socket } = await supervisorConnect(socketPath, request);
  socket.destroy();
  return reply;
}

export interface ConsoleConnection {
  /** Size of the console log when this client was attached: later output arrives on the socket. */
  readonly logOffset: number;
  /** The zone's state then: `ready` (set up, no init yet), `booting` (ready until its network is set up) or `running`. */
  readonly state: 'ready' | 'booting' | 'running';
  /** The boot arguments of the running init ('' when none, or ready). */
  readonly bootargs: string;
  /**
   * The connection, paused after the handshake: call onData (or attach a 'data' listener and
   * resume()). 'close' comes when the zone halts or the supervisor goes.
   */
  readonly socket: Socket;
  /** Delivers console output and starts the flow. */
  onData(cb: (chunk: Buffer) => void): void;
  write(data: Buffer | string): void;
  resize(rows: number, cols: number): void;
  close(): void;
}

/**
 * Attaches to the zone console; rejects with ConsoleBusyError when someone else holds it. With
 * `disconnectOnHalt` (zlogin -d) the supervisor's halt notice says it disconnects.
 */
export async function connectConsole(
  name: string,
  opts: { root?: string; disconnectOnHalt?: boolean } = {},
): Promise<ConsoleConnection> {
  const request = opts.disconnectOnHalt ? 'console -d' : 'console';
  const { reply, socket } = await supervisorConnect(consoleSocketPath(name, opts.root), request);
  const busy = /^BUSY (\d+)/.exec(reply);
  if (busy) {
    socket.destroy();
    throw new ConsoleBusyError(Number(busy[1]));
  }
  const ok = /^OK (\d+) (ready|booting|running) ?(.*)$/.exec(reply);
  if (!ok) {
    socket.destroy();
    throw new Error(reply.replace(/^ERR /, ''));
  }
  return {
    logOffset: Number(ok[1]),
    state: ok[2] as ConsoleConnection['state'],
    bootargs: ok[3] ?? '',
    socket,
    onData: (cb) => {
      socket.on('data', cb);
      socket.resume();
    },
    write: (data) => void socket.write(encodeConsoleInput(data)),
    resize: (rows, cols) => void socket.write(encodeResize(rows, cols)),
    close: () => socket.end(),
  };
}
