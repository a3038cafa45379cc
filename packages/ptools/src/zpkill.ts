/** zpkill: Solaris pkill with zones (pgrep-main.ts, docs/reference.md#82-zpgrep-and-zpkill). */
import { pgrepMain } from './pgrep-main.js';

export function main(argv: readonly string[]): Promise<number> {
  return pgrepMain(argv, true);
}
