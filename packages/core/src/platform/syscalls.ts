/**
 * System call numbers of the architectures a zone's processes may use, for the names
 * model/seccomp.ts refers to, and the seccomp rules in the form the supervisor takes them
 * (`--syscall ARCH:NR:ACTION[:ARG:OP:VALUE]`), and the mount flags it applies. Numbers from the
 * kernel's syscall tables (arch/x86/entry/syscalls, include/uapi/asm-generic/unistd.h for arm64).
 */
import type { SyscallRule } from '../model/seccomp.js';

/** AUDIT_ARCH_* of linux/audit.h: what seccomp sees in seccomp_data.arch. */
export const AUDIT_ARCH = { x86_64: 0xc000003e, i386: 0x40000003, aarch64: 0xc00000b7 } as const;
export type SyscallArch = keyof typeof AUDIT_ARCH;

const X86_64: Record<string, number> = {
  open_by_handle_at: 304, kexec_load: 246, kexec_file_load: 320, init_module: 175, finit_module: 313,
  delete_module: 176, bpf: 321, perf_event_open: 298, userfaultfd: 323, keyctl: 250, add_key: 248,
  request_key: 249, iopl: 172, ioperm: 173, swapon: 167, swapoff: 168, syslog: 103, acct: 163, umount2: 166,
  socket: 41, io_uring_setup: 425, io_uring_enter: 426, io_uring_register: 427, uselib: 134, lookup_dcookie: 212,
  nfsservctl: 180, _sysctl: 156, create_module: 174, get_kernel_syms: 177, query_module: 178,
  clock_settime: 227, settimeofday: 164, adjtimex: 159, clock_adjtime: 305, reboot: 169,
};

const I386: Record<string, number> = {
  open_by_handle_at: 342, kexec_load: 283, init_module: 128, finit_module: 350, delete_module: 129, bpf: 357,
  perf_event_open: 336, userfaultfd: 374, keyctl: 288, add_key: 286, request_key: 287, iopl: 110, ioperm: 101,
  swapon: 87, swapoff: 115, syslog: 103, acct: 51, umount2: 52, socket: 359, io_uring_setup: 425,
  io_uring_enter: 426, io_uring_register: 427, uselib: 86, lookup_dcookie: 253, nfsservctl: 169, _sysctl: 149,
  vm86: 166, vm86old: 113, create_module: 127, get_kernel_syms: 130, query_module: 167, reboot: 88,
};

const AARCH64: Record<string, number> = {
  open_by_handle_at: 265, kexec_load: 104, kexec_file_load: 294, init_module: 105, finit_module: 273,
  delete_module: 106, bpf: 280, perf_event_open: 241, userfaultfd: 282, keyctl: 219, add_key: 217,
  request_key: 218, swapon: 224, swapoff: 225, syslog: 116, acct: 89, umount2: 39, socket: 198,
  io_uring_setup: 425, io_uring_enter: 426, io_uring_register: 427, lookup_dcookie: 18, nfsservctl: 42,
  clock_settime: 112, settimeofday: 170, adjtimex: 171, clock_adjtime: 266, reboot: 142,
};

const TABLES: Record<SyscallArch, Record<string, number>> = { x86_64: X86_64, i386: I386, aarch64: AARCH64 };

/**
 * The ABIs a process on this host can call the kernel through: the native one first, then the
 * compat ones (32-bit x86 on x86_64). The filter refuses every other ABI outright. Clock calls are
 * only handed to the supervisor on the native ABI; on a compat ABI the kernel refuses them itself.
 */
export function hostSyscallArches(nodeArch: string = process.arch): SyscallArch[] {
  if (nodeArch === 'x64') return ['x86_64', 'i386'];
  if (nodeArch === 'arm64') return ['aarch64'];
  throw new Error(`no system call filter for the ${nodeArch} architecture: zones run on x86_64 and arm64`);
}

/** The errno numbers the rules of model/seccomp.ts answer with. */
export const SECCOMP_ERRNO: Readonly<Record<string, number>> = { EPERM: 1, EACCES: 13, ENOSYS: 38 };

/** The supervisor's `--syscall` values for the rules: `c000003e:304:e1`, `c000003e:166:e13:1:&:1`, `c000003e:227:n`. */
export function syscallArgs(rules: readonly SyscallRule[], arches: readonly SyscallArch[] = hostSyscallArches()): string[] {
  const out: string[] = [];
  arches.forEach((arch, i) => {
    const table = TABLES[arch];
    for (const r of rules) {
      const nr = table[r.name];
      if (nr === undefined || (r.action === 'notify' && i > 0)) continue;
      const action = r.action === 'notify' ? 'n' : `e${SECCOMP_ERRNO[r.action.errno]}`;
      const when = r.when ? (r.when.mask !== undefined ? `:${r.when.arg}:&:${r.when.mask}` : `:${r.when.arg}:=:${r.when.equals}`) : '';
      out.push(`${AUDIT_ARCH[arch].toString(16)}:${nr}:${action}${when}`);
    }
  });
  return out;
}

/** mount(2) flags (linux/mount.h) the runtime decides for a zone's fs resources. */
export const MS = { RDONLY: 0x1, NOSUID: 0x2, NODEV: 0x4, NOEXEC: 0x8, BIND: 0x1000, REC: 0x4000 } as const;

/** The number of a call on an architecture (tests probe with it). */
export function syscallNumber(name: string, arch: SyscallArch = hostSyscallArches()[0]!): number | undefined {
  return TABLES[arch][name];
}
