/**
 * zlogin into a running zone: the checks (illumos order), the zenter argument vector and the run
 * of the native helper. One module on purpose: `zlogin z cmd` loads as few files as possible.
 */
import { ZoneStore } from '../store/zone-store.js';
import { zonesRoot } from '../store/paths.js';
import { ZONE_STATE_ORDER, type ZoneState } from '../model/states.js';
import type { GlobalPropName } from '../model/types.js';
import { RUN_FILES, zoneCgroupFor, zoneRuntimeInfo, type RuntimeOptions, type ZoneRuntimeInfo } from '../runtime/state.js';
import { spawn } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { capabilityBoundingSet, inNonGlobalZone, processMemlockLimit, standsInForClosedFd } from '../platform/proc.js';
import { nativeBinPath } from '../platform/native.js';
import { DEFAULT_ESCAPE } from './escape.js';
/** zlogin's failures: the exact illumos wording (docs/reference.md#5-zlogin); the CLI prefixes `zlogin: `, exits 1. */
export type ZloginErrorCode =
  | 'Z_NOT_GLOBAL_ZONE'
  | 'Z_GLOBAL'
  | 'Z_UNKNOWN'
  | 'Z_STATE'
  | 'Z_PRIVILEGE'
  | 'Z_NOT_RUNNING'
  | 'Z_CONSOLE_BUSY'
  | 'Z_CONSOLE'
  | 'Z_NO_ZENTER'
  | 'Z_ENTER';

export class ZloginError extends Error {
  constructor(
    readonly code: ZloginErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ZloginError';
  }
}

export const zloginError = {
  notGlobalZone: () => new ZloginError('Z_NOT_GLOBAL_ZONE', "'zlogin' may only be used from the global zone"),
  global: () => new ZloginError('Z_GLOBAL', "'zlogin' not applicable to the global zone"),
  unknown: (z: string) => new ZloginError('Z_UNKNOWN', `zone '${z}' unknown`),
  state: (st: string) => new ZloginError('Z_STATE', `cannot login to a zone which is '${st}'`),
  privilege: () => new ZloginError('Z_PRIVILEGE', 'You lack sufficient privilege to run this command (all privs required)'),
  notRunning: (z: string, st: string) => new ZloginError('Z_NOT_RUNNING', `login allowed only to running zones (${z} is '${st}').`),
  consoleBusy: (pid: number) => new ZloginError('Z_CONSOLE_BUSY', `Console is already in use by process ID ${pid}.`),
  console: (why: string) => new ZloginError('Z_CONSOLE', `Could not connect to zone: ${why}`),
  noZenter: (path: string) =>
    new ZloginError(
      'Z_NO_ZENTER',
      `the zone entry helper ${path} is not built: run 'npm run build:native' (needs the Debian packages gcc and libc6-dev)`,
    ),
  enter: (z: string, why: string) => new ZloginError('Z_ENTER', `could not enter zone ${z}: ${why}`),
};

/**
 * The checks zlogin makes before entering a zone, in illumos order (docs/reference.md#5-zlogin): run from
 * the global zone, target not the global zone, unknown zone, state below installed, privileges;
 * then, except for the console, the zone must be running.
 */

export interface ZloginTargetOptions extends RuntimeOptions {
  /** `zlogin -C`: any installed zone will do (the console waits for the zone to boot). */
  console?: boolean;
  /** Effective uid to check (default: process.geteuid()). */
  euid?: number;
  /** Whether zlogin runs inside a zone (default: platform/proc inNonGlobalZone()). */
  inZone?: boolean;
}

export interface ZloginTarget {
  name: string;
  /** ZONES_ROOT in use. */
  root: string;
  /** The zone's state: the index state, or the runtime state while the zone is in the kernel. */
  state: ZoneState;
  /** Set for a running zone (always, unless `console`). */
  runtime?: ZoneRuntimeInfo;
  /** The zone's global properties (limitpriv, ip-type...); set unless `console`. */
  globals?: Record<GlobalPropName, string>;
  /** The zone's payload cgroups, to join before entering. */
  cgroupPaths: readonly string[];
}

/** Resolves the zone to log in to, or throws ZloginError with the Solaris message. */
export function zloginTarget(name: string, opts: ZloginTargetOptions = {}): ZloginTarget {
  const root = opts.root ?? zonesRoot();
  if (opts.inZone ?? inNonGlobalZone()) throw zloginError.notGlobalZone();
  if (name === 'global') throw zloginError.global();
  const store = new ZoneStore(root);
  const entry = store.get(name);
  if (!entry) throw zloginError.unknown(name);
  let state: ZoneState = entry.state;
  if (ZONE_STATE_ORDER[state] < ZONE_STATE_ORDER.installed) throw zloginError.state(state);
  const euid = opts.euid ?? process.geteuid?.() ?? 0;
  if (euid !== 0) throw zloginError.privilege();
  const rtOpts: RuntimeOptions = { root, cgroup: opts.cgroup };
  const cgroupPaths = zoneCgroupFor(name, rtOpts).payloadPaths;
  if (opts.console) return { name, root, state, cgroupPaths };
  const runtime = state === 'installed' ? zoneRuntimeInfo(name, rtOpts) : undefined;
  if (runtime) state = runtime.state;
  if (state !== 'running' || !runtime) throw zloginError.notRunning(name, state);
  const globals = store.readGlobals(name);
  return { name, root, state, runtime, globals, cgroupPaths };
}

