/**
 * The IPC rctls (zone.max-shm-memory, -shm-ids, -msg-ids, -sem-ids) as the sysctls of the zone's
 * own IPC namespace: the names under /proc/sys and the values the kernel takes
 * (docs/resource-controls.md#ipc). The supervisor writes them from inside the zone's user and IPC
 * namespaces before its init runs (zoneadmd --sysctl), zenter -S for a running zone; neither
 * knows what they mean. No I/O here.
 */
import type { IpcLimits } from './cgroups/limits.js';

/** IPCMNI: the most ids of one kind an IPC namespace can have (without the ipcmni_extend boot option). */
export const IPC_MAX_IDS = 32768;

/** The page size shmall counts in (4 KiB on the architectures zones runs on: x86-64, arm64 with 4K pages). */
const PAGE_SIZE = 4096;

/** A new IPC namespace's kernel.sem (SEMMSL SEMMNS SEMOPM SEMMNI), of which only SEMMNI is a zone rctl. */
const SEM_DEFAULTS = { semmsl: 32000, semmns: 1024000000, semopm: 500 };

/**
 * Written with the rest when any IPC rctl is set: no new IPC namespace may be made below the
 * zone's user namespace, so zone root cannot leave its limits behind with `unshare -i` (a nested
 * user namespace counts against the zone's: the kernel checks every level up).
 */
export const NO_NESTED_IPC_NAMESPACES: readonly [string, string] = ['user/max_ipc_namespaces', '0'];

export interface IpcSysctls {
  /** [name under /proc/sys, value], in the order to write them. */
  sysctls: [string, string][];
  /** Values beyond what the kernel takes, clamped. */
  warnings: string[];
}

/** A new IPC namespace's values, for a live change that drops an IPC rctl (shmmax = shmall = ULONG_MAX - 2^24). */
const IPC_DEFAULTS = { shmmni: 4096, msgmni: 32000, semmni: 32000, shm: '18446744073692774399', namespaces: '2147483647' };

/**
 * The sysctls for `ipc`. At boot an unset control is left at the new namespace's default; with
 * `resetUnset` (a live change) it is written back to it, and nested IPC namespaces are allowed again
 * once no IPC control is left.
 */
export function ipcSysctls(ipc: IpcLimits | undefined, resetUnset = false): IpcSysctls {
  const sysctls: [string, string][] = [];
  const warnings: string[] = [];
  if (resetUnset) {
    const d = IPC_DEFAULTS;
    const given = ipcSysctls(ipc);
    const has = (n: string) => given.sysctls.some(([k]) => k === n);
    const defaults: [string, string][] = [
      ['kernel/shmmni', String(d.shmmni)],
      ['kernel/msgmni', String(d.msgmni)],
      ['kernel/sem', `${SEM_DEFAULTS.semmsl} ${SEM_DEFAULTS.semmns} ${SEM_DEFAULTS.semopm} ${d.semmni}`],
      ['kernel/shmall', d.shm],
      ['kernel/shmmax', d.shm],
      [NO_NESTED_IPC_NAMESPACES[0], d.namespaces],
    ];
    return { sysctls: [...defaults.filter(([k]) => !has(k)), ...given.sysctls], warnings: given.warnings };
  }
  if (!ipc) return { sysctls, warnings };
  const ids = (rctl: string, v: number): number => {
    if (v <= IPC_MAX_IDS) return v;
    warnings.push(`rctl ${rctl} ${v} is beyond the kernel's ${IPC_MAX_IDS} ids: ${IPC_MAX_IDS} is enforced.`);
    return IPC_MAX_IDS;
  };
  if (ipc.shmIds !== undefined) sysctls.push(['kernel/shmmni', String(ids('zone.max-shm-ids', ipc.shmIds))]);
  if (ipc.msgIds !== undefined) sysctls.push(['kernel/msgmni', String(ids('zone.max-msg-ids', ipc.msgIds))]);
  if (ipc.semIds !== undefined) {
    const s = SEM_DEFAULTS;
    sysctls.push(['kernel/sem', `${s.semmsl} ${s.semmns} ${s.semopm} ${ids('zone.max-sem-ids', ipc.semIds)}`]);
  }
  if (ipc.shmMemoryBytes !== undefined) {
    // Solaris caps the zone's total; Linux has the total in pages (shmall) and one segment's size (shmmax).
    sysctls.push(['kernel/shmall', String(Math.ceil(ipc.shmMemoryBytes / PAGE_SIZE))]);
    sysctls.push(['kernel/shmmax', String(ipc.shmMemoryBytes)]);
  }
  sysctls.push([...NO_NESTED_IPC_NAMESPACES]);
  return { sysctls, warnings };
}
