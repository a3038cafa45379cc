/**
 * Lab 07 (docs/labs/07-security.md) through lab-harness.ts, and what makes its check strict: a
 * wrong answer is refused against what the zone itself answers, and a limitpriv changed without a
 * reboot shows as capabilities the zone does not have yet.
 */
import { expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { labSuite } from './lab-harness.js';

labSuite(7, {
  extra: (run) => {
    test('an answer that names the wrong error does not count', () => {
      const { zonelab } = run();
      expect(zonelab(['answer', '07', 'sysctl', 'Operation not permitted']).status).toBe(0);
      const r = zonelab(['check', '07']);
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/\[missing\] zone root cannot write a kernel setting .*you recorded EPERM/);
      zonelab(['answer', '07', 'sysctl', 'Read-only file system']);
      expect(zonelab(['check', '07']).status).toBe(0);
    });

    test('a limitpriv changed since the boot is not what the zone runs with', () => {
      const { zonelab, env } = run();
      const set = (lp: string) => expect(spawnSync('zonecfg', ['-z', 'sec', `set limitpriv="${lp}"`], { env, encoding: 'utf8' }).status).toBe(0);
      set('default,dtrace_proc,sys_time');
      try {
        const r = zonelab(['check', '07']);
        expect(r.status).toBe(1);
        expect(r.stdout).toMatch(/\[missing\] zone sec runs with the capabilities its limitpriv gives: .*it lacks CAP_SYS_TIME/);
      } finally {
        set('default,dtrace_proc,dtrace_user');
      }
      expect(zonelab(['check', '07']).status).toBe(0);
    });
  },
});
