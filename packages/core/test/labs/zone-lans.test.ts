/**
 * Labs 13 and 16's bridge item (labs/checks/zone-lans.ts): a bridge counts only when it is up,
 * carries no address (not even IPv6 link-local) and has no port but the running zones' veths.
 */
import { describe, expect, test } from '@jest/globals';
import { bridgeIsolatedItem, type ZoneLans } from '../../src/labs/checks/zone-lans.js';
import type { BridgeView } from '../../src/platform/net-view.js';

const lans = (bridge: BridgeView): ZoneLans => ({
  bridges: [bridge],
  missing: [],
  zones: ['red'],
  ports: [{ zone: 'red', hostIf: 'zn0123abcd0', zoneIf: 'eth0', bridge: bridge.name }],
});
const good: BridgeView = { name: 'lan1', up: true, addresses: [], ports: [{ name: 'zn0123abcd0', physical: false }] };

describe('a bridge of the labs', () => {
  test('up, no address, only zones\' veths: done, with each port and its zone', () => {
    expect(bridgeIsolatedItem(lans(good), good)).toEqual({ what: "bridge lan1 is up, with no address and no port but the zones' veths", done: true, detail: 'zn0123abcd0 (red eth0)' });
  });

  test.each([
    ['down', { ...good, up: false }, 'it is down: ip link set dev lan1 up'],
    ['an IPv6 link-local address', { ...good, addresses: ['fe80::1/64'] }, 'it has fe80::1/64: ip link set dev lan1 addrgenmode none; ip addr flush dev lan1'],
    ['an IPv4 address', { ...good, addresses: ['198.51.100.9/24'] }, 'it has 198.51.100.9/24: ip link set dev lan1 addrgenmode none; ip addr flush dev lan1'],
    ['a physical port', { ...good, ports: [...good.ports, { name: 'eth0', physical: true }] }, 'eth0 is a physical interface: ip link set dev eth0 nomaster'],
    ['a port that is no zone\'s', { ...good, ports: [...good.ports, { name: 'veth9', physical: false }] }, "veth9 is not a running zone's interface: ip link set dev veth9 nomaster"],
  ] as [string, BridgeView, string][])('with %s: missing, and the step that fixes it', (_, bridge, detail) => {
    expect(bridgeIsolatedItem(lans(bridge), bridge)).toMatchObject({ done: false, detail });
  });
});
