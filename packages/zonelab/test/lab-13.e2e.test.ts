/**
 * Lab 13 (docs/labs/13-bridges.md) through lab-harness.ts, then: the check measures now (the
 * router's forwarding turned off fails it again), a wrong answer does not count, the router's
 * net.ipv4.ip_forward is its own network namespace's (the host's stays as it was), and zone root
 * still cannot write a host-wide setting: not the host's network sysctls from a shared-IP zone,
 * not kernel or vm settings from either kind. Traffic only between the lab's zones, over the two
 * bridges its solution made (no address, no physical port), removed by name in its cleanup.
 */
import { expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readAnswers } from '@zones/core/labs/answers';
import { labSuite, REPO } from './lab-harness.js';
import { zlogin } from './lab-zlogin.js';

const hostSysctl = (name: string) => readFileSync(`/proc/sys/${name}`, 'utf8').trim();
const HOST_WIDE = ['net/ipv4/ip_forward', 'kernel/panic_on_oops', 'vm/overcommit_memory'];
const before = Object.fromEntries(HOST_WIDE.map((n) => [n, hostSysctl(n)]));

labSuite(13, {
  solutionMs: 60_000,
  extra: (run) => {
    test("the check measures now: forwarding off in the router fails it again with the next step; a wrong answer does not count", () => {
      const r = run();
      const right = readAnswers(r.root, 13)['router-port']!;
      expect(zlogin(r, 'gw', 'sysctl -w net.ipv4.ip_forward=0').code).toBe(0);
      expect(r.zonelab(['answer', '13', 'router-port', 'eth0']).status).toBe(0);
      try {
        const lines = r.zonelab(['check', '13']).stdout.split('\n');
        expect(lines).toContainEqual(expect.stringMatching(/^ {2}\[missing\] gw forwards IPv4 .*: it is 0: zlogin gw sysctl -w net\.ipv4\.ip_forward=1$/));
        expect(lines).toContainEqual(expect.stringMatching(/^ {2}\[missing\] \w+ \(on \S+\) reaches green \(on \S+\) across gw: ping 203\.0\.113\.1 from inside \w+ got no answer$/));
        expect(lines).toContainEqual(expect.stringMatching(/^ {2}\[done\] {4}\w+ reaches \w+ on \S+lan1: /)); // the LAN itself still works
        expect(lines).toContain("  [missing] the router's port, as brctl show lists it, recorded: eth0 is not a port of gw; look again at brctl show");
      } finally {
        zlogin(r, 'gw', 'sysctl -w net.ipv4.ip_forward=1');
        r.zonelab(['answer', '13', 'router-port', right]);
      }
    }, 30_000);

    test("the router's forwarding is its own namespace's; zone root writes no host-wide setting", () => {
      const r = run();
      expect(zlogin(r, 'gw', 'cat /proc/sys/net/ipv4/ip_forward').out).toBe('1');
      expect(hostSysctl('net/ipv4/ip_forward')).toBe(before['net/ipv4/ip_forward']);
      // a shared-IP zone shares the host's network namespace: its network sysctls are the host's, read-only
      const zp = join(r.root, 'zones', 'shr');
      expect(spawnSync(join(REPO, 'bin', 'zonecfg'), ['-z', 'shr', `create; set zonepath=${zp}; commit`], { env: r.env }).status).toBe(0);
      expect(spawnSync(join(REPO, 'bin', 'zoneadm'), ['-z', 'shr', 'install'], { env: r.env, encoding: 'utf8' }).status).toBe(0);
      expect(spawnSync(join(REPO, 'bin', 'zoneadm'), ['-z', 'shr', 'boot', '--', '-i', 'zsched'], { env: r.env, encoding: 'utf8' }).status).toBe(0);
      try {
        const shared = zlogin(r, 'shr', 'v=$(cat /proc/sys/net/ipv4/ip_forward); echo "$v" > /proc/sys/net/ipv4/ip_forward');
        expect([shared.code, shared.err]).toEqual([2, expect.stringMatching(/ip_forward: Read-only file system$/)]);
        for (const zone of ['gw', 'shr']) {
          for (const name of ['kernel/panic_on_oops', 'vm/overcommit_memory']) {
            const w = zlogin(r, zone, `v=$(cat /proc/sys/${name}); echo "$v" > /proc/sys/${name}`); // harmless if it worked
            expect([zone, w.code, w.err]).toEqual([zone, 2, expect.stringMatching(/Read-only file system$/)]);
          }
        }
      } finally {
        spawnSync(join(REPO, 'bin', 'zoneadm'), ['-z', 'shr', 'halt'], { env: r.env });
      }
      for (const n of HOST_WIDE) expect([n, hostSysctl(n)]).toEqual([n, before[n]]);
    }, 60_000);
  },
});
