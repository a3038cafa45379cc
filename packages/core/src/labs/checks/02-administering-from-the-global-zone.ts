/**
 * Lab 02 (docs/labs/02-administering-from-the-global-zone.md): from the global zone, see every
 * zone's processes (`zps -efZ`) and kill one zone's (`zpkill -z ZONE`), the other zone's untouched.
 * A killed process leaves nothing to see, so the student records two host pids before killing:
 * `killed` (the process in the zone they kill in) and `kept` (the same command in the other zone).
 * The check wants `killed` gone, `kept` alive in its zone, and no process with kept's command left
 * in another running zone: a host `pkill` would have taken both, a `zoneadm halt` the zone too.
 */
import type { Lab } from '../lab.js';
import { item, type CheckItem } from '../lab.js';
import type { Proc } from '../../ptools/snapshot.js';
import { runningZoneNames } from './common.js';
import { commandOf, pidAnswer } from './zone-facts.js';

const NN = '02';

function keptItem(value: string | undefined, byPid: Map<number, Proc>, running: string[]): { it: CheckItem; proc?: Proc } {
  const what = 'the process you kept still runs in its zone';
  const pid = pidAnswer(value);
  if (value === undefined) return { it: item(what, false, `record its host pid (zps -efZ) before you kill: zonelab answer ${NN} kept PID`) };
  if (pid === undefined) return { it: item(what, false, `${value} is not a pid`) };
  const p = byPid.get(pid);
  if (!p) return { it: item(what, false, `pid ${pid} no longer exists: it was killed too; start it again and record its new pid`) };
  if (p.zone === undefined) return { it: item(what, false, `pid ${pid} (${commandOf(p)}) is in a zone of another ZONES_ROOT: export the ZONES_ROOT of your zones`) };
  if (!running.includes(p.zone)) {
    return { it: item(what, false, `pid ${pid} (${commandOf(p)}) is a process of the global zone: record the host pid zps -efZ shows for the zone's process`) };
  }
  return { it: item(what, true, `pid ${pid}, ${commandOf(p)}, in zone ${p.zone}`), proc: p };
}

function killedItem(value: string | undefined, kept: number | undefined, byPid: Map<number, Proc>): CheckItem {
  const what = 'the process you killed is gone';
  const pid = pidAnswer(value);
  if (value === undefined) return item(what, false, `record its host pid before you kill it: zonelab answer ${NN} killed PID`);
  if (pid === undefined) return item(what, false, `${value} is not a pid`);
  if (pid === kept) return item(what, false, 'killed and kept are the same pid: record one process of each zone');
  const p = byPid.get(pid);
  if (p?.zone !== undefined && p.zone !== 'global') return item(what, false, `pid ${pid} (${commandOf(p)}) still runs in zone ${p.zone}: kill it from the global zone with zpkill -z ${p.zone} ${p.comm}`);
  if (p) return item(what, false, `pid ${pid} is alive and is a process of the global zone (${commandOf(p)}): record the host pid zps -efZ shows, not the pid inside the zone`);
  return item(what, true, `pid ${pid} no longer exists`);
}

export const administeringFromTheGlobalZone: Lab = {
  id: 2,
  slug: 'administering-from-the-global-zone',
  title: 'administering from the global zone',
  seed: 'OpenSolaris zones workshop, Ejercicio 2 (Usando la Zona Global para administración)',
  async check(host) {
    const running = runningZoneNames(host);
    const items: CheckItem[] = [item('two zones are running', running.length >= 2, running.length ? `running: ${running.join(', ')}` : 'none yet: configure, install and boot two zones')];
    const answers = host.answers(2);
    const procs = host.processes();
    const byPid = new Map(procs.map((p) => [p.pid, p]));
    const kept = keptItem(answers.kept, byPid, running);
    items.push(kept.it, killedItem(answers.killed, kept.proc?.pid, byPid));
    const what = "only the chosen zone's process died";
    if (!kept.proc) {
      items.push(item(what, false, 'needs the kept process first'));
      return items;
    }
    const k = kept.proc;
    const cmd = commandOf(k);
    const others = running.filter((z) => z !== k.zone);
    const cleared = others.filter((z) => !procs.some((p) => p.zone === z && commandOf(p) === cmd));
    if (others.length === 0) items.push(item(what, false, `only ${k.zone} is running: the zone you killed in must still run (zpkill ends processes, not the zone)`));
    else if (cleared.length === 0) items.push(item(what, false, `'${cmd}' still runs in ${others.join(', ')}: kill it there with zpkill -z ZONE ${k.comm}`));
    else items.push(item(what, true, `'${cmd}' is gone from ${cleared.join(', ')} (still running) and alive in ${k.zone}`));
    return items;
  },
};
