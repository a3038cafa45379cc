/** Lab 08 (docs/labs/08-performance.md) through lab-harness.ts: ten small zones with systemd (up to ~90 s). */
import { expect, test } from '@jest/globals';
import { labSuite } from './lab-harness.js';

labSuite(8, {
  solutionMs: 120_000,
  extra: (run) => {
    test('a wrong measure does not count', () => {
      const { zonelab } = run();
      expect(zonelab(['answer', '08', 'zone-mem', '900']).status).toBe(0);
      const r = zonelab(['check', '08']);
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/\[missing\] a zone's memory .*recorded 900 MiB/);
    });
  },
});
