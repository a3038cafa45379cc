/**
 * Lab 16 (docs/labs/16-nginx-between-zones.md) through lab-harness.ts, then: the check measures
 * now (nginx stopped in the zone fails it), and a listener on the port in the global zone's
 * network namespace fails it (a socket on the host's loopback that only listens: no traffic).
 * Traffic only between the lab's two zones, over the bridge its solution made (no address, no
 * physical port), removed by name in its cleanup.
 */
import { expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { labSuite, REPO } from './lab-harness.js';
import { zlogin } from './lab-zlogin.js';

labSuite(16, {
  solutionMs: 60_000,
  extra: (run) => {
    test('the check measures now: nginx stopped inside the zone fails it', () => {
      const r = run();
      expect(zlogin(r, 'web', 'nginx -s stop; for i in $(seq 50); do pgrep -x nginx >/dev/null || exit 0; sleep 0.1; done; exit 1').code).toBe(0);
      const c = r.zonelab(['check', '16']);
      expect(c.status).toBe(1);
      expect(c.stdout).toContain('  [missing] nginx runs in a zone: start it inside the server zone: zlogin web nginx\n');
      expect(zlogin(r, 'web', 'nginx').code).toBe(0);
      expect(r.zonelab(['check', '16']).status).toBe(0);
    }, 30_000);

    test("a listener on the port in the global zone's network namespace fails the check", async () => {
      const r = run();
      const server = createServer();
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(80, '127.0.0.1', resolve));
      try {
        const c = spawnSync(join(REPO, 'bin', 'zonelab'), ['check', '16'], { env: r.env, encoding: 'utf8', timeout: 60_000 });
        expect(c.status).toBe(1);
        expect(c.stdout).toMatch(/\n {2}\[missing\] the global zone's network namespace has no listener on port 80: the host listens on 80 /);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    }, 30_000);
  },
});
