/**
 * Lab 17 (docs/labs/17-cpu-weights.md) through lab-harness.ts, then the students who missed the
 * point: the same shares with the load stopped in one zone, then in both, fail the check.
 */
import { expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { labSuite, REPO } from './lab-harness.js';

labSuite(17, {
  extra: (run) => {
    const stopLoops = (zone: string) => {
      const r = spawnSync(join(REPO, 'bin', 'zlogin'), [zone, 'pkill -x perl; true'], { env: run().env, encoding: 'utf8', timeout: 20_000 });
      expect(r.status).toBe(0);
    };

    test('load in one zone only, then in none, fails: the shares are measured, not just configured', () => {
      stopLoops('bronze');
      const one = run().zonelab(['check', '17']);
      expect(one.status).toBe(1);
      expect(one.stdout).toMatch(/\[done\] {4}their shares are in force/);
      expect(one.stdout).toMatch(/\[missing\] each zone keeps the host's \d+ CPUs busy .*bronze has 0 busy processes/);
      expect(one.stdout).toMatch(/\[missing\] the zones' CPU use follows their shares: .*bronze used 0\.00 s/);
      stopLoops('gold');
      const none = run().zonelab(['check', '17']);
      expect(none.status).toBe(1);
      expect(none.stdout).toMatch(/bronze has 0 busy processes, gold has 0 busy processes/);
    }, 30_000);
  },
});