/**
 * Entering a running zone through the native helper zenter (packages/core/native/zenter.c): the
 * zone's cgroup, then every namespace of its init, its root, its capability set, the user from
 * the zone's own passwd. Node runs exactly one process: zenter, with the terminal or the caller's
 * stdio handed straight through.
 *
 * Linux mapping of illumos zlogin (docs/reference.md#5-zlogin):
 * - non-interactive `zlogin z cmd args`: the words are joined with spaces (as illumos does) and
 *   run as `/bin/sh -c "<cmd>"` as the user (illumos: `su <user> -c "<cmd>"`, `su - <user>` for a
 *   non-root user); the environment is PATH, HOME, USER, LOGNAME, SHELL and TERM, the working
 *   directory the user's home; the command has a session of its own; the caller's pipes and files
 *   are its stdio, a terminal is relayed through a pipe (no zone process ever holds the caller's
 *   terminal; as with ssh, what is typed ahead goes to the command and zlogin waits until the
 *   command's output is closed); the exit status is the command's (128+N when killed by signal N).
 * - interactive `zlogin z` (stdin a terminal): a new pty of the zone's devpts, the user's shell
 *   from the zone's passwd run as a login shell (argv[0] `-bash`); illumos runs the brand's
 *   `login -z global -f user`, whose PAM session, utmp and lastlog handling we skip.
 * - `zlogin z` with stdin not a terminal: the login shell without a pty, reading stdin.
 * - `-S` (failsafe): `/bin/sh` (or `/bin/sh -c "<cmd>"`) as root, without reading the zone's passwd.
 */

/** The helper binary, packages/core/native/bin/zenter. */
export function zenterPath(): string {
  return nativeBinPath('zenter');
}

export interface LoginSpec {
  /** -l: the user to run as (default root); ignored with failsafe. */
  user?: string;
  /** -S: /bin/sh as root, no passwd lookup. */
  failsafe?: boolean;
  /** -n: stdin from /dev/null. */
  nullStdin?: boolean;
  /** A pty and a login session (zlogin without a command, stdin a terminal). */
  interactive?: boolean;
  /** The escape character (default `~`); null = none (-E). Interactive only. */
  escape?: number | null;
  /** The utility and its arguments (non-interactive); empty or absent = a login shell. */
  command?: readonly string[];
  /** Of fds 0-2, those the caller had closed (`>&-`): closed for the command too (non-interactive). */
  closedFds?: readonly (0 | 1 | 2)[];
}

