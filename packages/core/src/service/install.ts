/**
 * `zonesvc install | remove | status` (docs/autoboot.md): the zones service written into the
 * init system's directory (atomically: an init system never reads half a unit), enabled through
 * the init system's own tool only where that tool belongs to the running init (systemd as PID 1,
 * the system's directory), and taken away again. Writing into another directory (tests, an image
 * being built) writes the file and enables nothing.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'ini';
import { errnoText } from '../errno.js';
import { writeFileAtomic } from '../store/atomic.js';
import { findTool, runTool } from '../sys/tools.js';
import type { InitSystem } from '../argv/zonesvc.js';
import { initScriptText, SCRIPT_NAME, specProblem, UNIT_NAME, unitText, type ServiceSpec } from './unit-files.js';

/** Where each init system reads the service from. */
export const SYSTEM_DIRS: Readonly<Record<InitSystem, string>> = { systemd: '/etc/systemd/system', sysv: '/etc/init.d' };

const FILE_NAMES: Readonly<Record<InitSystem, string>> = { systemd: UNIT_NAME, sysv: SCRIPT_NAME };

/** `/run/systemd/system` exists exactly when systemd is PID 1 (sd_booted(3)). */
export function systemdIsInit(): boolean {
  return existsSync('/run/systemd/system');
}

export class ServiceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceError';
  }
}

export interface ServiceTarget {
  init: InitSystem;
  /** the directory of the unit or script; undefined: the system's ({@link SYSTEM_DIRS}) */
  dir?: string;
}

/** The host's init system as install and remove meet it (another one in core/test/service/install.test.ts). */
export interface HostInit {
  /** where each init system reads the service from */
  dirs: Readonly<Record<InitSystem, string>>;
  systemdIsInit(): boolean;
  has(tool: string): boolean;
  /** runs the tool; rejects when it fails */
  run(tool: string, args: readonly string[]): Promise<unknown>;
}

export const THIS_HOST: HostInit = {
  dirs: SYSTEM_DIRS,
  systemdIsInit,
  has: (t) => findTool(t) !== undefined,
  run: (t, args) => runTool(t, args),
};

export const servicePath = (t: ServiceTarget, host: HostInit = THIS_HOST): string => join(t.dir ?? host.dirs[t.init], FILE_NAMES[t.init]);

/** The service is the system's own: its tool (systemctl, update-rc.d) may enable it. */
const systemWide = (t: ServiceTarget, host: HostInit): boolean => t.dir === undefined || t.dir.replace(/\/+$/, '') === host.dirs[t.init];

/** What install or remove did, and what is left for the admin to run, one line each. */
export interface ServiceReport {
  path: string;
  done: string[];
  adminSteps: string[];
}

async function tool(name: string, args: string[], report: ServiceReport, host: HostInit): Promise<void> {
  try {
    await host.run(name, args);
  } catch (e) {
    throw new ServiceError(`${name} ${args.join(' ')} failed: ${(e as Error).message}`);
  }
  report.done.push(`ran ${name} ${args.join(' ')}`);
}

