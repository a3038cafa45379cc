/** What several labs' checks look for: running zones, login shells, what a zone can see. */
import type { Proc } from '../../ptools/snapshot.js';
import type { LabHost } from '../host.js';
import { type CheckItem, item } from '../lab.js';

/** The configured zones that are running now. */
export function runningZoneNames(host: LabHost): string[] {
  return host.zoneNames().filter((z) => host.running(z));
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'ksh', 'ksh93', 'mksh', 'zsh']);

/** The zone's interactive shells: a shell with a terminal, as `zlogin zone` leaves one. */
export function loginShells(procs: readonly Proc[], zone: string): Proc[] {
  return procs.filter((p) => p.zone === zone && p.ttyNr !== 0 && SHELLS.has(p.comm.replace(/^-/, '')));
}

/**
 * The start times (ticks after boot, the same in every pid namespace) of the processes zone
 * `zone` sees in its own /proc.
 */
export async function startTimesSeenIn(host: LabHost, zone: string): Promise<Set<number>> {
  const r = await host.inZone(zone, 'cat /proc/[0-9]*/stat 2>/dev/null');
  const seen = new Set<number>();
  for (const line of r.stdout.split('\n')) {
    const rest = line.slice(line.lastIndexOf(')') + 2).split(' ');
    const start = Number(rest[19]); // field 22 of stat; fields after ")" start at 3
    if (Number.isFinite(start)) seen.add(start);
  }
  return seen;
}

/** `zone X is running`, with the step that gets there when it is not. */
export function zoneRunningItem(host: LabHost, zone: string): CheckItem {
  const state = host.state(zone);
  if (state === undefined) return item(`zone ${zone} is running`, false, `no such zone configured: zonecfg -z ${zone}`);
  if (state === 'running') return item(`zone ${zone} is running`, true);
  const next = state === 'configured' ? `install it: zoneadm -z ${zone} install` : `boot it: zoneadm -z ${zone} boot`;
  return item(`zone ${zone} is running`, false, `it is ${state}; ${next}`);
}
