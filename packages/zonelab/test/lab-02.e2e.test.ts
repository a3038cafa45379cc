/**
 * Lab 02 (docs/labs/02-administering-from-the-global-zone.md) through lab-harness.ts, then what a
 * student who used the host's own kill instead of zpkill -z ends with: the kept process killed
 * too, and the check says so.
 */
import { expect, test } from '@jest/globals';
import { readAnswers } from '@zones/core/labs/answers';
import { processAlive } from '@zones/core/platform/proc';
import { labSuite } from './lab-harness.js';

labSuite(2, {
  extra(run) {
    test('the check fails once the kept process dies as well (a host-wide kill)', async () => {
      const kept = Number(readAnswers(run().root, 2).kept);
      expect(processAlive(kept)).toBe(true);
      process.kill(kept, 'SIGKILL');
      for (let i = 0; i < 100 && processAlive(kept); i++) await new Promise((r) => setTimeout(r, 50));
      const r = run().zonelab(['check', '02']);
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/\[missing\] the process you kept still runs in its zone: pid \d+ no longer exists/);
    });
  },
});
