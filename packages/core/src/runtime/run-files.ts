/**
 * The files of a zone's run directory (`$ZONES_ROOT/var/run/zones/<name>/`), the one table of their
 * names: the runtime and `zoneadm list` read them by it, and the supervisor is built with it
 * (packages/core/native/build.sh turns it into `run-files.h`). What each holds:
 * docs/architecture.md, "Supervisor protocol". No imports: `zoneadm list`'s light path and the
 * native build load this module alone.
 */
export const RUN_FILES = {
  /** The supervisor's pid (written by the supervisor). */
  supervisorPid: 'zoneadmd.pid',
  /** Host pid of the zone's init, or in ready state of the process holding the zone (supervisor). */
  initPid: 'init.pid',
  /** `ready` or `running` (supervisor). */
  state: 'state',
  /** The zone id (written by the runtime before the supervisor starts). */
  zoneid: 'zoneid',
  /** The supervisor's unix socket: console, status, boot, halt, time-listener. */
  socket: 'console.sock',
  /** The capability mask (hex) the zone's processes are cut to, from its limitpriv at boot (supervisor). */
  caps: 'caps',
  /** The zone's pid namespace (`pid:[N]`): what identifies its init when its cgroup is gone (supervisor). */
  pidns: 'pidns',
  /** The zone's seccomp filter (BPF instructions), which zlogin installs too (supervisor). */
  seccomp: 'seccomp',
  /** dedicated-cpu: what the zone asked and the CPUs it holds, JSON (runtime/cpu-pool.ts, under the pool lock). */
  dedicatedCpus: 'dedicated-cpus',
  /**
   * The zone's running configuration, JSON (runtime): what it booted with, then each `zonecfg -r`
   * commit (docs/reference.md, "Live reconfiguration"); with the fs it mounted live and the index of
   * each net's interfaces.
   */
  liveConfig: 'live.json',
  /** The pid of the boot holding the run directory until the supervisor has answered (runtime). */
  booting: '.booting',
} as const;

/** A zone id reservation beside the run directories, `var/run/zones/.zoneid.N`, holding the zone's name (N >= 1: 0 is the global zone's). */
export const ZONEID_RESERVATION = /^\.zoneid\.([1-9]\d{0,9})$/;
