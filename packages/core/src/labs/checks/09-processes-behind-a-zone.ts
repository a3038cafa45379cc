/**
 * Lab 09 (docs/labs/09-processes-behind-a-zone.md): what runs a zone, seen from the global zone:
 * its supervisor (zoneadmd, Solaris' zoneadmd), its init (PID 1 inside, a host pid outside; with
 * `boot -- -i zsched` named after Solaris' zsched), the cgroup that holds the zone and the host uid
 * its root runs as. The student records each with `zonelab answer 09 KEY VALUE`; the check compares
 * them with the runtime's own findings (runtime/state.ts) and /proc, so they count only while
 * they are true (a reboot makes new pids: record them again).
 */
import type { Lab } from '../lab.js';
import { item, type CheckItem } from '../lab.js';
import { processCgroupPaths, processStatus } from '../../platform/proc.js';
import { zoneCgroupOptions } from '../../runtime/state.js';
import { zoneRunningItem } from './common.js';

const NN = '09';

function numberItem(what: string, key: string, value: string | undefined, truth: number, hint: string): CheckItem {
  if (value === undefined) return item(what, false, `${hint}, then: zonelab answer ${NN} ${key} VALUE`);
  const n = /^\d{1,10}$/.test(value) ? Number(value) : undefined;
  if (n === undefined) return item(what, false, `${value} is not a number`);
  if (n !== truth) return item(what, false, `${n} is not it: ${hint}`);
  return item(what, true, String(n));
}

/** True if `answer` names the zone's cgroup (`/zones.../NAME`) or one below it that holds the init. */
function cgroupMatches(answer: string, own: string, initPaths: readonly string[]): boolean {
  const a = answer.replace(/\/+$/, '');
  if (a !== own && !a.startsWith(`${own}/`)) return false;
  return initPaths.some((p) => p === a || p.startsWith(`${a}/`));
}

export const processesBehindAZone: Lab = {
  id: 9,
  slug: 'processes-behind-a-zone',
  title: 'the processes behind a zone',
  seed: 'OpenSolaris zones workshop, Ejercicio 9 (Verificando procesos: zoneadmd, zsched, init)',
  async check(host) {
    const a = host.answers(9);
    const zone = a.zone;
    if (zone === undefined) return [item('you named the zone you look at', false, `boot a zone and record its name: zonelab answer ${NN} zone NAME`)];
    const items: CheckItem[] = [zoneRunningItem(host, zone)];
    const rt = host.runtime(zone);
    if (!host.running(zone) || !rt) return items;
    const run = `$ZONES_ROOT/var/run/zones/${zone}`;
    if (rt.supervisorAlive) items.push(numberItem(`the supervisor's pid (zoneadmd of ${zone})`, 'supervisor', a.supervisor, rt.supervisorPid, `find zoneadmd --zone ${zone} in zps -ef (or cat ${run}/zoneadmd.pid)`));
    else items.push(item(`the supervisor's pid (zoneadmd of ${zone})`, false, `the zone's supervisor is gone (zoneadm list -v shows it); halt and boot the zone`));
    items.push(numberItem(`the host pid of the zone's init (PID 1 inside ${zone})`, 'init', a.init, rt.initPid, `the child of zoneadmd in zps -efZ -z ${zone} (or cat ${run}/init.pid)`));
    const initPaths = processCgroupPaths(rt.initPid) ?? [];
    const own = `/${zoneCgroupOptions({ root: host.root }).parent ?? 'zones'}/${zone}`;
    const cg = a.cgroup;
    const cgWhat = `the zone's cgroup (${zone}'s directory in the cgroup tree)`;
    if (cg === undefined) items.push(item(cgWhat, false, `read it from cat /proc/INIT/cgroup, then: zonelab answer ${NN} cgroup PATH`));
    else if (!cgroupMatches(cg, own, initPaths)) items.push(item(cgWhat, false, `${cg} is not a cgroup of ${zone} that holds its init: read cat /proc/INIT/cgroup`));
    else items.push(item(cgWhat, true, cg));
    const uid = processStatus(rt.initPid)?.uid;
    if (uid === undefined) items.push(item(`the host uid of ${zone}'s root`, false, 'the zone\'s init ended meanwhile: check again'));
    else items.push(numberItem(`the host uid of ${zone}'s root`, 'uid', a.uid, uid, `the UID column of the zone's init in zps -efZ -o zone,pid,uid,args (or cat /proc/INIT/uid_map)`));
    return items;
  },
};
