/**
 * The system calls a zone never gets (docs/security.md, "Kernel surface"). A deny list, anchored on
 * Docker's default profile (an allow list whose refusals are kept here) and LXC's
 * `common.seccomp`; each entry says where it comes from, and docs/security.md lists where zones
 * differ from both. Pure data: platform/syscalls.ts turns names into numbers per architecture and
 * the supervisor builds the BPF program from that.
 */

export type SyscallAction =
  /** Fail with this errno. */
  | { errno: 'EPERM' | 'EACCES' | 'ENOSYS' }
  /** Stop the caller and let the zone's supervisor decide and act (seccomp user notification). */
  | 'notify';

export interface SyscallRule {
  name: string;
  action: SyscallAction;
  /** Only when an argument matches: any bit of `mask` set, or equal to `equals` (its low 32 bits). */
  when?: { arg: number; mask?: number; equals?: number };
  /** Which reference refuses it too. */
  anchor: 'docker' | 'lxc' | 'docker, lxc' | 'zones';
  why: string;
}

const EPERM = { errno: 'EPERM' } as const;

/** MNT_FORCE in umount2's flags. */
const MNT_FORCE = 1;
const AF_ALG = 38;
const AF_VSOCK = 40;

export const ZONE_SYSCALL_DENY: readonly SyscallRule[] = [
  { name: 'open_by_handle_at', action: EPERM, anchor: 'docker, lxc', why: 'opens any file of a filesystem by handle, past the zone root (CAP_DAC_READ_SEARCH)' },
  { name: 'kexec_load', action: EPERM, anchor: 'docker, lxc', why: 'replaces the running kernel' },
  { name: 'kexec_file_load', action: EPERM, anchor: 'docker', why: 'replaces the running kernel' },
  { name: 'init_module', action: EPERM, anchor: 'docker, lxc', why: 'loads code into the kernel' },
  { name: 'finit_module', action: EPERM, anchor: 'docker, lxc', why: 'loads code into the kernel' },
  { name: 'delete_module', action: EPERM, anchor: 'docker, lxc', why: 'unloads kernel code the host relies on' },
  { name: 'bpf', action: EPERM, anchor: 'docker', why: 'kernel programs and maps; a large attack surface' },
  { name: 'perf_event_open', action: EPERM, anchor: 'docker', why: 'observes the whole host; a large attack surface' },
  { name: 'userfaultfd', action: EPERM, anchor: 'docker', why: 'stalls kernel page faults at will: the usual lever of kernel race exploits' },
  // ENOSYS, not EPERM: programs then take the kernel for one built without keyrings and fall back (LXC's choice).
  { name: 'keyctl', action: { errno: 'ENOSYS' }, anchor: 'docker', why: 'the kernel keyrings are not namespaced' },
  { name: 'add_key', action: { errno: 'ENOSYS' }, anchor: 'docker', why: 'the kernel keyrings are not namespaced' },
  { name: 'request_key', action: { errno: 'ENOSYS' }, anchor: 'docker', why: 'the kernel keyrings are not namespaced' },
  { name: 'iopl', action: EPERM, anchor: 'docker', why: 'direct access to I/O ports' },
  { name: 'ioperm', action: EPERM, anchor: 'docker', why: 'direct access to I/O ports' },
  { name: 'swapon', action: EPERM, anchor: 'docker', why: 'changes the host swap' },
  { name: 'swapoff', action: EPERM, anchor: 'docker', why: 'changes the host swap' },
  { name: 'syslog', action: EPERM, anchor: 'docker', why: 'reads and clears the host kernel log' },
  { name: 'acct', action: EPERM, anchor: 'docker', why: 'process accounting is host-wide' },
  { name: 'umount2', action: { errno: 'EACCES' }, when: { arg: 1, mask: MNT_FORCE }, anchor: 'lxc', why: 'a forced unmount aborts I/O of a filesystem the host may share' },
  { name: 'socket', action: EPERM, when: { arg: 0, equals: AF_VSOCK }, anchor: 'docker', why: 'vsock reaches the hypervisor, outside every network namespace' },
  { name: 'socket', action: EPERM, when: { arg: 0, equals: AF_ALG }, anchor: 'docker', why: 'the kernel crypto sockets: a large attack surface' },
  { name: 'io_uring_setup', action: EPERM, anchor: 'docker', why: 'a second system call interface, outside this filter' },
  { name: 'io_uring_enter', action: EPERM, anchor: 'docker', why: 'a second system call interface, outside this filter' },
  { name: 'io_uring_register', action: EPERM, anchor: 'docker', why: 'a second system call interface, outside this filter' },
  // Obsolete interfaces nothing in a zone uses.
  { name: 'uselib', action: EPERM, anchor: 'docker', why: 'obsolete a.out loader' },
  { name: 'lookup_dcookie', action: EPERM, anchor: 'docker', why: 'obsolete profiling interface' },
  { name: 'nfsservctl', action: EPERM, anchor: 'docker', why: 'obsolete NFS server control' },
  { name: '_sysctl', action: EPERM, anchor: 'docker', why: 'obsolete binary sysctl' },
  { name: 'vm86', action: EPERM, anchor: 'docker', why: 'obsolete virtual 8086 mode' },
  { name: 'vm86old', action: EPERM, anchor: 'docker', why: 'obsolete virtual 8086 mode' },
  { name: 'create_module', action: EPERM, anchor: 'docker', why: 'obsolete module interface' },
  { name: 'get_kernel_syms', action: EPERM, anchor: 'docker', why: 'obsolete module interface' },
  { name: 'query_module', action: EPERM, anchor: 'docker', why: 'obsolete module interface' },
];

/**
 * Setting the system clock. CAP_SYS_TIME acts only in the host's user namespace, so a zone given
 * `sys_time` has these calls performed for it by its supervisor (which checks the caller's
 * CAP_SYS_TIME first, as the kernel would); without `sys_time` the kernel refuses them itself
 * (reading the clock through adjtimex stays allowed either way).
 */
export const CLOCK_SETTING_SYSCALLS = ['clock_settime', 'settimeofday', 'adjtimex', 'clock_adjtime'] as const;

/** The zone's rules: the deny list, plus the clock calls for its supervisor when it holds CAP_SYS_TIME. */
export function zoneSyscallRules(capabilities: readonly string[]): SyscallRule[] {
  const rules = [...ZONE_SYSCALL_DENY];
  if (capabilities.includes('CAP_SYS_TIME')) {
    for (const name of CLOCK_SETTING_SYSCALLS) {
      rules.push({ name, action: 'notify', anchor: 'zones', why: 'sys_time: the supervisor sets the host clock for the zone' });
    }
  }
  return rules;
}
