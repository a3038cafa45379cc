/** The difference a `zonecfg -r` commit asks of a running zone, and what of it can be applied live. */
import { describe, expect, test } from '@jest/globals';
import type { Resource, ZoneConfig } from '../../src/model/types.js';
import { bootRecord, liveFsRefusal, persistLiveChange, planLiveChange } from '../../src/runtime/live-plan.js';
import { blankConfig, rctl } from '../model/config.js';

const tmpfs = (dir: string, options: string[] = []): Resource => ({ type: 'fs', props: { dir, special: 'swap', type: 'tmpfs', options } });
const lofs = (dir: string, options: string[] = []): Resource => ({ type: 'fs', props: { dir, special: '/srv/data', type: 'lofs', options } });
const net = (physical: string, address?: string): Resource => ({ type: 'net', props: { physical, ...(address ? { 'allowed-address': address } : {}) } });
const edit = (cfg: ZoneConfig, f: (c: ZoneConfig) => void) => {
  const c = structuredClone(cfg);
  f(c);
  return c;
};

describe('planLiveChange', () => {
  const base = blankConfig({ 'ip-type': 'exclusive' }, [rctl('zone.max-lwps', ['privileged', '500', 'deny']), tmpfs('/tmp'), net('br0', '192.0.2.1/24')]);

  test('no change: nothing to do', () => {
    const p = planLiveChange(bootRecord(base), structuredClone(base));
    expect(p).toMatchObject({ refused: [], resourceControls: false, fsAdded: [], fsRemoved: [], netAdded: [], netRemoved: [] });
  });

  test('a resource control changed (rctl, capped-memory, dedicated-cpu, scheduling-class) is applied live', () => {
    const rec = bootRecord(base);
    expect(planLiveChange(rec, edit(base, (c) => (c.resources[0] = rctl('zone.max-lwps', ['privileged', '300', 'deny'])))).resourceControls).toBe(true);
    expect(planLiveChange(rec, edit(base, (c) => c.resources.push({ type: 'capped-memory', props: { physical: '67108864' } })))).toMatchObject({
      refused: [],
      resourceControls: true,
    });
    expect(planLiveChange(rec, edit(base, (c) => c.resources.push({ type: 'dedicated-cpu', props: { ncpus: '1' } }))).resourceControls).toBe(true);
    expect(planLiveChange(rec, edit(base, (c) => (c.globals['scheduling-class'] = 'FSS')))).toMatchObject({ refused: [], resourceControls: true });
    // The order of resources is no change.
    const reordered = edit(base, (c) => c.resources.reverse());
    expect(planLiveChange(rec, reordered)).toMatchObject({ refused: [], resourceControls: false, fsAdded: [], netAdded: [] });
  });

  test('what cannot change in a running zone is refused, each named', () => {
    const rec = bootRecord(base);
    const p = planLiveChange(
      rec,
      edit(base, (c) => {
        c.globals.limitpriv = 'default,sys_time';
        c.globals.zonepath = '/elsewhere';
        c.resources.push({ type: 'device', props: { match: '/dev/null' } });
        c.resources.push({ type: 'dataset', props: { name: 'tank/z' } });
      }),
    );
    expect(p.refused).toEqual([
      'zonepath cannot be changed in a running zone; it takes effect at the next boot',
      'limitpriv cannot be changed in a running zone; it takes effect at the next boot',
      'device resources cannot be changed in a running zone; it takes effect at the next boot',
      'dataset resources cannot be changed in a running zone; it takes effect at the next boot',
    ]);
    expect(planLiveChange(rec, edit(base, (c) => (c.globals['ip-type'] = 'shared'))).refused).toEqual([
      'ip-type cannot be changed in a running zone; it takes effect at the next boot',
    ]);
  });

  test('fs: a tmpfs is added live; a boot mount cannot be removed; one added live can', () => {
    const rec = bootRecord(base);
    const added = planLiveChange(rec, edit(base, (c) => c.resources.push(tmpfs('/scratch', ['size=1m', 'nodevices']))));
    expect(added.refused).toEqual([]);
    expect(added.fsAdded.map((r) => r.props.dir)).toEqual(['/scratch']);
    expect(added.next.liveFs).toEqual(['/scratch']);
    const bootFs = planLiveChange(rec, edit(base, (c) => c.resources.splice(1, 1)));
    expect(bootFs.refused).toEqual([
      'fs /tmp was mounted when the zone booted, and Linux locks it in the running zone; removing it takes effect at the next boot',
    ]);
    const removed = planLiveChange(added.next, edit(added.next.config, (c) => (c.resources = c.resources.filter((r) => r.props.dir !== '/scratch'))));
    expect(removed).toMatchObject({ refused: [], fsAdded: [] });
    expect(removed.fsRemoved.map((r) => r.props.dir)).toEqual(['/scratch']);
    expect(removed.next.liveFs).toEqual([]);
    // A changed fs is removed and added again: a live one can be, a boot one cannot.
    const changed = planLiveChange(added.next, edit(added.next.config, (c) => (c.resources[3]!.props.options = ['size=2m'])));
    expect(changed).toMatchObject({ refused: [] });
    expect([changed.fsRemoved.length, changed.fsAdded.length, changed.next.liveFs]).toEqual([1, 1, ['/scratch']]);
    expect(planLiveChange(rec, edit(base, (c) => c.resources.push(tmpfs('/tmp')))).refused).toEqual(['fs /tmp: another fs is mounted there']);
  });

  test('fs whose safety rests on a flag the zone could clear waits for the next boot', () => {
    expect(liveFsRefusal(lofs('/data', ['ro']))).toBe("fs /data: the zone's root could undo its options (ro) in a running zone; it takes effect at the next boot");
    expect(liveFsRefusal(lofs('/data', ['nosuid', 'nosub']))).toMatch(/could undo its options \(nosuid,nosub\)/);
    expect(liveFsRefusal({ type: 'fs', props: { dir: '/d', special: '/dev/sdz1', type: 'ext4', options: ['nodevices'] } })).toMatch(/next boot/);
    expect(liveFsRefusal(lofs('/data'))).toBeUndefined();
    expect(liveFsRefusal(lofs('/data', ['rw', 'nosub']))).toBeUndefined();
    expect(liveFsRefusal(tmpfs('/t', ['ro', 'nosuid', 'nodevices', 'noexec', 'size=1m']))).toBeUndefined();
    const rec = bootRecord(base);
    expect(planLiveChange(rec, edit(base, (c) => c.resources.push(lofs('/data', ['ro'])))).refused).toHaveLength(1);
  });

  test('net: an added one takes the lowest free number, a kept one keeps its own', () => {
    const two = blankConfig({ 'ip-type': 'exclusive' }, [net('br0', '192.0.2.1/24'), net('br1', '198.51.100.1/24')]);
    const rec = bootRecord(two);
    expect(rec.netIndex).toEqual([0, 1]);
    const dropFirst = planLiveChange(rec, edit(two, (c) => c.resources.shift()));
    expect(dropFirst.refused).toEqual([]);
    expect(dropFirst.netRemoved).toEqual([{ resource: two.resources[0], index: 0 }]);
    expect(dropFirst.next.netIndex).toEqual([1]);
    const readd = planLiveChange(dropFirst.next, edit(dropFirst.next.config, (c) => c.resources.push(net('br2'))));
    expect(readd.netAdded).toEqual([{ resource: net('br2'), index: 0 }]);
    expect(readd.next.netIndex).toEqual([1, 0]);
    const third = planLiveChange(rec, edit(two, (c) => c.resources.push(net('br2'))));
    expect(third.netAdded.map((n) => n.index)).toEqual([2]);
    // A changed net is the old one removed, then a new one added under the number it freed.
    const moved = planLiveChange(rec, edit(two, (c) => (c.resources[1] = net('br1', '198.51.100.9/24'))));
    expect([moved.netRemoved.map((n) => n.index), moved.netAdded.map((n) => n.index)]).toEqual([[1], [1]]);
  });
});

describe('persistLiveChange', () => {
  test('carries the live change over to the stored configuration, keeping an edit that waits for the next boot', () => {
    const running = blankConfig({}, [rctl('zone.max-lwps', ['privileged', '500', 'deny']), tmpfs('/tmp')]);
    const stored = edit(running, (c) => (c.globals.autoboot = 'true'));
    const after = edit(running, (c) => {
      c.resources[0] = rctl('zone.max-lwps', ['privileged', '300', 'deny']);
      c.resources.push(tmpfs('/scratch', ['size=1m']));
    });
    const saved = persistLiveChange(stored, planLiveChange(bootRecord(running), after), after);
    expect(saved.globals.autoboot).toBe('true');
    expect(saved.resources).toEqual([tmpfs('/tmp'), rctl('zone.max-lwps', ['privileged', '300', 'deny']), tmpfs('/scratch', ['size=1m'])]);
    const removedAgain = edit(after, (c) => c.resources.pop());
    const rec2 = planLiveChange(bootRecord(running), after).next;
    expect(persistLiveChange(saved, planLiveChange(rec2, removedAgain), removedAgain).resources).toEqual([tmpfs('/tmp'), rctl('zone.max-lwps', ['privileged', '300', 'deny'])]);
  });
});
