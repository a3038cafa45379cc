/** Lab 11 (docs/labs/11-private-hostname.md) through lab-harness.ts; the zone's name given back fails the check. */
import { expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { labSuite } from './lab-harness.js';

labSuite(11, {
  extra: (run) => {
    test('a zone whose hostname is still the one its boot gave it has not done the lab', () => {
      const { zonelab, env } = run();
      const hostname = (name: string) => expect(spawnSync('zlogin', ['web', 'hostname', name], { env, encoding: 'utf8' }).status).toBe(0);
      hostname('web');
      try {
        const r = zonelab(['check', '11']);
        expect(r.status).toBe(1);
        expect(r.stdout).toMatch(/\[missing\] zone web has a hostname its root set from inside: it is still "web"/);
      } finally {
        hostname('webserver');
      }
      expect(zonelab(['check', '11']).status).toBe(0);
    });
  },
});
