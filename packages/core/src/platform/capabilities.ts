/**
 * Capability sets as the kernel sees them: a 64-bit mask, bit N = capability number N
 * (linux/capability.h order, which is the order of LINUX_CAPABILITIES).
 */
import { LINUX_CAPABILITIES } from '../model/privileges.js';

/** The mask of a list of capability names (`CAP_SYS_TIME`...); unknown names are an error. */
export function capabilityMask(caps: readonly string[]): bigint {
  let mask = 0n;
  for (const c of caps) {
    const bit = (LINUX_CAPABILITIES as readonly string[]).indexOf(c);
    if (bit < 0) throw new TypeError(`unknown capability ${c}`);
    mask |= 1n << BigInt(bit);
  }
  return mask;
}

/** The names in a mask such as the CapBnd line of /proc/PID/status (hex). */
export function capabilityNames(mask: bigint | string): string[] {
  const m = typeof mask === 'string' ? BigInt(`0x${mask.trim()}`) : mask;
  return LINUX_CAPABILITIES.filter((_, i) => (m >> BigInt(i)) & 1n);
}