/** Writes the unit or the script (again: the same text is harmless) and enables it where that is ours to do. */
export async function installService(target: ServiceTarget, spec: ServiceSpec, host: HostInit = THIS_HOST): Promise<ServiceReport> {
  const problem = specProblem(spec);
  if (problem) throw new ServiceError(problem);
  for (const [what, p] of [['node', spec.node], ['zonesvc', spec.zonesvc]] as const) {
    if (!existsSync(p)) throw new ServiceError(`${what} not found: ${p}`);
  }
  const path = servicePath(target, host);
  const ours = systemWide(target, host);
  const report: ServiceReport = { path, done: [], adminSteps: [] };
  try {
    // mkdir -p says EEXIST of a file in the way; what is wrong is that it is not a directory
    if (existsSync(dirname(path)) && !statSync(dirname(path)).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
    mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
    if (target.init === 'systemd') writeFileAtomic(path, unitText(spec), 0o644);
    else writeFileAtomic(path, initScriptText(spec), 0o755);
  } catch (e) {
    throw new ServiceError(`cannot write ${path}: ${errnoText(e as NodeJS.ErrnoException)}`);
  }
  report.done.push(`wrote ${path}`);
  if (target.init === 'systemd') {
    // --now: a unit that is enabled but not started is not stopped at the host's shutdown either
    const steps = [['daemon-reload'], ['enable', '--now', UNIT_NAME]];
    if (ours && host.systemdIsInit()) for (const s of steps) await tool('systemctl', s, report, host);
    else {
      report.adminSteps.push(ours ? 'PID 1 is not systemd: on a host booted with systemd, run:' : `${dirname(path)} is not ${host.dirs.systemd}: nothing enabled; once the unit is there, run:`);
      report.adminSteps.push(...steps.map((s) => `  systemctl ${s.join(' ')}`));
      if (ours) report.adminSteps.push('on a host without systemd: zonesvc install --init sysv');
    }
  } else if (ours && host.has('update-rc.d')) {
    await tool('update-rc.d', [SCRIPT_NAME, 'defaults'], report, host);
  } else {
    report.adminSteps.push(`link it into the runlevels (update-rc.d ${SCRIPT_NAME} defaults, or chkconfig --add ${SCRIPT_NAME}); start it: ${path} start`);
  }
  return report;
}

/** Disables and removes the unit or the script; nothing installed is not an error. The zones keep running. */
export async function removeService(target: ServiceTarget, host: HostInit = THIS_HOST): Promise<ServiceReport> {
  const path = servicePath(target, host);
  const report: ServiceReport = { path, done: [], adminSteps: [] };
  if (!existsSync(path)) return report;
  const systemd = target.init === 'systemd' && systemWide(target, host) && host.systemdIsInit();
  if (systemd) await tool('systemctl', ['disable', UNIT_NAME], report, host);
  try {
    rmSync(path, { force: true });
  } catch (e) {
    throw new ServiceError(`cannot remove ${path}: ${errnoText(e as NodeJS.ErrnoException)}`);
  }
  report.done.push(`removed ${path}`);
  if (systemd) await tool('systemctl', ['daemon-reload'], report, host);
  else if (target.init === 'sysv' && systemWide(target, host) && host.has('update-rc.d')) await tool('update-rc.d', [SCRIPT_NAME, 'remove'], report, host);
  return report;
}

export interface InstalledService {
  init: InitSystem;
  path: string;
  /** linked into the boot: systemd's multi-user.target.wants, an rcN.d/S link */
  enabled: boolean;
  /** the zones root its command line names */
  root?: string;
  stopTimeoutS?: number;
}

/** `... -R ROOT [-t SECONDS]` of a recorded command line. */
function recorded(command: string | undefined): { root?: string; stopTimeoutS?: number } {
  const root = / -R (\S+)/.exec(command ?? '')?.[1];
  const t = / -t (\d+)/.exec(command ?? '')?.[1];
  return { root, stopTimeoutS: t === undefined ? undefined : Number(t) };
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The service as installed for `init` in `dir` (default: the system's), or undefined. */
export function installedService(target: ServiceTarget, host: HostInit = THIS_HOST): InstalledService | undefined {
  const path = servicePath(target, host);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const dir = dirname(path);
  if (target.init === 'systemd') {
    const svc = (parse(text).Service ?? {}) as Record<string, unknown>;
    const stop = typeof svc.ExecStop === 'string' ? svc.ExecStop : undefined;
    return { init: 'systemd', path, enabled: isLink(join(dir, 'multi-user.target.wants', UNIT_NAME)), ...recorded(stop) };
  }
  const root = /^ROOT='([^']*)'$/m.exec(text)?.[1];
  const t = /^TIMEOUT=(\d+)$/m.exec(text)?.[1];
  const rc = (n: number) => join(dirname(dir), `rc${n}.d`);
  const enabled = [2, 3, 4, 5].some((n) => {
    try {
      return readdirSync(rc(n)).some((f) => new RegExp(`^S\\d\\d${SCRIPT_NAME}$`).test(f));
    } catch {
      return false;
    }
  });
  return { init: 'sysv', path, enabled, root, stopTimeoutS: t === undefined ? undefined : Number(t) };
}
