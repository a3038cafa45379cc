/**
 * A zone's /dev: the nodes it gets (the basic ones, plus what `add device match=` names) and its
 * device allow list, which is exactly those nodes plus its terminals (docs/security.md). Decided
 * here: the supervisor creates exactly these nodes; the cgroup refuses every other device, even
 * one that appears in the zone some other way. A match outside /dev names nothing a zone can be
 * given: verify reports it, and a boot refuses it.
 */
import type { ZoneConfig } from '../model/types.js';
import type { DeviceRule } from '../platform/cgroups/index.js';
import { hostDevice, matchDevices, underDev, type HostDevice } from '../platform/devices.js';
import { runtimeError } from './errors.js';

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

const deviceMatches = (cfg: ZoneConfig): string[] =>
  cfg.resources.flatMap((r) => (r.type === 'device' && typeof r.props.match === 'string' ? [r.props.match] : []));

/** What is wrong with the configured device matches (`zoneadm verify` prints each one). */
export function deviceMatchProblems(cfg: ZoneConfig): string[] {
  return deviceMatches(cfg)
    .filter((m) => !underDev(m))
    .map((m) => `could not verify device ${m}: not a path under /dev`);
}

export function zoneDevices(cfg: ZoneConfig, zone = ''): ZoneDevices {
  const problems = deviceMatchProblems(cfg);
  if (problems.length > 0) throw runtimeError.badDevices(zone, problems);
  const nodes: HostDevice[] = [];
  const add = (d: HostDevice | undefined) => {
    if (d && !nodes.some((n) => n.path === d.path)) nodes.push(d);
  };
  for (const p of BASIC_NODES) add(hostDevice(p));
  for (const m of deviceMatches(cfg)) for (const d of matchDevices(m)) add(d);
  const rules = [...nodes.map((n): DeviceRule => ({ type: n.type, major: n.major, minor: n.minor, access: 'rwm' })), ...TERMINALS];
  return { nodes, rules };
}
