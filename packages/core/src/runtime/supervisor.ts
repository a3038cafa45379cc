/**
 * Starting the native per-zone supervisor (packages/core/native/zoneadmd.c). Everything the zone
 * needs is decided here, from the configuration, and handed over on the command line; the
 * supervisor itself parses no zone configuration.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import type { ZoneConfig } from '../model/types.js';
import { capabilityMask } from '../platform/capabilities.js';
import { nativeBinPath } from '../platform/native.js';
import { runtimeError } from './errors.js';

/** The supervisor binary: $ZONES_ZONEADMD, else packages/core/native/bin/zoneadmd. */
export function zoneadmdPath(): string {
  const env = process.env.ZONES_ZONEADMD;
  if (env) return env;
  return nativeBinPath('zoneadmd');
}

export function requireZoneadmd(): string {
  const path = zoneadmdPath();
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw runtimeError.noSupervisor(path);
  }
  return path;
}

export interface SupervisorSpec {
  name: string;
  runDir: string;
  consoleLog: string;
  /** Size (bytes) past which the supervisor rotates the console log to `<log>.0`; 0 = never. */
  consoleLogMax?: number;
  /** zonepath/root */
  root: string;
  cgroupPaths: readonly string[];
  capabilities: readonly string[];
  /**
   * `boot`: exec the init at once; `ready`: stop once the zone is set up (zoneadm ready); `boot-pending`:
   * stop there too, until the runtime's `boot` request (the network is set up meanwhile; console
   * clients are told `booting`).
   */
  start: 'boot' | 'ready' | 'boot-pending';
  bootargs: readonly string[];
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);

/** The zoneadmd command line for a zone. */
export function supervisorArgs(cfg: ZoneConfig, spec: SupervisorSpec): string[] {
  const args = ['--zone', spec.name, '--rundir', spec.runDir, '--log', spec.consoleLog, '--root', spec.root];
  if (spec.consoleLogMax !== undefined) args.push('--log-max', String(spec.consoleLogMax));
  for (const p of spec.cgroupPaths) args.push('--cgroup', p);
  for (const r of cfg.resources) {
    if (r.type === 'inherit-pkg-dir' && str(r.props.dir)) args.push('--ipd', str(r.props.dir));
    else if (r.type === 'fs') {
      const opts = list(r.props.options).join(',');
      args.push('--fs', str(r.props.type), str(r.props.special), str(r.props.dir), opts || '-');
    } else if (r.type === 'device' && str(r.props.match)) args.push('--device', str(r.props.match));
  }
  args.push('--caps', capabilityMask(spec.capabilities).toString(16));
  if (cfg.globals['ip-type'] === 'exclusive') args.push('--netns');
  if (spec.start !== 'boot') args.push(`--${spec.start}`);
  args.push('--', ...spec.bootargs);
  return args;
}

export interface SupervisorStarted {
  initPid: number;
  supervisorPid: number;
}

/**
 * Runs zoneadmd and waits for its handshake: the process exits 0 with `OK <init pid> <pid>` once the
 * zone's init has been exec'd (or the zone is ready), the supervisor itself staying behind.
 */
export function startSupervisor(name: string, args: readonly string[]): Promise<SupervisorStarted> {
  const bin = requireZoneadmd();
  return new Promise((resolve, reject) => {
    execFile(bin, args, { encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
      const m = /^OK (\d+) (\d+)/.exec(stdout);
      if (!err && m) {
        resolve({ initPid: Number(m[1]), supervisorPid: Number(m[2]) });
        return;
      }
      const why = stderr.trim().replace(/^zoneadmd: (zone '[^']*': )?/, '') || err?.message || 'no answer';
      reject(runtimeError.bootFailed(name, why));
    });
  });
}
