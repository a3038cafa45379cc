/** What several labs' checks look for: running zones, login shells, what a zone can see. */
import type { Proc } from '../../ptools/snapshot.js';
import { processNamespace } from '../../platform/proc.js';
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
 * The processes zone `zone` sees in its own /proc, each as its pid namespace and start time
 * (`pid:[4026532001] 123456`, see {@link processKey}): a start time alone (ticks after boot, the
 * same in every pid namespace) is shared by processes started in the same tick, as two shells
 * opened at once are; with the namespace it names one process.
 */
export async function processesSeenIn(host: LabHost, zone: string): Promise<Set<string>> {
  const r = await host.inZone(zone, 'for p in /proc/[0-9]*; do n=$(readlink $p/ns/pid) && s=$(cat $p/stat) && echo "$n $s"; done 2>/dev/null');
  const seen = new Set<string>();
  for (const line of r.stdout.split('\n')) {
    const ns = line.slice(0, line.indexOf(' '));
    const rest = line.slice(line.lastIndexOf(')') + 2).split(' ');
    const start = Number(rest[19]); // field 22 of stat; fields after ")" start at 3
    if (ns && Number.isFinite(start)) seen.add(`${ns} ${start}`);
  }
  return seen;
}

/** A process of the host's snapshot as {@link processesSeenIn} names it, or undefined once it is gone. */
export function processKey(p: Proc): string | undefined {
  const ns = processNamespace(p.pid, 'pid');
  return ns === undefined ? undefined : `${ns} ${p.starttime}`;
}

/** `zone X is running`, with the step that gets there when it is not. */
export function zoneRunningItem(host: LabHost, zone: string): CheckItem {
  const state = host.state(zone);
  if (state === undefined) return item(`zone ${zone} is running`, false, `no such zone configured: zonecfg -z ${zone}`);
  if (state === 'running') return item(`zone ${zone} is running`, true);
  const next = state === 'configured' ? `install it: zoneadm -z ${zone} install` : `boot it: zoneadm -z ${zone} boot`;
  return item(`zone ${zone} is running`, false, `it is ${state}; ${next}`);
}
