/**
 * Settings the environment gives the tools (README.md, "Environment"), read in one place so that
 * the CLIs only parse, call and print.
 */

/** $ZONES_SHUTDOWN_TIMEOUT: how long (ms) `zoneadm shutdown` waits for the init; undefined: core's default. */
export function shutdownTimeoutMs(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const secs = Number(env.ZONES_SHUTDOWN_TIMEOUT);
  return Number.isFinite(secs) && secs > 0 ? secs * 1000 : undefined;
}
