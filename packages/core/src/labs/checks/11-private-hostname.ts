/**
 * Lab 11 (docs/labs/11-private-hostname.md): the course's `unshare -u` exercise, with a zone. Zone
 * `web` runs in a UTS namespace of its own, its root gave it a hostname of its own from inside
 * (the boot gives it the zone's name), and the global zone keeps its own. The check asks the zone
 * for its nodename (`uname -n`, as zlogin runs it), compares it with the zone's name and the
 * host's, and compares the zone init's UTS namespace with the host's and with the student's answer.
 */
import { hostname } from 'node:os';
import { processNamespace } from '../../platform/proc.js';
import type { Lab } from '../lab.js';
import { item, type CheckItem } from '../lab.js';
import { zoneRunningItem } from './common.js';
import { answerStep, runningInit } from './zone-privileges.js';

const ZONE = 'web';
const ID = 11;

export const privateHostname: Lab = {
  id: ID,
  slug: 'private-hostname',
  title: 'a private hostname (UTS namespace)',
  seed: 'university course on namespaces (unshare -u: a hostname of its own); virli (UTS namespace)',
  async check(host) {
    const items: CheckItem[] = [zoneRunningItem(host, ZONE)];
    const pid = runningInit(host, ZONE);
    const nameWhat = `zone ${ZONE} has a hostname its root set from inside`;
    const hostWhat = "the global zone keeps its own hostname";
    const nsWhat = `zone ${ZONE} has a UTS namespace of its own`;
    if (!pid) return [...items, ...[nameWhat, hostWhat, nsWhat].map((w) => item(w, false, `needs zone ${ZONE} running`))];

    const r = await host.inZone(ZONE, 'uname -n');
    const inside = r.stdout.trim();
    const global = hostname();
    if (r.exitCode !== 0 || !inside) items.push(item(nameWhat, false, `uname -n failed in the zone: ${r.stderr.trim()}`));
    else if (inside === ZONE) items.push(item(nameWhat, false, `it is still "${ZONE}", the name its boot gave it: zlogin ${ZONE} hostname NAME`));
    else items.push(item(nameWhat, inside !== global, inside !== global ? `uname -n in the zone: ${inside}` : `it is "${inside}", the global zone's name`));
    items.push(item(hostWhat, inside !== global, inside !== global ? `uname -n in the global zone: ${global}` : `both are "${global}": set the zone's from inside it, not the host's`));

    const zoneNs = processNamespace(pid, 'uts');
    const hostNs = processNamespace(process.pid, 'uts');
    const own = zoneNs !== undefined && zoneNs !== hostNs;
    const said = host.answers(ID)['uts-ns']?.trim();
    const number = (s: string | undefined) => /(\d+)\]?$/.exec(s ?? '')?.[1];
    if (!own) items.push(item(nsWhat, false, zoneNs ? `its init is in the host's ${hostNs}` : `cannot read /proc/${pid}/ns/uts`));
    else if (said === undefined) items.push(item(nsWhat, false, answerStep(ID, 'uts-ns', "'uts:[...]' (readlink /proc/PID/ns/uts of the zone's init)")));
    else items.push(item(nsWhat, number(said) === number(zoneNs), number(said) === number(zoneNs) ? `${zoneNs}; the global zone's is ${hostNs}` : `${said} is not the UTS namespace of the zone's init (pid ${pid})`));
    return items;
  },
};
