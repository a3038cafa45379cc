/** The pure parts of the runtime: console framing, capability masks, the supervisor command line. */
import { describe, expect, test } from '@jest/globals';
import { encodeConsoleInput, encodeResize } from '../../src/runtime/console.js';
import { supervisorArgs } from '../../src/runtime/supervisor.js';
import { splitBootargs } from '../../src/runtime/lifecycle.js';
import { zoneCgroupOptions } from '../../src/runtime/state.js';
import { capabilityMask, capabilityNames } from '../../src/platform/capabilities.js';
import { DEFAULT_CAPABILITIES } from '../../src/model/privileges.js';
import { blankTemplate } from '../../src/store/templates.js';

describe('console framing', () => {
  test('0xFF is doubled, everything else passes', () => {
    expect(encodeConsoleInput('ls\n')).toEqual(Buffer.from('ls\n'));
    expect(encodeConsoleInput(Buffer.from([1, 0xff, 2]))).toEqual(Buffer.from([1, 0xff, 0xff, 2]));
  });
  test('resize is FF W rows cols, big-endian', () => {
    expect(encodeResize(40, 300)).toEqual(Buffer.from([0xff, 0x57, 0, 40, 1, 44]));
  });
});

describe('capability masks', () => {
  test('bit N = capability number N', () => {
    expect(capabilityMask(['CAP_CHOWN'])).toBe(1n);
    expect(capabilityMask(['CAP_SYS_TIME'])).toBe(1n << 25n);
    expect(capabilityNames('0000000000000101')).toEqual(['CAP_CHOWN', 'CAP_SETPCAP']);
    const def = DEFAULT_CAPABILITIES('shared');
    expect(capabilityNames(capabilityMask(def))).toEqual(def);
    expect(() => capabilityMask(['CAP_NOPE'])).toThrow();
  });
});

describe('supervisor command line', () => {
  test('resources, caps, ip-type and bootargs', () => {
    const cfg = blankTemplate('z1');
    cfg.globals['ip-type'] = 'exclusive';
    cfg.resources = [
      { type: 'inherit-pkg-dir', props: { dir: '/usr' } },
      { type: 'fs', props: { dir: '/data', special: '/srv/d', type: 'lofs', options: ['ro', 'nodevices'] } },
      { type: 'fs', props: { dir: '/t', special: 'swap', type: 'tmpfs' } },
      { type: 'device', props: { match: '/dev/loop*' } },
    ];
    const args = supervisorArgs(cfg, {
      name: 'z1', runDir: '/run/z1', consoleLog: '/log/z1', root: '/zones/z1/root', cgroupPaths: ['/cg/pids/zones/z1'],
      capabilities: ['CAP_CHOWN', 'CAP_KILL'], start: 'ready', bootargs: ['-i', '/bin/sh', '-x'],
    });
    expect(args).toEqual([
      '--zone', 'z1', '--rundir', '/run/z1', '--log', '/log/z1', '--root', '/zones/z1/root',
      '--cgroup', '/cg/pids/zones/z1', '--ipd', '/usr', '--fs', 'lofs', '/srv/d', '/data', 'ro,nodevices',
      '--fs', 'tmpfs', 'swap', '/t', '-', '--device', '/dev/loop*', '--caps', '21', '--netns', '--ready',
      '--', '-i', '/bin/sh', '-x',
    ]);
  });
  test('bootargs words; cgroup parent per ZONES_ROOT', () => {
    expect(splitBootargs('  -m verbose  -i /sbin/init ')).toEqual(['-m', 'verbose', '-i', '/sbin/init']);
    const spec = { name: 'z', runDir: '/r', consoleLog: '/l', root: '/z', cgroupPaths: [], capabilities: [], bootargs: [] };
    expect(supervisorArgs(blankTemplate('z'), { ...spec, start: 'boot-pending', consoleLogMax: 0 })).toEqual([
      '--zone', 'z', '--rundir', '/r', '--log', '/l', '--root', '/z', '--log-max', '0', '--caps', '0', '--boot-pending', '--',
    ]);
    expect(splitBootargs('')).toEqual([]);
    expect(zoneCgroupOptions({ root: '/' })).toEqual({});
    expect(zoneCgroupOptions({ root: '/tmp/x' }).parent).toMatch(/^zones\.[0-9a-f]{10}$/);
  });
});
