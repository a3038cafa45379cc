/**
 * What a zone's /proc hides (docs/security.md, "/proc and /sys") and the environment its init
 * starts with: one table each for both ways a zone runs, our supervisor's boot and an exported
 * OCI bundle or image (core/src/oci/).
 */

/** Entries of /proc covered by /dev/null where they exist: host memory, symbols, keys, the SysRq trigger, timers. */
export const PROC_MASKED = ['kcore', 'kallsyms', 'keys', 'sysrq-trigger', 'timer_list'] as const;

/**
 * The environment of a zone's init: our supervisor execs it with this (zoneadmd --env), and an
 * exported bundle or image gives the same (docs/scale.md).
 */
export const ZONE_ENV = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'TERM=linux', 'HOME=/', 'container=zone'] as const;
