/**
 * A zone's /dev: the nodes it gets (the basic ones, plus what `add device match=` names) and its
 * device allow list, which is exactly those nodes plus its terminals (docs/security.md). The
 * supervisor creates the nodes; the cgroup refuses every other device, even one that appears in
 * the zone some other way.
 */
import type { ZoneConfig } from '../model/types.js';
import type { DeviceRule } from '../platform/cgroups/index.js';
import { hostDevice, matchDevices, type HostDevice } from '../platform/devices.js';

/** Every zone's nodes (docs/security.md, "Devices"). */
const BASIC_NODES = ['/dev/null', '/dev/zero', '/dev/full', '/dev/random', '/dev/urandom', '/dev/tty'];

/**
 * Terminals: /dev/ptmx (5:2) and the pseudo-terminal slaves (majors 136-143), the zone's own
 * devpts instance and its console (a pty of the host's, given to the zone by its supervisor).
 */
const TERMINALS: DeviceRule[] = [
  { type: 'c', major: 5, minor: 2, access: 'rwm' },
  ...[136, 137, 138, 139, 140, 141, 142, 143].map((major): DeviceRule => ({ type: 'c', major, minor: '*', access: 'rwm' })),
];

export interface ZoneDevices {
  /** Host nodes to recreate at the same path in the zone's /dev. */
  nodes: HostDevice[];
  /** What the zone may open: those nodes and the terminals. */
  rules: DeviceRule[];
}

export function zoneDevices(cfg: ZoneConfig): ZoneDevices {
  const nodes: HostDevice[] = [];
  const add = (d: HostDevice | undefined) => {
    if (d && !nodes.some((n) => n.path === d.path)) nodes.push(d);
  };
  for (const p of BASIC_NODES) add(hostDevice(p));
  for (const r of cfg.resources) {
    if (r.type === 'device' && typeof r.props.match === 'string') for (const d of matchDevices(r.props.match)) add(d);
  }
  const rules = [...nodes.map((n): DeviceRule => ({ type: n.type, major: n.major, minor: n.minor, access: 'rwm' })), ...TERMINALS];
  return { nodes, rules };
}
