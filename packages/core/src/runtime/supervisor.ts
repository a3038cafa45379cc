/**
 * Starting the native per-zone supervisor (packages/core/native/zoneadmd.c). Everything the zone
 * needs is decided here, from the configuration, and handed over on the command line (the
 * arguments, and everything else the supervisor speaks: docs/architecture.md, "Supervisor
 * protocol"); the supervisor itself parses no zone configuration.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import type { ZoneConfig } from '../model/types.js';
import { zoneSyscallRules } from '../model/seccomp.js';
import { PROC_MASKED, ZONE_ENV } from '../model/proc-view.js';
import { capabilityMask } from '../platform/capabilities.js';
import { deviceRuleText, type DeviceRule } from '../platform/cgroups/index.js';
import type { CgroupLayout } from '../platform/cgroups/mounts.js';
import { nativeBinPath } from '../platform/native.js';
import { MS, syscallArgs } from '../platform/syscalls.js';
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
  /** Cgroups above the zone's to remove once empty when it halts by itself (a test root's `zones.<hash>`). */
  cgroupParents?: readonly string[];
  /** Files outside the run directory that go with it when the zone halts by itself (its zone id reservation). */
  release?: readonly string[];
  /** Commands (argv, absolute path first) run when the zone halts, by itself too: removing its shared-IP addresses. */
  onHalt?: readonly (readonly string[])[];
  /** On cgroup v2: the cgroup the device program goes on, and its allow list. */
  deviceFilter?: { dir: string; rules: readonly DeviceRule[] };
  /** Host device nodes for the zone's /dev. */
  devices: readonly string[];
  /** The cgroup hierarchies to show at the zone's /sys/fs/cgroup. */
  cgroupfs?: CgroupLayout;
  capabilities: readonly string[];
  /** `[name under /proc/sys, value]` written in the zone's IPC and user namespaces before its init runs (platform/ipc-limits.ts). */
  sysctls?: readonly (readonly [string, string])[];
  /** RLIMIT_MEMLOCK of the zone's processes, soft = hard (zone.max-locked-memory). */
  memlockBytes?: number;
  /**
   * `boot`: exec the init at once; `ready`: stop once the zone is set up (zoneadm ready); `boot-pending`:
   * stop there too, until the runtime's `boot` request (the network is set up meanwhile; console
   * clients are told `booting`).
   */
  start: 'boot' | 'ready' | 'boot-pending';
  bootargs: readonly string[];
}

/** Solaris fs options that are mount flags; every other option but `nosub` is the filesystem's own (mount data). */
const FS_OPTION_FLAGS: ReadonlyMap<string, number> = new Map([
  ['ro', MS.RDONLY], ['rw', 0], ['-', 0], ['nodevices', MS.NODEV], ['nodev', MS.NODEV], ['nosuid', MS.NOSUID], ['noexec', MS.NOEXEC],
]);

export interface FsMount {
  /** MS_* flags; a lofs is MS_BIND of its special, with MS_REC (recursive) unless `nosub`. */
  flags: number;
  /** The options left for the filesystem, comma-separated ('' = none). */
  data: string;
}

/** How the supervisor mounts an fs resource of `type` with the configured `options`. */
export function fsMount(type: string, options: readonly string[]): FsMount {
  const words = options.join(',').split(',').filter(Boolean);
  let flags = type === 'lofs' ? MS.BIND | (words.includes('nosub') ? 0 : MS.REC) : 0;
  const data: string[] = [];
  for (const w of words) {
    const f = FS_OPTION_FLAGS.get(w);
    if (f !== undefined) flags |= f;
    else if (w !== 'nosub') data.push(w);
  }
  return { flags, data: data.join(',') };
}

/** The minimal init built into the supervisor (`zsched`), which every zone can boot. */
const MINIMAL_INIT = 'zsched';

/** Without `-i`: the zone's /sbin/init where it is executable, else the minimal init. */
const DEFAULT_INITS = ['/sbin/init', MINIMAL_INIT];

export interface BootPlan {
  /** The inits to try in order: the first one executable in the zone (or the minimal one) runs. */
  inits: string[];
  /** Its arguments: the boot arguments without `-i PATH`. */
  args: string[];
  /** The boot arguments as given, for the console notices. */
  text: string;
}

/** What a boot runs: `-i PATH` picks the init (the last one given; `-i zsched`: the minimal init). */
export function bootPlan(bootargs: readonly string[]): BootPlan {
  let init: string | undefined;
  const args: string[] = [];
  for (let i = 0; i < bootargs.length; i++) {
    if (bootargs[i] === '-i' && i + 1 < bootargs.length) init = bootargs[++i];
    else args.push(bootargs[i]!);
  }
  return { inits: init === undefined ? DEFAULT_INITS : [init], args, text: bootargs.join(' ') };
}

/** The boot options that end the supervisor's command line: `--init PATH`..., `--bootargs TEXT`, `-- ARGS`. */
function bootOptions(bootargs: readonly string[]): string[] {
  const plan = bootPlan(bootargs);
  return [...plan.inits.flatMap((i) => ['--init', i]), ...(plan.text ? ['--bootargs', plan.text] : []), '--', ...plan.args];
}

/** The `boot` request that boots a ready zone: the same options, tab-separated. */
export function bootRequest(bootargs: readonly string[]): string {
  return ['boot', ...bootOptions(bootargs)].join('\t');
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
  for (const p of spec.cgroupParents ?? []) args.push('--cgroup-parent', p);
  for (const p of spec.release ?? []) args.push('--release', p);
  for (const [n, v] of spec.sysctls ?? []) args.push('--sysctl', `${n}=${v}`);
  for (const m of PROC_MASKED) args.push('--proc-mask', m);
  for (const e of ZONE_ENV) args.push('--env', e);
  if (spec.memlockBytes !== undefined) args.push('--memlock', String(spec.memlockBytes));
  for (const c of spec.onHalt ?? []) if (c.length > 0 && !c.some((w) => /[\t\n]/.test(w) || w === '')) args.push('--on-halt', c.join('\t'));
  for (const r of cfg.resources) {
    if (r.type === 'inherit-pkg-dir' && str(r.props.dir)) args.push('--ipd', str(r.props.dir));
    else if (r.type === 'fs') {
      const m = fsMount(str(r.props.type), list(r.props.options));
      args.push('--fs', str(r.props.type), str(r.props.special), str(r.props.dir), String(m.flags), m.data);
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
  args.push(...bootOptions(spec.bootargs));
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

/**
 * Writes sysctls in a running zone's IPC namespace (its IPC rctls): zenter -S joins only the zone's
 * user and IPC namespaces, as the zone's root (the supervisor's zone process, which wrote them at
 * boot, is the zone's init by now). Nothing to write: nothing run.
 */
export function setZoneSysctls(initPid: number, sysctls: readonly (readonly [string, string])[]): Promise<void> {
  if (sysctls.length === 0) return Promise.resolve();
  const args = ['-t', String(initPid), ...sysctls.flatMap(([n, v]) => ['-S', `${n}=${v}`])];
  return new Promise((resolve, reject) => {
    execFile(nativeBinPath('zenter'), args, { encoding: 'utf8', timeout: 10_000 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(stderr.trim().replace(/^zenter: /, '') || err.message));
      else resolve();
    });
  });
}
