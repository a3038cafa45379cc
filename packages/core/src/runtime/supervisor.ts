/**
 * Starting the native per-zone supervisor (packages/core/native/zoneadmd.c). Everything the zone
 * needs is decided here, from the configuration, and handed over on the command line; the
 * supervisor itself parses no zone configuration.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import type { ZoneConfig } from '../model/types.js';
import { zoneSyscallRules } from '../model/seccomp.js';
import { capabilityMask } from '../platform/capabilities.js';
import { deviceRuleText, type DeviceRule } from '../platform/cgroups/index.js';
import type { CgroupLayout } from '../platform/cgroups/mounts.js';
import { nativeBinPath } from '../platform/native.js';
import { syscallArgs } from '../platform/syscalls.js';
import type { IdMap } from '../store/idmap.js';
import { runtimeError } from './errors.js';

/** The supervisor binary, packages/core/native/bin/zoneadmd. */
export function zoneadmdPath(): string {
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
  /** The zone's host ids (its user namespace maps 0..count-1 onto them). */
  idmap: IdMap;
  /** The zone's cgroups (removed at halt) and their payloads (where the zone's processes run). */
  cgroupPaths: readonly string[];
  payloadPaths: readonly string[];
  /** On cgroup v2: the cgroup the device program goes on, and its allow list. */
  deviceFilter?: { dir: string; rules: readonly DeviceRule[] };
  /** Host device nodes for the zone's /dev. */
  devices: readonly string[];
  /** The cgroup hierarchies to show at the zone's /sys/fs/cgroup. */
  cgroupfs?: CgroupLayout;
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
  args.push('--idmap', `${spec.idmap.uid}:${spec.idmap.gid}:${spec.idmap.count}`);
  for (const p of spec.cgroupPaths) args.push('--cgroup', p);
  for (const p of spec.payloadPaths) args.push('--join', p);
  for (const r of cfg.resources) {
    if (r.type === 'inherit-pkg-dir' && str(r.props.dir)) args.push('--ipd', str(r.props.dir));
    else if (r.type === 'fs') {
      const opts = list(r.props.options).join(',');
      args.push('--fs', str(r.props.type), str(r.props.special), str(r.props.dir), opts || '-');
    }
  }
  for (const d of spec.devices) args.push('--device', d);
  if (spec.deviceFilter) {
    args.push('--device-filter', spec.deviceFilter.dir);
    for (const r of spec.deviceFilter.rules) args.push('--devrule', deviceRuleText(r).replace(/[ ]/g, ':'));
  }
  for (const m of spec.cgroupfs?.mounts ?? []) args.push('--cgroupfs', `${m.name}:${m.type}:${m.options}`);
  for (const l of spec.cgroupfs?.links ?? []) args.push('--cgroupfs-link', `${l.name}:${l.target}`);
  for (const s of syscallArgs(zoneSyscallRules(spec.capabilities))) args.push('--syscall', s);
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
