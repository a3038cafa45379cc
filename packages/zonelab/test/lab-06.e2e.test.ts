/**
 * Lab 06 (docs/labs/06-limit-resources.md) through lab-harness.ts; then an answer for /tmp that no
 * fill of its tmpfs stops at does not count, and /tmp filled for real (no answer needed) does.
 */
import { expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { labSuite, REPO } from './lab-harness.js';

labSuite(6, {
  extra: (run) => {
    test('a wrong /tmp answer fails the check; a /tmp full now passes without one', () => {
      expect(run().zonelab(['answer', '06', 'tmp-full-bytes', '4096']).status).toBe(0);
      const wrong = run().zonelab(['check', '06']);
      expect(wrong.status).toBe(1);
      expect(wrong.stdout).toMatch(/\[missing\] \/tmp filled up to its size: tmp-full-bytes 4096 is not what a fill of this \/tmp \(16777216 bytes\) stops at/);
      const fill = spawnSync(join(REPO, 'bin', 'zlogin'), ['sandbox', 'cat /dev/zero > /tmp/fill'], { env: run().env, encoding: 'utf8', timeout: 20_000 });
      expect(fill.stderr).toMatch(/No space left on device/);
      const full = run().zonelab(['check', '06']);
      expect(full.stdout).toMatch(/\[done\] {4}\/tmp filled up to its size: \/tmp is full: 0 bytes free of 16 MiB/);
      expect(full.status).toBe(0);
    }, 30_000);
  },
});
