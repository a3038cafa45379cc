/**
 * A zone's configuration as an OCI runtime config.json (runtime-spec 1.0.2, what runc and crun of
 * Debian 12 read). Made from the same decisions our own boot takes (docs/scale.md, "What carries
 * over"): the privileges of limitpriv as capabilities, the deny list of model/seccomp.ts, the
 * cgroup limits of the rctls and capped/dedicated resources, the /proc masks, the inherit-pkg-dirs
 * and fs resources as mounts, the user namespace with the zone's id block. Pure: the caller gives
 * the facts of the host (the id block, the device nodes, the init found in the zone's root).
 */
import type { ZoneConfig } from '../model/types.js';
import { parseLimitpriv, type IpType } from '../model/privileges.js';
import { PROC_MASKED, ZONE_ENV } from '../model/proc-view.js';
import { zoneSyscallRules, type SyscallRule } from '../model/seccomp.js';
import { limitsFromConfig, v1Shares, type CgroupLimits, type DeviceRule } from '../platform/cgroups/limits.js';
import type { HostDevice } from '../platform/devices.js';
import { ipcSysctls } from '../platform/ipc-limits.js';
import { SECCOMP_ERRNO, type SyscallArch } from '../platform/syscalls.js';
import type { IdMap } from '../store/idmap.js';

export const OCI_VERSION = '1.0.2';

/** The directory of the bundle that holds the zone's root. */
export const BUNDLE_ROOTFS = 'rootfs';

export interface OciMount {
  destination: string;
  type?: string;
  source?: string;
  options?: string[];
}

export interface OciSeccompRule {
  names: string[];
  action: 'SCMP_ACT_ERRNO';
  errnoRet: number;
  args?: { index: number; value: number; valueTwo?: number; op: 'SCMP_CMP_MASKED_EQ' | 'SCMP_CMP_EQ' }[];
}

export interface OciSeccomp {
  defaultAction: 'SCMP_ACT_ALLOW';
  architectures: string[];
  syscalls: OciSeccompRule[];
}

export interface OciResources {
  memory?: { limit?: number; swap?: number };
  cpu?: { shares?: number; quota?: number; period?: number; cpus?: string };
  pids?: { limit: number };
  devices: { allow: boolean; type?: 'c' | 'b'; major?: number; minor?: number; access: string }[];
}

/** The parts of config.json this module writes (the schema allows more). */
export interface OciConfig {
  ociVersion: string;
  process: {
    terminal: boolean;
    user: { uid: number; gid: number };
    args: string[];
    env: string[];
    cwd: string;
    capabilities: Record<'bounding' | 'effective' | 'permitted' | 'inheritable' | 'ambient', string[]>;
    rlimits?: { type: string; hard: number; soft: number }[];
    noNewPrivileges: boolean;
  };
  root: { path: string; readonly: boolean };
  hostname: string;
  mounts: OciMount[];
  annotations: Record<string, string>;
  linux: {
    uidMappings: { containerID: number; hostID: number; size: number }[];
    gidMappings: { containerID: number; hostID: number; size: number }[];
    namespaces: { type: string }[];
    devices: { path: string; type: 'c' | 'b'; major: number; minor: number; fileMode: number; uid: number; gid: number }[];
    resources: OciResources;
    sysctl?: Record<string, string>;
    seccomp: OciSeccomp;
    maskedPaths: string[];
    readonlyPaths: string[];
  };
}

export interface ZoneFacts {
  name: string;
  /** The zone's host ids. */
  idmap: IdMap;
  /** The host nodes of the zone's /dev (runtime/devices.ts zoneDevices), and its allow list. */
  devices: { nodes: readonly HostDevice[]; rules: readonly DeviceRule[] };
  /** The init to run, as found in the zone's root, and its arguments. */
  init: { path: string; args: readonly string[] };
  /** The system call ABIs of the host (platform/syscalls.ts hostSyscallArches). */
  arches: readonly SyscallArch[];
}

export interface RuntimeConfigResult {
  config: OciConfig;
  /** What the runtimes do differently from our boot, one sentence each (zoneadm prints them as warnings). */
  warnings: string[];
}

