/**
 * Lab 10 (docs/labs/10-linux-root-from-an-archive.md) through lab-harness.ts, then the same zone
 * installed again from the unpacked directory instead of the archive: the check tells them apart.
 */
import { expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { labSuite, REPO } from './lab-harness.js';

labSuite(10, {
  extra(run) {
    test('a zone installed from a directory does not pass as one from an archive', () => {
      const zoneadm = (...args: string[]) => spawnSync(join(REPO, 'bin', 'zoneadm'), ['-z', 'linux', ...args], { env: run().env, encoding: 'utf8', timeout: 60_000 });
      const dir = `/var/tmp/${run().env.LAB_TAG!}-linux`;
      expect(zoneadm('halt').status).toBe(0);
      expect(zoneadm('uninstall', '-F').status).toBe(0);
      expect(zoneadm('install', '-d', dir).status).toBe(0);
      const r = run().zonelab(['check', '10']);
      expect(r.status).toBe(1);
      expect(r.stdout).toContain(`[missing] zone linux was installed from an archive (install -d): it was installed from the directory ${dir}`);
    });
  },
});
