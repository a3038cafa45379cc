/**
 * Lab 05 (docs/labs/05-change-configuration.md): a network, a file system and a resource control
 * added to an existing zone, each configured AND in effect in the running zone (live with
 * `zonecfg -r` / `zoneadm apply`, or after a reboot): the address inside the zone's network, the
 * fs in its init's mount table, the limit in its cgroup.
 */
import type { Resource } from '../../model/types.js';
import type { LabHost } from '../host.js';
import { item, type CheckItem, type Lab } from '../lab.js';
import { zoneRunningItem } from './common.js';
import { controlsInForce, controlText, inForce, zoneMount, zoneWithMost } from './resource-limits.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The address a net resource gives the zone (exclusive: allowed-address, shared: address), without its prefix. */
const netAddress = (r: Resource): string | undefined => str(r.props['allowed-address'] ?? r.props.address)?.split('/')[0];

function score(host: LabHost, zone: string): number {
  return Number(host.resources(zone, 'net').length > 0) + Number(host.resources(zone, 'fs').length > 0) + Number(controlsInForce(host, zone).length > 0);
}

/** The zone's interfaces as its own network namespace has them: name -> addresses (`ip -o addr` inside). */
async function zoneInterfaces(host: LabHost, zone: string): Promise<Map<string, string[]>> {
  const r = await host.inZone(zone, 'ip -o addr show');
  const out = new Map<string, string[]>();
  for (const line of r.stdout.split('\n')) {
    const m = /^\d+:\s+([^\s:@]+)\S*\s+inet6?\s+([^\s/]+)/.exec(line);
    if (m) out.set(m[1]!, [...(out.get(m[1]!) ?? []), m[2]!]);
  }
  return out;
}

export const changeConfiguration: Lab = {
  id: 5,
  slug: 'change-configuration',
  title: 'change a configuration: network, file system, resource control',
  seed: 'OpenSolaris zones workshop, Ejercicio 5 (Modificando la configuración)',
  async check(host) {
    const items: CheckItem[] = [];
    const zone = zoneWithMost(host, (z) => score(host, z));
    if (!zone) {
      items.push(item('a zone with a net, an fs and a resource control added', false, 'boot a zone, then add them (see the sheet): zonecfg -z ZONE -r "add net; ...", "add fs; ...", "set max-lwps=..."'));
      return items;
    }
    const nets = host.resources(zone, 'net');
    const fss = host.resources(zone, 'fs');
    const controls = controlsInForce(host, zone);
    items.push(item(`zone ${zone} has a net resource`, nets.length > 0, nets.length ? nets.map((n) => `physical ${str(n.props.physical) ?? '?'}${netAddress(n) ? ` ${netAddress(n)}` : ''}`).join(', ') : `zonecfg -z ${zone} -r "add net; set physical=BRIDGE; set allowed-address=A/24; end"`));
    items.push(item(`zone ${zone} has an fs resource`, fss.length > 0, fss.length ? fss.map((f) => `${str(f.props.dir) ?? '?'} (${str(f.props.type) ?? '?'})`).join(', ') : `zonecfg -z ${zone} -r "add fs; set dir=...; set special=...; set type=...; end"`));
    items.push(item(`zone ${zone} has a resource control`, controls.length > 0, controls.length ? controls.map((c) => `${c.what} ${c.configured}`).join(', ') : `zonecfg -z ${zone} -r "set max-lwps=500" (or capped-memory, capped-cpu, cpu-shares)`));
    const runningItem = zoneRunningItem(host, zone);
    items.push(runningItem);
    if (!runningItem.done) return items;

    const live = `apply it to the running zone (zonecfg -z ${zone} -r ..., or zoneadm -z ${zone} reboot)`;
    if (nets.length > 0) {
      const ifs = await zoneInterfaces(host, zone);
      const seen = [...ifs].filter(([n]) => n !== 'lo').map(([n, a]) => `${n} ${a.join(' ')}`);
      const missing = nets.map(netAddress).filter((a): a is string => a !== undefined && ![...ifs.values()].some((l) => l.includes(a)));
      const ok = missing.length === 0 && seen.length > 0;
      items.push(item('its network is in the running zone', ok, ok ? `in the zone: ${seen.join('; ')}` : `${missing.length ? `no interface of the zone has ${missing.join(', ')}` : 'the zone has no interface but lo'}; ${live}`));
    }
    if (fss.length > 0) {
      const unmounted = fss.map((f) => str(f.props.dir)).filter((d): d is string => d !== undefined && zoneMount(host, zone, d) === undefined);
      const mounted = fss.map((f) => str(f.props.dir)).filter((d): d is string => d !== undefined && !unmounted.includes(d));
      items.push(item("its fs is in the running zone's mount table", unmounted.length === 0, unmounted.length ? `not mounted in the zone: ${unmounted.join(', ')}; ${live}` : mounted.map((d) => `${d}: ${zoneMount(host, zone, d)!.fsType}`).join(', ')));
    }
    if (controls.length > 0) {
      const off = controls.filter((c) => !inForce(c));
      items.push(item("its resource control is in the zone's cgroup", off.length === 0, `${controls.map(controlText).join('; ')}${off.length ? `; ${live}` : ''}`));
    }
    return items;
  },
};