const SCMP_ARCH: Record<SyscallArch, string> = { x86_64: 'SCMP_ARCH_X86_64', i386: 'SCMP_ARCH_X86', aarch64: 'SCMP_ARCH_AARCH64' };


const CLONE_NEWIPC = 0x08000000;

/** /proc/sys but net: what an exclusive-IP zone may not write (its network sysctls are its own stack's). */
const PROC_SYS_BUT_NET = ['abi', 'debug', 'dev', 'fs', 'kernel', 'user', 'vm'];

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);

function seccompRule(r: SyscallRule): OciSeccompRule | undefined {
  if (r.action === 'notify') return undefined;
  const rule: OciSeccompRule = { names: [r.name], action: 'SCMP_ACT_ERRNO', errnoRet: SECCOMP_ERRNO[r.action.errno]! };
  if (r.when?.mask !== undefined) rule.args = [{ index: r.when.arg, value: r.when.mask, valueTwo: r.when.mask, op: 'SCMP_CMP_MASKED_EQ' }];
  else if (r.when?.equals !== undefined) rule.args = [{ index: r.when.arg, value: r.when.equals, op: 'SCMP_CMP_EQ' }];
  return rule;
}

/**
 * The zone's system call filter for an OCI runtime: the deny list as it is. The clock calls our
 * supervisor performs for a zone with sys_time have no one to perform them (the kernel refuses them
 * in a user namespace); with IPC rctls, new IPC namespaces are refused here, since runtimes do not
 * take the `user.max_ipc_namespaces` sysctl our boot writes for that (platform/ipc-limits.ts).
 */
export function ociSeccomp(capabilities: readonly string[], arches: readonly SyscallArch[], refuseNewIpc = false): OciSeccomp {
  const syscalls = zoneSyscallRules(capabilities).flatMap((r) => seccompRule(r) ?? []);
  if (refuseNewIpc) {
    const mask = [{ index: 0, value: CLONE_NEWIPC, valueTwo: CLONE_NEWIPC, op: 'SCMP_CMP_MASKED_EQ' as const }];
    syscalls.push({ names: ['unshare'], action: 'SCMP_ACT_ERRNO', errnoRet: SECCOMP_ERRNO.EPERM!, args: mask });
    syscalls.push({ names: ['clone'], action: 'SCMP_ACT_ERRNO', errnoRet: SECCOMP_ERRNO.EPERM!, args: mask });
    // clone3 passes its flags in memory a filter cannot read: ENOSYS makes the C library fall back to clone.
    syscalls.push({ names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: SECCOMP_ERRNO.ENOSYS! });
  }
  return { defaultAction: 'SCMP_ACT_ALLOW', architectures: arches.map((a) => SCMP_ARCH[a]), syscalls };
}

const num = (l: number | 'max' | undefined): number | undefined => (typeof l === 'number' ? l : undefined);

/** The first `n` CPUs, in cpuset list syntax. */
const firstCpus = (n: number): string => (n <= 1 ? '0' : `0-${n - 1}`);

/** A host node in the zone's /dev as our boot makes it: the host's mode, its owner as the zone sees ids (root's is the zone root's). */
function zoneDevice(n: HostDevice, count: number): OciConfig['linux']['devices'][number] {
  const id = (v: number | undefined) => (v !== undefined && v < count ? v : 0);
  return { path: n.path, type: n.type, major: n.major, minor: n.minor, fileMode: n.mode ?? 0o600, uid: id(n.uid), gid: id(n.gid) };
}

