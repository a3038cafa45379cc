/**
 * Lab 14 (docs/labs/14-debootstrap-rinse.md) through lab-harness.ts: the Debian zone from the
 * shared bootstrap cache; the rpm zone's install fails here (no RPM mirror), and says why.
 */
import { expect, test } from '@jest/globals';
import { labSuite } from './lab-harness.js';

labSuite(14, {
  bootstrapCache: true,
  extra: (run) => {
    test('the host limit is shown, and a wrong mirror does not count', () => {
      const { zonelab } = run();
      expect(zonelab(['answer', '14', 'rinse-mirror', 'http://mirror.example.org/']).status).toBe(0);
      const r = zonelab(['check', '14']);
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/\[host\] +no RPM mirror/);
      expect(r.stdout).toMatch(/\[missing\] the mirror rinse would download from is recorded: http:\/\/mirror\.example\.org\/ is not/);
      expect(r.stdout).toMatch(/\[done\] +zoneadm -z rpmzone install -r DIST ran rinse: it ran rinse --distribution rocky-9 .* and failed: rinse could not download its packages from http/);
    });
  },
});
