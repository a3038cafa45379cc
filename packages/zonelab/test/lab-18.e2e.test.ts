/** Lab 18 (docs/labs/18-capabilities.md) through lab-harness.ts; wrong capability names and counts do not count. */
import { expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { zoneRunFiles } from '../../zoneadm/test/run-files.js';
import { labSuite } from './lab-harness.js';

const capBnd = (pid: string) => BigInt(`0x${/^CapBnd:\s*([0-9a-f]+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]}`);

labSuite(18, {
  extra: (run) => {
    test('a wrong capability, a capability the change did not touch or a wrong count do not count', () => {
      const { zonelab, root } = run();
      const init = String(zoneRunFiles(root).initPid('caps'));
      const lacks = capBnd('self') & ~capBnd(init);
      const dropped = [...lacks.toString(2)].filter((b) => b === '1').length;
      const answer = (k: string, v: string) => expect(zonelab(['answer', '18', k, v]).status).toBe(0);
      answer('load-module', 'sys_admin');
      answer('changed', 'cap_sys_admin');
      answer('dropped', '1');
      const r = zonelab(['check', '18']);
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/\[missing\] the capability that would let zone root load a kernel module .*: not CAP_SYS_ADMIN/);
      expect(r.stdout).toMatch(/\[missing\] the capability your limitpriv change added or removed: CAP_SYS_ADMIN is the same/);
      expect(r.stdout).toMatch(/\[missing\] the number of the global zone's capabilities zone caps lacks: 1 is not/);
      answer('load-module', 'sys_module'); // the forms capsh and setpriv print count too
      answer('changed', 'cap_sys_chroot');
      answer('dropped', String(dropped));
      const ok = zonelab(['check', '18']);
      expect(ok.status).toBe(0);
      expect(ok.stdout).toMatch(/\[done\]    the capability that would let zone root load a kernel module/);
      expect(ok.stdout).toMatch(/\[done\]    the capability your limitpriv change added or removed/);
    });
  },
});