/** The cgroup limits as runtime-spec resources (runc and crun scale them to cgroup v1 or v2 themselves). */
export function ociResources(limits: CgroupLimits, devices: readonly DeviceRule[]): { resources: OciResources; warnings: string[] } {
  const warnings: string[] = [];
  const resources: OciResources = {
    devices: [
      { allow: false, access: 'rwm' },
      ...devices.map((d) => ({
        allow: true,
        type: d.type,
        ...(d.major === '*' ? {} : { major: d.major }),
        ...(d.minor === '*' ? {} : { minor: d.minor }),
        access: d.access,
      })),
    ],
  };
  const memory = num(limits.memoryBytes);
  const swap = num(limits.memoryAndSwapBytes);
  // runtime-spec's swap is memory + swap, as zone.max-swap; a swap limit needs a memory limit below it.
  if (memory !== undefined || swap !== undefined) {
    resources.memory = { limit: memory !== undefined && swap !== undefined ? Math.min(memory, swap) : (memory ?? swap) };
    if (swap !== undefined) resources.memory.swap = swap;
  }
  const cpu: NonNullable<OciResources['cpu']> = {};
  if (typeof limits.cpuShares === 'number') cpu.shares = v1Shares(limits.cpuShares);
  if (limits.cpuQuota !== undefined && limits.cpuQuota !== 'max') {
    cpu.quota = limits.cpuQuota.quotaUs;
    cpu.period = limits.cpuQuota.periodUs;
  }
  if (limits.dedicatedCpu) {
    cpu.cpus = firstCpus(limits.dedicatedCpu.min);
    warnings.push(
      `dedicated-cpu: the bundle runs on CPUs ${cpu.cpus}, shared with whatever else runs there; ` +
        'only zoneadm boot keeps a zone\'s CPUs for it alone.',
    );
  }
  if (Object.keys(cpu).length > 0) resources.cpu = cpu;
  const pids = num(limits.pidsMax);
  if (pids !== undefined) resources.pids = { limit: pids };
  return { resources, warnings };
}

/** /proc/sys names (`kernel/shmmni`) as runtime-spec sysctl keys (`kernel.shmmni`). */
const sysctlKey = (name: string): string => name.replace(/\//g, '.');

/** A mount of an fs resource: lofs is a bind of its special, anything else a mount of its own type. */
function fsResourceMount(type: string, special: string, dir: string, options: readonly string[]): OciMount {
  const words = options.join(',').split(',').filter((w) => w !== '' && w !== '-');
  const opts = words.filter((w) => w !== 'nosub').map((w) => (w === 'nodevices' ? 'nodev' : w));
  if (type === 'lofs') return { destination: dir, type: 'bind', source: special, options: [words.includes('nosub') ? 'bind' : 'rbind', ...opts] };
  return { destination: dir, type, source: special, options: opts };
}

/** The kernel filesystems of every zone, as our supervisor mounts them. */
function systemMounts(exclusive: boolean): OciMount[] {
  const sys: OciMount = exclusive
    ? { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] }
    : // sysfs can only be mounted by the owner of the network namespace: a shared-IP zone sees the host's, read-only.
      // rro: the host's securityfs, debugfs, bpf or efivars below /sys read-only too
      { destination: '/sys', type: 'bind', source: '/sys', options: ['rbind', 'rro', 'nosuid', 'noexec', 'nodev'] };
  return [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    sys,
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['nosuid', 'noexec', 'nodev', 'relatime', 'ro'] },
  ];
}

/**
 * The zone's mounts: the kernel filesystems, then its inherit-pkg-dirs (the host's directories,
 * read-only all the way down, idmapped so the host's root owns them as the zone's root, as in
 * our boot: crun does; runc 1.1 ignores the option and shows them owned by nobody), then its fs
 * resources.
 */
export function zoneMounts(cfg: ZoneConfig, exclusive: boolean): { mounts: OciMount[]; warnings: string[] } {
  const mounts = systemMounts(exclusive);
  const warnings: string[] = [];
  for (const r of cfg.resources) {
    if (r.type === 'inherit-pkg-dir' && str(r.props.dir)) {
      const dir = str(r.props.dir);
      // rro: read-only all the way down (runtimes apply plain ro to the top mount only, and a user
      // namespace may not bind a mount without the mounts the host put below it)
      mounts.push({ destination: dir, type: 'bind', source: dir, options: ['rbind', 'rro', 'nodev', 'idmap'] });
    } else if (r.type === 'fs') {
      const type = str(r.props.type);
      mounts.push(fsResourceMount(type, str(r.props.special), str(r.props.dir), list(r.props.options)));
      if (type !== 'lofs' && type !== 'tmpfs') {
        warnings.push(
          `fs ${str(r.props.dir)}: a runtime mounts ${type} from inside the zone's user namespace, where the kernel ` +
            'refuses a block device filesystem; mount it on the host and give it as lofs.',
        );
      }
    }
  }
  return { mounts, warnings };
}

