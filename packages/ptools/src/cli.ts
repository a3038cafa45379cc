/**
 * What the four process tools share: the output guard, the refusal inside a zone, messages as
 * `<tool>: <message>`, and no stack trace whatever fails (docs/process-tools.md).
 */
import { guardOutput } from '@zones/core/output';
import { inNonGlobalZone } from '@zones/core/platform/proc';

export function say(tool: string, message: string): void {
  process.stderr.write(`${tool}: ${message}\n`);
}

/**
 * Runs a tool's body: `fatal` is its status when it cannot run at all (inside a zone, where the
 * other zones' processes are out of sight, or on an unexpected error).
 */
export async function runCli(tool: string, fatal: number, body: () => Promise<number> | number): Promise<number> {
  guardOutput(tool);
  try {
    if (inNonGlobalZone()) {
      say(tool, `'${tool}' may only be used from the global zone`);
      return fatal;
    }
    return await body();
  } catch (e) {
    say(tool, (e as Error).message);
    return fatal;
  }
}
