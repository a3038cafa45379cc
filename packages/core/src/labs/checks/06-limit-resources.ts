/**
 * Lab 06 (docs/labs/06-limit-resources.md): a zone with max-lwps, capped-memory physical and a
 * tmpfs /tmp of a given size, then a fork bomb, a memory hog and a full /tmp inside it. The check
 * wants the limits configured and in force, evidence from the kernel's own counters that each was
 * hit (refused forks at pids.max, OOM kills under the memory cap: platform/cgroups/events.ts; the
 * tmpfs full now, or the size the student's fill reached, checked against the tmpfs's size), and
 * the zone still running and answering.
 */
import { limitHits } from '../../platform/cgroups/events.js';
import { limitsFromConfig } from '../../platform/cgroups/limits.js';
import type { LabHost } from '../host.js';
import { item, type CheckItem, type Lab } from '../lab.js';
import { zoneRunningItem } from './common.js';
import { controlsInForce, controlText, inForce, mib, tmpfsSizeBytes, zoneMount, zoneWithMost } from './resource-limits.js';

const LAB = 6;

/** What the zone's configuration has of the lab's three limits. */
function configured(host: LabHost, zone: string) {
  const cfg = host.config(zone)!;
  const l = limitsFromConfig(cfg);
  const tmp = host.resources(zone, 'fs').find((r) => r.props.dir === '/tmp' && r.props.type === 'tmpfs');
  const opts = tmp?.props.options;
  const size = (Array.isArray(opts) ? opts : typeof opts === 'string' ? [opts] : []).find((o) => /^size=/.test(String(o)));
  return { pids: typeof l.pidsMax === 'number', memory: typeof l.memoryBytes === 'number', tmp: tmp !== undefined && size !== undefined };
}

const score = (c: ReturnType<typeof configured>) => Number(c.pids) + Number(c.memory) + Number(c.tmp);

/** The tmpfs on the zone's /tmp: its size, and whether it is full now (statfs in the zone). */
async function tmpState(host: LabHost, zone: string): Promise<{ size?: number; freeBytes?: number }> {
  const size = tmpfsSizeBytes(zoneMount(host, zone, '/tmp'));
  if (size === undefined) return {};
  const r = await host.inZone(zone, "stat -f -c '%a %S' /tmp");
  const [avail, bsize] = r.stdout.trim().split(/\s+/).map(Number);
  return { size, freeBytes: r.exitCode === 0 && Number.isFinite(avail) && Number.isFinite(bsize) ? avail! * bsize! : undefined };
}

export const limitResources: Lab = {
  id: LAB,
  slug: 'limit-resources',
  title: 'limit resources: fork bomb, memory, /tmp',
  seed: 'OpenSolaris zones workshop, Ejercicio 6 (Limitando los recursos)',
  async check(host) {
    const items: CheckItem[] = [];
    const zone = zoneWithMost(host, (z) => score(configured(host, z)));
    if (!zone) {
      items.push(item('a zone with max-lwps, capped-memory physical and a tmpfs /tmp with a size', false, 'configure one (see the sheet): set max-lwps, add capped-memory, add fs dir=/tmp type=tmpfs options size=...'));
      return items;
    }
    const c = configured(host, zone);
    const lacking = [c.pids ? '' : 'max-lwps', c.memory ? '' : 'capped-memory physical', c.tmp ? '' : 'an fs /tmp of type tmpfs with options size=...'].filter(Boolean);
    items.push(item(`zone ${zone} has max-lwps, capped-memory physical and a tmpfs /tmp with a size`, lacking.length === 0, lacking.length ? `add ${lacking.join(', ')}: zonecfg -z ${zone}` : undefined));
    const runningItem = zoneRunningItem(host, zone);
    items.push(runningItem);
    if (!runningItem.done) return items;

    const controls = controlsInForce(host, zone).filter((k) => !k.what.startsWith('cpu') && !k.what.startsWith('capped-cpu'));
    const tmp = await tmpState(host, zone);
    const off = controls.filter((k) => !inForce(k));
    const tmpText = tmp.size === undefined ? "/tmp is not a tmpfs with a size in the zone's mount table (reboot the zone after adding it)" : `/tmp tmpfs of ${mib(tmp.size)}`;
    items.push(item('the limits are in force in the running zone', off.length === 0 && controls.length > 0 && tmp.size !== undefined, `${[...controls.map(controlText), tmpText].join('; ')}${off.length ? `; apply them: zoneadm -z ${zone} apply` : ''}`));

    const hits = limitHits(host.cgroup(zone));
    const refused = hits.tasksMaxHits ?? 0;
    items.push(item('the fork bomb ran into max-lwps', refused > 0, refused > 0 ? `${refused} forks refused at pids.max (pids.events)` : `no fork was refused yet: run the fork bomb in the zone (perl -e 'fork while 1'); the counters start at the zone's boot`));
    const kills = hits.oomKills ?? 0;
    const failcnt = hits.memoryMaxHits ?? 0;
    items.push(
      item(
        'the memory hog ran into the memory cap and was killed',
        kills > 0,
        kills > 0 ? `${kills} process${kills === 1 ? '' : 'es'} OOM-killed in the zone, the cap reached ${failcnt} times` : failcnt > 0 ? `the cap was reached ${failcnt} times, but nothing was OOM-killed: allocate more than the cap in one process` : 'nothing hit the memory cap yet: run the memory hog in the zone (see the sheet)',
      ),
    );

    const answer = host.answers(LAB)['tmp-full-bytes'];
    let tmpDone = false;
    let tmpDetail: string;
    if (tmp.size === undefined) tmpDetail = 'needs the tmpfs /tmp first';
    else if (tmp.freeBytes !== undefined && tmp.freeBytes < 64 * 1024) {
      tmpDone = true;
      tmpDetail = `/tmp is full: ${tmp.freeBytes} bytes free of ${mib(tmp.size)}`;
    } else if (answer !== undefined) {
      const n = Number(answer);
      tmpDone = Number.isInteger(n) && n <= tmp.size && n >= 0.9 * tmp.size;
      tmpDetail = tmpDone ? `your fill stopped at ${n} bytes, the tmpfs holds ${tmp.size}` : `tmp-full-bytes ${answer} is not what a fill of this /tmp (${tmp.size} bytes) stops at: fill it again and record the file's size`;
    } else tmpDetail = `/tmp has ${tmp.freeBytes === undefined ? 'unknown' : mib(tmp.freeBytes)} free: fill it (cat /dev/zero > /tmp/fill) and record the size it reached: zonelab answer 06 tmp-full-bytes N`;
    items.push(item('/tmp filled up to its size', tmpDone, tmpDetail));

    const alive = await host.inZone(zone, 'echo alive');
    const ok = alive.exitCode === 0 && alive.stdout.trim() === 'alive';
    items.push(item(`zone ${zone} survived: it still runs a new command`, ok, ok ? 'zlogin still works' : `a command could not start in the zone: is the fork bomb still running? stop it in the zone shell that started it: kill -9 %1 (a reboot stops it too, and starts the counters again)`));
    return items;
  },
};