/** config.json for the zone. Its configuration is verified (zoneadm/export.ts): limitpriv parses. */
export function runtimeConfig(cfg: ZoneConfig, facts: ZoneFacts): RuntimeConfigResult {
  const ipType: IpType = cfg.globals['ip-type'] === 'exclusive' ? 'exclusive' : 'shared';
  const exclusive = ipType === 'exclusive';
  const priv = parseLimitpriv(cfg.globals.limitpriv ?? '', ipType);
  if (!priv.ok) throw new Error(priv.errors.join('; '));
  const caps = [...priv.capabilities];
  const warnings: string[] = [];
  const limits = limitsFromConfig(cfg);
  const ipc = ipcSysctls(limits.ipc);
  const sysctl: Record<string, string> = {};
  let refuseNewIpc = false;
  for (const [name, value] of ipc.sysctls) {
    if (name.startsWith('user/')) refuseNewIpc = true;
    else sysctl[sysctlKey(name)] = value;
  }
  warnings.push(...ipc.warnings);
  if (caps.includes('CAP_SYS_TIME')) {
    warnings.push('sys_time: only zoneadm boot sets the host clock for the zone; under an OCI runtime the zone cannot set it.');
  }
  const res = ociResources(limits, facts.devices.rules);
  warnings.push(...res.warnings);
  const mounts = zoneMounts(cfg, exclusive);
  warnings.push(...mounts.warnings);
  if (exclusive && cfg.resources.some((r) => r.type === 'net')) {
    warnings.push("net: the zone's network namespace starts with its loopback only; a runtime hook or CNI plugin adds its interfaces.");
  }
  const namespaces = ['pid', 'ipc', 'uts', 'mount', 'user', 'cgroup', ...(exclusive ? ['network'] : [])].map((type) => ({ type }));
  const { uid, gid, count } = facts.idmap;
  const config: OciConfig = {
    ociVersion: OCI_VERSION,
    process: {
      terminal: false,
      user: { uid: 0, gid: 0 },
      args: [facts.init.path, ...facts.init.args],
      env: [...ZONE_ENV],
      cwd: '/',
      capabilities: { bounding: caps, effective: caps, permitted: caps, inheritable: [], ambient: [] },
      ...(limits.memlockBytes !== undefined
        ? { rlimits: [{ type: 'RLIMIT_MEMLOCK', hard: limits.memlockBytes, soft: limits.memlockBytes }] }
        : {}),
      // setuid programs (sudo, ping) work in a zone, as in our boot.
      noNewPrivileges: false,
    },
    root: { path: BUNDLE_ROOTFS, readonly: false },
    hostname: facts.name,
    mounts: mounts.mounts,
    annotations: {
      'org.zones.zonename': facts.name,
      'org.zones.brand': cfg.globals.brand || 'native',
      'org.zones.ip-type': ipType,
    },
    linux: {
      uidMappings: [{ containerID: 0, hostID: uid, size: count }],
      gidMappings: [{ containerID: 0, hostID: gid, size: count }],
      namespaces,
      devices: facts.devices.nodes.map((n) => zoneDevice(n, count)),
      resources: res.resources,
      ...(Object.keys(sysctl).length > 0 ? { sysctl } : {}),
      seccomp: ociSeccomp(caps, facts.arches, refuseNewIpc),
      maskedPaths: PROC_MASKED.map((m) => `/proc/${m}`),
      readonlyPaths: exclusive ? PROC_SYS_BUT_NET.map((d) => `/proc/sys/${d}`) : ['/proc/sys'],
    },
  };
  return { config, warnings };
}