/** The mask the zone booted with (parseLimitpriv then), as its supervisor wrote it in the run directory. */
function bootMask(runDir: string): bigint | undefined {
  try {
    const hex = readFileSync(join(runDir, RUN_FILES.caps), 'utf8').trim();
    return /^[0-9a-f]+$/i.test(hex) ? BigInt(`0x${hex}`) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The capability mask of a zlogin process: the zone's limitpriv as parseLimitpriv mapped it when
 * the zone booted (the supervisor's `caps` file in the run directory), never more than the
 * zone's init still holds. A limitpriv edited after boot applies at the next boot, as on Solaris.
 * Only when neither is readable is the configured limitpriv parsed here (model/privileges is
 * loaded lazily: its import alone costs ~10 ms).
 */
export async function loginCapabilityMask(target: ZloginTarget): Promise<bigint> {
  const rt = target.runtime;
  const boot = rt ? bootMask(rt.runDir) : undefined;
  const init = rt ? capabilityBoundingSet(rt.initPid) : undefined;
  if (boot !== undefined && init !== undefined) return boot & init;
  if (boot !== undefined || init !== undefined) return (boot ?? init)!;
  const { parseLimitpriv } = await import('../model/privileges.js');
  const { capabilityMask } = await import('../platform/capabilities.js');
  const g = target.globals;
  const priv = parseLimitpriv(g?.limitpriv ?? '', g?.['ip-type'] === 'exclusive' ? 'exclusive' : 'shared');
  if (!priv.ok) throw zloginError.enter(target.name, priv.errors.join('; '));
  return capabilityMask(priv.capabilities);
}

/** Bit of CAP_SYS_TIME in a capability mask (linux/capability.h). */
const CAP_SYS_TIME = 25n;

/** The zenter argument vector (after argv[0]) for a login to a running zone. */
export function zenterArgs(target: ZloginTarget, spec: LoginSpec, capMask: bigint, statusFd?: number): string[] {
  if (!target.runtime) throw zloginError.notRunning(target.name, target.state);
  const rt = target.runtime;
  const args = ['-t', String(rt.initPid)];
  for (const p of target.cgroupPaths) args.push('-g', p);
  args.push('-c', `0x${capMask.toString(16)}`);
  // The zone's own kernel surface; with sys_time its supervisor sets the clock for this process too.
  args.push('-F', join(rt.runDir, RUN_FILES.seccomp));
  if ((capMask >> CAP_SYS_TIME) & 1n) args.push('-T', rt.socket);
  // The zone's locked-memory limit (zone.max-locked-memory), as the supervisor gave its init: a
  // zlogin process gets no more than the zone's own processes (docs/resource-controls.md).
  const memlock = processMemlockLimit(rt.initPid);
  if (typeof memlock === 'number') args.push('-m', String(memlock));
  if (!spec.failsafe) args.push('-u', spec.user ?? 'root');
  if (spec.nullStdin) args.push('-n');
  for (const fd of spec.interactive ? [] : (spec.closedFds ?? [])) if (fd !== 0 || !spec.nullStdin) args.push('-X', String(fd));
  if (spec.interactive) {
    args.push('-i');
    if (statusFd !== undefined) args.push('-s', String(statusFd));
    const esc = spec.escape === undefined ? DEFAULT_ESCAPE : spec.escape;
    if (esc === null) args.push('-E');
    else args.push('-e', String(esc)); // the byte itself: zenter parses no zlogin syntax
  }
  args.push('--');
  const words = spec.command ?? [];
  if (words.length > 0) args.push('/bin/sh', '-c', words.join(' '));
  else if (spec.failsafe) args.push('/bin/sh');
  return args;
}

export interface LoginIO {
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** Suppress the banners (-Q). */
  quiet?: boolean;
}

function requireZenter(): string {
  const path = zenterPath();
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw zloginError.noZenter(path);
  }
  return path;
}

const SIGNUM: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };

/**
 * Logs in: runs zenter and resolves with zlogin's exit status. Non-interactive: the command's
 * status. Interactive: prints `[Connected to zone '<z>' pts/N]` (stdout) once the pty exists and
 * `[Connection to zone '<z>' pts/N closed]` (stderr) at the end, and resolves 0 (1 when the zone
 * could not be entered: zenter has said why on stderr).
 */
export async function zlogin(target: ZloginTarget, spec: LoginSpec, io: LoginIO = {}): Promise<number> {
  const bin = requireZenter();
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const interactive = spec.interactive === true;
  // Node has put /dev/null where the caller closed a descriptor: the command gets it closed, so
  // that `zlogin z yes >&-` fails at once as `yes >&-` does (docs/architecture.md#output-faults).
  const closedFds = spec.closedFds ?? ([0, 1, 2] as const).filter((fd) => standsInForClosedFd(fd));
  const args = zenterArgs(target, { ...spec, closedFds }, await loginCapabilityMask(target), interactive ? 3 : undefined);
  return new Promise((resolve, reject) => {
    // The terminal's SIGINT/SIGQUIT reach zlogin and zenter (the terminal's foreground group);
    // zenter passes them on to the command, which has a session of its own, and zlogin stays to
    // report its status. In raw mode the terminal sends none.
    const ignore = () => undefined;
    process.on('SIGINT', ignore);
    process.on('SIGQUIT', ignore);
    const child = spawn(bin, args, {
      argv0: 'zlogin',
      stdio: interactive ? ['inherit', 'inherit', 'inherit', 'pipe'] : 'inherit',
    });
    let pts: string | undefined;
    if (interactive) {
      const status = child.stdio[3] as import('node:net').Socket;
      let buf = '';
      status.on('data', (d: Buffer) => {
        buf += d.toString();
        const nl = buf.indexOf('\n');
        if (nl < 0 || pts !== undefined) return;
        pts = buf.slice(0, nl);
        const ack = () => status.end('g');
        if (io.quiet) ack();
        else stdout.write(`[Connected to zone '${target.name}' ${pts}]\n`, ack);
      });
      status.on('error', () => undefined);
    }
    child.on('error', (e) => {
      process.off('SIGINT', ignore);
      process.off('SIGQUIT', ignore);
      reject(zloginError.enter(target.name, e.message));
    });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', ignore);
      process.off('SIGQUIT', ignore);
      const status = code ?? 128 + (signal ? (SIGNUM[signal] ?? 1) : 1);
      if (!interactive) return resolve(status);
      if (pts === undefined) return resolve(status === 0 ? 1 : status);
      if (!io.quiet) stderr.write(`\n[Connection to zone '${target.name}' ${pts} closed]\n`);
      resolve(0);
    });
  });
}
