/**
 * What a zone's /proc hides (docs/security.md, "/proc and /sys"). One
 * table for both ways a zone runs: our supervisor masks these at boot, and an exported OCI bundle
 * (core/src/oci/runtime-config.ts) names them as its masked paths.
 */

/** Entries of /proc covered by /dev/null where they exist: host memory, symbols, keys, the SysRq trigger, timers. */
export const PROC_MASKED = ['kcore', 'kallsyms', 'keys', 'sysrq-trigger', 'timer_list'] as const;
