/**
 * Lab 01 (docs/labs/01-processes-between-zones.md): two zones, an interactive shell in each,
 * neither zone sees the other's shell. The check finds the shells from the host (a shell with a
 * terminal in each zone's cgroup) and asks each zone's own /proc whether the other's is there
 * (a process named by its pid namespace and start time: common.ts processesSeenIn).
 */
import type { Lab } from '../lab.js';
import { item, type CheckItem } from '../lab.js';
import type { Proc } from '../../ptools/snapshot.js';
import { loginShells, processKey, processesSeenIn, runningZoneNames } from './common.js';

export const processesBetweenZones: Lab = {
  id: 1,
  slug: 'processes-between-zones',
  title: 'processes between zones',
  seed: 'OpenSolaris zones workshop, Ejercicio 1 (Ver procesos entre zonas)',
  async check(host) {
    const items: CheckItem[] = [];
    const running = runningZoneNames(host);
    items.push(item('two zones are running', running.length >= 2, running.length ? `running: ${running.join(', ')}` : 'none yet: configure, install and boot two zones'));
    const procs = host.processes();
    const withShell = running.filter((z) => loginShells(procs, z).length > 0);
    items.push(item('a zlogin shell runs in each of two zones', withShell.length >= 2, withShell.length ? `shells in: ${withShell.join(', ')}` : 'open a terminal per zone and run zlogin ZONE'));
    if (withShell.length < 2) {
      items.push(item('neither zone sees the other zone\'s shell', false, 'needs a shell in each of two zones first'));
      return items;
    }
    const [a, b] = withShell as [string, string];
    const unseen: string[] = [];
    for (const [self, other] of [[a, b], [b, a]] as const) {
      const seen = await processesSeenIn(host, self);
      const sees = (p: Proc) => seen.has(processKey(p) ?? '');
      const own = loginShells(procs, self).some(sees);
      const others = loginShells(procs, other).filter(sees);
      if (own && others.length === 0) unseen.push(`${self} sees its own shell and not ${other}'s`);
      else return [...items, item("neither zone sees the other zone's shell", false, own ? `${self} sees ${other}'s shell (pid ${others[0]!.pid} on the host)` : `${self}'s /proc did not show its own shell`)];
    }
    items.push(item("neither zone sees the other zone's shell", true, unseen.join('; ')));
    return items;
  },
};
