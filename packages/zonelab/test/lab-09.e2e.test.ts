/**
 * Lab 09 (docs/labs/09-processes-behind-a-zone.md) through lab-harness.ts, then wrong answers:
 * the supervisor given as the init, a cgroup of another zone, the zone's uid inside instead of
 * the host's. Each fails its item, and the check never prints the right value.
 */
import { expect, test } from '@jest/globals';
import { readAnswers } from '@zones/core/labs/answers';
import { labSuite } from './lab-harness.js';

labSuite(9, {
  extra(run) {
    test('wrong answers fail their items without giving the right one away', () => {
      const right = readAnswers(run().root, 9);
      const wrong = { init: right.supervisor!, cgroup: right.cgroup!.replace(/nueve$/, 'otra'), uid: '0' };
      try {
        for (const [k, v] of Object.entries(wrong)) expect(run().zonelab(['answer', '09', k, v]).status).toBe(0);
        const r = run().zonelab(['check', '09']);
        expect(r.status).toBe(1);
        expect(r.stdout).toMatch(/\[missing\] the host pid of the zone's init/);
        expect(r.stdout).toMatch(/\[missing\] the zone's cgroup/);
        expect(r.stdout).toMatch(/\[missing\] the host uid of nueve's root/);
        expect(r.stdout).toMatch(/\[done\] {4}the supervisor's pid/);
        expect(r.stdout).not.toMatch(new RegExp(`\\b${right.init!}\\b`));
        expect(r.stdout).not.toMatch(new RegExp(`\\b${right.uid!}\\b`));
      } finally {
        for (const k of Object.keys(wrong)) run().zonelab(['answer', '09', k, right[k]!]);
      }
      expect(run().zonelab(['check', '09']).status).toBe(0);
    });
  },
});
