/** The mount table reader and its lookups, against a mountinfo fixture and this host's own table. */
import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filesystemOf, mountOf, mountsUnder, readMounts } from '../../src/platform/mounts.js';

const base = mkdtempSync(join(tmpdir(), 'zones-mounts-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const MOUNTINFO = [
  '26 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro',
  '30 26 0:25 / /zones rw,nosuid shared:9 - tmpfs tmpfs rw,size=1024k',
  '31 30 8:2 / /zones/z1/root/my\\040data rw - xfs /dev/sdb\\0401 rw',
  '32 26 0:26 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec - cgroup cgroup rw,memory',
  'garbled line',
  '',
].join('\n');

describe('readMounts', () => {
  const path = join(base, 'mountinfo');
  writeFileSync(path, MOUNTINFO);
  const mounts = readMounts(path);

  test('fields, escapes and superblock options; a garbled line or a missing file is no mount', () => {
    expect(mounts.map((m) => m.mountPoint)).toEqual(['/', '/zones', '/zones/z1/root/my data', '/sys/fs/cgroup/memory']);
    expect(mounts[2]).toEqual({ mountPoint: '/zones/z1/root/my data', device: '8:2', fsType: 'xfs', options: ['rw'], source: '/dev/sdb 1', superOptions: ['rw'] });
    expect(mounts[3]!.superOptions).toEqual(['rw', 'memory']);
    expect(mounts[1]!.options).toEqual(['rw', 'nosuid']);
    expect(readMounts(join(base, 'missing'))).toEqual([]);
  });

  test('mountsUnder: strictly below, not beside; mountOf: the longest prefix', () => {
    expect(mountsUnder('/zones', mounts)).toEqual(['/zones/z1/root/my data']);
    expect(mountsUnder('/zones/z1/root/my data', mounts)).toEqual([]);
    expect(mountsUnder('/zon', mounts)).toEqual([]);
    expect(mountOf('/zones/z1/root', mounts)?.fsType).toBe('tmpfs');
    expect(mountOf('/zonesx', mounts)?.fsType).toBe('ext4');
    expect(mountOf('/zones/z1/root/my data/f', mounts)?.fsType).toBe('xfs');
  });

  test("this host's table: / is mounted, /proc is proc; a missing path has no filesystem", () => {
    expect(mountOf('/', readMounts())?.mountPoint).toBe('/');
    expect(filesystemOf('/proc/self')).toBe('proc');
    expect(filesystemOf(join(base, 'missing'))).toBeUndefined();
  });
});
