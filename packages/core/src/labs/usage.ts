/** zonelab's command line as its usage and its manual page (manual/zonelab.ts) both print it. */
import { LABS } from './registry.js';

export const ZONELAB_SUMMARY = 'check the teaching labs of docs/labs/ against this host';

export const ZONELAB_COMMANDS: readonly (readonly [string, string])[] = [
  ['list [--json]', 'Every lab with its status on this host (`done`, `started`, `not started`), how many of its items are done, and what this host cannot give for it.'],
  ['check <lab> [--json]', 'What the lab asks for, each item `[done]` or `[missing]` with the next step; exit 0 when every item is done.'],
  ['show <lab>', "The lab's sheet."],
  ['answer <lab> <name> <value>', 'Records an answer the sheet asks for (a value the host no longer shows afterwards); the check compares it with the truth.'],
];

export function zonelabUsage(): string {
  const lines = ZONELAB_COMMANDS.map(([c], i) => `${i === 0 ? 'usage:' : ''}\tzonelab ${c}`);
  return `${lines.join('\n')}\n<lab> is a number (1-${LABS.length}) or a lab's name; the sheets are in docs/labs/.`;
}
