// Jest global teardown: the run fails when a test left a zone process, a zone cgroup, a mount or a
// network link behind (scripts/jest/leaks.mjs). A process may take a moment to be reaped.
import { leftovers, snapshot } from './leaks.mjs';

export default async function teardown() {
  const before = globalThis.__zonesHostBefore;
  if (!before) return;
  let left = [];
  for (let i = 0; i < 50; i++) {
    left = leftovers(before, snapshot());
    if (left.length === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the test run left these behind on the host:\n  ${left.join('\n  ')}`);
}
