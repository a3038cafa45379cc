/**
 * What labs 02, 03, 09, 10 and 15 read besides common.ts: a recorded pid, a zone's state as a
 * step to take, the mounts and users a zone sees. Read-only, like every check.
 */
import type { Proc } from '../../ptools/snapshot.js';
import type { LabHost } from '../host.js';
import { type CheckItem, item } from '../lab.js';

/** A recorded pid answer as a number, or undefined when it is missing or not a pid. */
export function pidAnswer(value: string | undefined): number | undefined {
  return value !== undefined && /^[1-9]\d{0,9}$/.test(value) ? Number(value) : undefined;
}

/** A process as the sheets show it: its arguments (its name for a kernel thread). */
export function commandOf(p: Proc): string {
  return p.argv.length ? p.argv.join(' ') : `[${p.comm}]`;
}

/** `zone X is installed` (installed or beyond), with the step that gets there. */
export function zoneInstalledItem(host: LabHost, zone: string): CheckItem {
  const state = host.state(zone);
  const what = `zone ${zone} is installed`;
  if (state === undefined) return item(what, false, `no such zone configured: zonecfg -z ${zone}`);
  if (state === 'configured') return item(what, false, `it is configured; install it: zoneadm -z ${zone} install`);
  if (state === 'incomplete') return item(what, false, `its install did not finish; zoneadm -z ${zone} uninstall -F, then install it again`);
  return item(what, true, `it is ${state}`);
}

export interface ZoneMount {
  /** Where the zone sees it. */
  point: string;
  /** The mount's options (`ro`, `nodev`...). */
  options: string[];
}

/** The mounts the running zone sees (its own /proc/self/mountinfo). */
export async function zoneMounts(host: LabHost, zone: string): Promise<ZoneMount[]> {
  const r = await host.inZone(zone, 'cat /proc/self/mountinfo');
  const out: ZoneMount[] = [];
  for (const line of r.stdout.split('\n')) {
    const f = line.split(' ');
    if (f.length < 6) continue;
    out.push({ point: unescapeMountPath(f[4]!), options: f[5]!.split(',') });
  }
  return out;
}

/** mountinfo writes a space, tab, newline and backslash of a path in octal (`\040`). */
function unescapeMountPath(p: string): string {
  return p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export interface ZoneAccount {
  name: string;
  uid: number;
  gid: number;
  shell: string;
}

/** The accounts of the running zone's own /etc/passwd. */
export async function zoneAccounts(host: LabHost, zone: string): Promise<ZoneAccount[]> {
  const r = await host.inZone(zone, 'cat /etc/passwd');
  return parsePasswd(r.stdout);
}

/** `name:x:uid:gid:gecos:home:shell` lines; anything else is skipped. */
export function parsePasswd(text: string): ZoneAccount[] {
  const out: ZoneAccount[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length < 7 || !/^\d+$/.test(f[2]!) || !/^\d+$/.test(f[3]!)) continue;
    out.push({ name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), shell: f[6]! });
  }
  return out;
}

/** The processes that lead from `p` up to the host's init, `p` first. */
export function ancestors(p: Proc, procs: readonly Proc[]): Proc[] {
  const byPid = new Map(procs.map((x) => [x.pid, x]));
  const chain: Proc[] = [];
  for (let cur: Proc | undefined = p; cur && chain.length < 200; cur = byPid.get(cur.ppid)) {
    chain.push(cur);
    if (cur.ppid === 0) break;
  }
  return chain;
}

/** The inherit-pkg-dirs of a zone's configuration: what makes it a small (sparse-root) zone. */
export function inheritedDirs(host: LabHost, zone: string): string[] {
  return host
    .resources(zone, 'inherit-pkg-dir')
    .map((r) => r.props.dir)
    .filter((d): d is string => typeof d === 'string' && d !== '');
}
