/**
 * Lab 12 (docs/labs/12-disk-image.md) through lab-harness.ts. Beyond the check: the zone's root
 * reaches no block device (no node in its /dev, mknod refused, the mounted device cannot be
 * mounted again), and the same image mounted on the host too fails the check.
 */
import { expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labSuite } from './lab-harness.js';

/** The special of zone disk's fs, as the solution configured it. */
function special(env: NodeJS.ProcessEnv): string {
  const r = spawnSync('zonecfg', ['-z', 'disk', 'info', 'fs'], { env, encoding: 'utf8' });
  const m = /special: (\/dev\/loop\d+)/.exec(r.stdout);
  if (!m) throw new Error(`no loop special in zonecfg info fs:\n${r.stdout}${r.stderr}`);
  return m[1]!;
}

labSuite(12, {
  extra: (run) => {
    test("the zone's root reaches no block device, its own disk's included", () => {
      const { env } = run();
      const dev = special(env);
      const z = (cmd: string) => spawnSync('zlogin', ['disk', cmd], { env, encoding: 'utf8' });
      const devs = z('ls /dev').stdout.split('\n');
      expect(devs.filter((n) => /^(loop|sd|vd|nvme|xvd|dm-|md)/.test(n))).toEqual([]);
      const mk = z('mknod /tmp/b b 7 0');
      expect(mk.status).not.toBe(0);
      expect(mk.stderr).toMatch(/Operation not permitted/);
      const again = z(`mkdir -p /mnt/again && mount -t ext4 ${dev} /mnt/again`);
      expect(again.status).not.toBe(0);
      expect(z('cat /data/hello.txt').stdout).toBe('hello from disk\n');
    });

    test('the image mounted on the host as well fails the check', () => {
      const { zonelab, env } = run();
      const dev = special(env);
      const dir = mkdtempSync(join(tmpdir(), 'lab12-host-'));
      expect(spawnSync('mount', [dev, dir], { encoding: 'utf8' }).status).toBe(0);
      try {
        expect(readFileSync(join(dir, 'hello.txt'), 'utf8')).toBe('hello from disk\n');
        const r = zonelab(['check', '12']);
        expect(r.status).toBe(1);
        expect(r.stdout).toMatch(/\[missing\] the host's mount table does not have it: the host has it on /);
      } finally {
        spawnSync('umount', [dir]);
        rmdirSync(dir);
      }
      expect(zonelab(['check', '12']).status).toBe(0);
    });
  },
});
