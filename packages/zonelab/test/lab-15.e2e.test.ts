/**
 * Lab 15 (docs/labs/15-a-user-confined-to-a-zone.md) through lab-harness.ts, then the host
 * account tried as a student would try to get out of it: a command given to its login, sudo
 * used for anything but its one command (zlogin itself, the command with other arguments, with
 * another ZONES_ROOT, a root shell), and its login script rewritten. Each attempt ends in the zone
 * as the zone user, or is refused. Last, a login script others may write, or the account in
 * another host group, fails the check.
 */
import { expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { labSuite, REPO } from './lab-harness.js';

labSuite(15, {
  extra(run) {
    const names = () => {
      const tag = run().env.LAB_TAG!;
      return { user: `${tag}alumno`, login: `/usr/local/sbin/${tag}-jail-login` };
    };
    // SHELL is pinned: `sudo -s` runs $SHELL, or the account's own login shell when SHELL is unset.
    const as = (user: string, argv: string[], input = '', env: NodeJS.ProcessEnv = { ...run().env, SHELL: '/bin/sh' }) =>
      spawnSync('runuser', ['-u', user, '--', ...argv], { env, encoding: 'utf8', input, timeout: 30_000 });

    test("a command given to the host account's login runs nowhere: the login lands in the zone as the zone user", () => {
      const { user } = names();
      const r = spawnSync('su', ['-l', user, '-c', 'echo HOST-$(id -u)'], { env: run().env, encoding: 'utf8', input: 'echo ZONE-$(id -un)-$(id -u)-$(hostname)\n', timeout: 30_000 });
      expect(r.stdout).not.toContain('HOST-');
      expect(r.stdout).toContain('ZONE-alumno-1000-jail');
    });

    test('sudo gives the host account nothing but its one command, exactly', () => {
      const { user, login } = names();
      const attempts = [
        ['sudo', '-n', join(REPO, 'bin', 'zlogin'), 'jail'],
        ['sudo', '-n', login, '-l', 'root'],
        ['sudo', '-n', `ZONES_ROOT=${run().root}`, login],
        ['sudo', '-n', '-s'],
        ['sudo', '-n', '-u', 'root', '/bin/sh', '-c', 'id'],
      ];
      for (const a of attempts) {
        const r = as(user, a);
        expect({ a, status: r.status, out: r.stdout }).toEqual({ a, status: 1, out: '' });
        expect(r.stderr).toMatch(/^sudo: (a password is required|sorry, you are not allowed to set the following environment variables: ZONES_ROOT)$/m);
      }
    });

    test("sudo -s without SHELL runs the account's login shell, which is its one command: it lands in the zone", () => {
      const { user } = names();
      const env = { ...run().env };
      delete env.SHELL;
      const r = as(user, ['sudo', '-n', '-s'], 'echo ZONE-$(id -un)-$(hostname)\n', env);
      expect(r.stdout).toContain('ZONE-alumno-jail');
    });

    test('the host account cannot change what root runs for it', () => {
      const { user, login } = names();
      const before = statSync(login).mtimeMs;
      const r = as(user, ['/bin/sh', '-c', `echo 'exec /bin/sh' >> ${login}`]);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/Permission denied/);
      expect(statSync(login).mtimeMs).toBe(before);
    });

    test('a login script others may write fails the check', () => {
      const { login } = names();
      chmodSync(login, 0o777);
      try {
        const r = run().zonelab(['check', '15']);
        expect(r.status).toBe(1);
        expect(r.stdout).toContain(`${login} is writable by everyone`);
      } finally {
        chmodSync(login, 0o755);
      }
      expect(run().zonelab(['check', '15']).status).toBe(0);
    });

    test('a host account in another host group (adm) fails the check', () => {
      const { user } = names();
      expect(spawnSync('usermod', ['-aG', 'adm', user]).status).toBe(0);
      try {
        const r = run().zonelab(['check', '15']);
        expect(r.status).toBe(1);
        expect(r.stdout).toContain(`${user} is also in the host groups adm`);
      } finally {
        spawnSync('gpasswd', ['-d', user, 'adm']);
      }
      expect(run().zonelab(['check', '15']).status).toBe(0);
    });
  },
});
