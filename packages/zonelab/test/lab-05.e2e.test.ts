/**
 * Lab 05 (docs/labs/05-change-configuration.md) through lab-harness.ts; then a change made to the
 * stored configuration only (zonecfg without -r) is configured but not in effect, and the check
 * says so until `zoneadm apply` puts it in the zone's cgroup.
 */
import { expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { labSuite, REPO } from './lab-harness.js';

labSuite(5, {
  extra: (run) => {
    const tool = (name: string, args: string[]) => spawnSync(join(REPO, 'bin', name), args, { env: run().env, encoding: 'utf8', timeout: 30_000 });

    test('a control stored but not applied fails the check until zoneadm apply', () => {
      expect(tool('zonecfg', ['-z', 'web', 'set max-lwps=600']).status).toBe(0);
      const stale = run().zonelab(['check', '05']);
      expect(stale.status).toBe(1);
      expect(stale.stdout).toMatch(/\[missing\] its resource control is in the zone's cgroup: max-lwps \(pids\.max\) 600, the zone's cgroup has 500/);
      expect(tool('zoneadm', ['-z', 'web', 'apply']).status).toBe(0);
      expect(run().zonelab(['check', '05']).status).toBe(0);
    }, 30_000);
  },
});
