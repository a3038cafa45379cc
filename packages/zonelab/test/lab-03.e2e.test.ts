/**
 * Lab 03 (docs/labs/03-install-a-small-zone.md) through lab-harness.ts, then the zonepath's mode
 * opened up: the check notices it.
 */
import { expect, test } from '@jest/globals';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { labSuite } from './lab-harness.js';

labSuite(3, {
  extra(run) {
    test('a zonepath other users may read fails the check', () => {
      const zp = join(run().root, 'zones', 'viernes13');
      chmodSync(zp, 0o755);
      try {
        const r = run().zonelab(['check', '03']);
        expect(r.status).toBe(1);
        expect(r.stdout).toContain(`[missing] its zonepath is a directory of mode 700: ${zp} has mode 755: chmod 700 ${zp}`);
      } finally {
        chmodSync(zp, 0o700);
      }
    });
  },
});
