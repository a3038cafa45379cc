/**
 * Runtime errors carry a code and Solaris wording (docs/reference.md#42-subcommands-and-states); the CLI chooses the
 * prefix and the exit status (`zone is already booted` / `zone is already halted` are exit 0).
 */

export type ZoneRuntimeErrorCode =
  | 'Z_NO_ZONE'
  | 'Z_GLOBAL'
  | 'Z_NOT_INSTALLED'
  | 'Z_ALREADY_BOOTED'
  | 'Z_ALREADY_READY'
  | 'Z_ALREADY_HALTED'
  | 'Z_BUSY'
  | 'Z_NO_ROOT'
  | 'Z_BAD_LIMITPRIV'
  | 'Z_BAD_BOOTARGS'
  | 'Z_BAD_DEVICE'
  | 'Z_NO_SUPERVISOR'
  | 'Z_BOOT_FAILED'
  | 'Z_HALT_FAILED'
  | 'Z_NETWORK'
  | 'Z_NO_CGROUP'
  | 'Z_IDMAP'
  | 'Z_POOL'
  | 'Z_LIMITS'
  /** zonecfg -r (runtime/live-apply.ts) */
  | 'Z_NOT_RUNNING'
  | 'Z_LIVE_REFUSED'
  | 'Z_LIVE_CHANGED'
  | 'Z_LIVE_FAILED';

export class ZoneRuntimeError extends Error {
  constructor(
    readonly code: ZoneRuntimeErrorCode,
    message: string,
    readonly zone?: string,
  ) {
    super(message);
    this.name = 'ZoneRuntimeError';
  }
}

export const runtimeError = {
  noZone: (z: string) => new ZoneRuntimeError('Z_NO_ZONE', 'No such zone configured', z),
  global: (op: string) => new ZoneRuntimeError('Z_GLOBAL', `${op} operation is invalid for the global zone.`, 'global'),
  notInstalled: (z: string, op: string) => new ZoneRuntimeError('Z_NOT_INSTALLED', `must be installed before ${op}.`, z),
  alreadyBooted: (z: string) => new ZoneRuntimeError('Z_ALREADY_BOOTED', 'zone is already booted', z),
  alreadyReady: (z: string) => new ZoneRuntimeError('Z_ALREADY_READY', 'zone is already ready', z),
  alreadyHalted: (z: string) => new ZoneRuntimeError('Z_ALREADY_HALTED', 'zone is already halted', z),
  busy: (z: string) => new ZoneRuntimeError('Z_BUSY', 'another zoneadm may have an operation in progress.', z),
  noRoot: (z: string, root: string) => new ZoneRuntimeError('Z_NO_ROOT', `the zone root ${root} does not exist`, z),
  badLimitpriv: (z: string, errors: string[]) => new ZoneRuntimeError('Z_BAD_LIMITPRIV', errors.join('\n'), z),
  badBootargs: (z: string, why: string) => new ZoneRuntimeError('Z_BAD_BOOTARGS', `invalid boot arguments: ${why}`, z),
  badDevices: (z: string, problems: string[]) => new ZoneRuntimeError('Z_BAD_DEVICE', problems.join('\n'), z),
  noSupervisor: (path: string) =>
    new ZoneRuntimeError(
      'Z_NO_SUPERVISOR',
      `the zone supervisor ${path} is not built: run 'npm run build:native' (needs the Debian packages gcc and libc6-dev)`,
    ),
  bootFailed: (z: string, why: string) => new ZoneRuntimeError('Z_BOOT_FAILED', `call to zoneadmd failed: ${why}`, z),
  network: (z: string, why: string) => new ZoneRuntimeError('Z_NETWORK', `could not configure the zone's network: ${why}`, z),
  noCgroup: (z: string, missing: string[]) =>
    new ZoneRuntimeError(
      'Z_NO_CGROUP',
      `cannot place the zone in its cgroups: this host lacks ${missing.join(', ')} (cgroupfs must be mounted at /sys/fs/cgroup; 'ip netns exec' hides it)`,
      z,
    ),
  idmap: (z: string, why: string) => new ZoneRuntimeError('Z_IDMAP', `cannot give the zone its user namespace: ${why}`, z),
  noIdmappedMount: (z: string, path: string, fstype: string) =>
    new ZoneRuntimeError(
      'Z_IDMAP',
      `${path} is on a ${fstype} filesystem, which cannot be idmapped: a zone's root, inherit-pkg-dirs and fs resources must be on one that can (ext4, xfs, btrfs, tmpfs...; docs/security.md)`,
      z,
    ),
  haltFailed: (z: string, why: string) => new ZoneRuntimeError('Z_HALT_FAILED', `unable to halt zone: ${why}`, z),
};
