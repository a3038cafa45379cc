/** The pure parts of the runtime: console framing, capability masks, the supervisor command line. */
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { encodeConsoleInput, encodeResize } from '../../src/runtime/console.js';
import { bootPlan, bootRequest, fsMount, supervisorArgs } from '../../src/runtime/supervisor.js';
import { deviceMatchProblems, zoneDevices } from '../../src/runtime/devices.js';
import { RUN_FILES } from '../../src/runtime/run-files.js';
import { MS } from '../../src/platform/syscalls.js';
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
  const idmap = { uid: 1_000_000, gid: 2_000_000, count: 65536 };
  const base = { name: 'z1', runDir: '/run/z1', consoleLog: '/log/z1', root: '/zones/z1/root', idmap };
  test('resources, ids, cgroups, devices, caps, ip-type and bootargs', () => {
    const cfg = blankTemplate('z1');
    cfg.globals['ip-type'] = 'exclusive';
    cfg.resources = [
      { type: 'inherit-pkg-dir', props: { dir: '/usr' } },
      { type: 'fs', props: { dir: '/data', special: '/srv/d', type: 'lofs', options: ['ro', 'nodevices'] } },
      { type: 'fs', props: { dir: '/t', special: 'swap', type: 'tmpfs' } },
      { type: 'device', props: { match: '/dev/loop*' } },
    ];
    const args = supervisorArgs(cfg, {
      ...base,
      cgroupPaths: ['/cg/pids/zones/z1'],
      payloadPaths: ['/cg/pids/zones/z1/payload'],
      devices: ['/dev/null', '/dev/loop0'],
      cgroupfs: { mounts: [{ name: 'pids', type: 'cgroup', options: 'pids' }], links: [{ name: 'cpu', target: 'cpu,cpuacct' }] },
      capabilities: ['CAP_CHOWN', 'CAP_KILL'],
      start: 'ready',
      bootargs: ['-i', '/bin/sh', '-x'],
    });
    const syscalls = args.flatMap((a, i) => (args[i - 1] === '--syscall' ? [a] : []));
    expect(args.filter((a, i) => a !== '--syscall' && args[i - 1] !== '--syscall')).toEqual([
      '--zone', 'z1', '--rundir', '/run/z1', '--log', '/log/z1', '--root', '/zones/z1/root',
      '--idmap', '1000000:2000000:65536',
      '--cgroup', '/cg/pids/zones/z1', '--join', '/cg/pids/zones/z1/payload',
      ...['kcore', 'kallsyms', 'keys', 'sysrq-trigger', 'timer_list'].flatMap((m) => ['--proc-mask', m]),
      ...['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'TERM=linux', 'HOME=/', 'container=zone'].flatMap((e) => ['--env', e]),
      '--ipd', '/usr', '--fs', 'lofs', '/srv/d', '/data', String(MS.BIND | MS.REC | MS.RDONLY | MS.NODEV), '', '--fs', 'tmpfs', 'swap', '/t', '0', '',
      '--device', '/dev/null', '--device', '/dev/loop0',
      '--cgroupfs', 'pids:cgroup:pids', '--cgroupfs-link', 'cpu:cpu,cpuacct',
      '--caps', '21', '--netns', '--ready', '--init', '/bin/sh', '--bootargs', '-i /bin/sh -x', '--', '-x',
    ]);
    // the deny list, for the native ABI and (on x86_64) the 32-bit one; no clock calls without CAP_SYS_TIME
    expect(syscalls).toContain(process.arch === 'arm64' ? 'c00000b7:265:e1' : 'c000003e:304:e1');
    expect(syscalls.some((r) => r.endsWith(':n'))).toBe(false);
  });
  test('cgroup v2: the device program goes on the zone\'s cgroup; CAP_SYS_TIME: the clock calls to the supervisor', () => {
    const args = supervisorArgs(blankTemplate('z1'), {
      ...base,
      cgroupPaths: ['/cg/zones/z1'],
      payloadPaths: ['/cg/zones/z1/payload'],
      deviceFilter: { dir: '/cg/zones/z1', rules: [{ type: 'c', major: 1, minor: 3, access: 'rwm' }, { type: 'c', major: 136, minor: '*', access: 'rw' }] },
      devices: [],
      capabilities: ['CAP_SYS_TIME'],
      start: 'boot',
      bootargs: [],
    });
    expect(args.slice(args.indexOf('--device-filter'), args.indexOf('--device-filter') + 6)).toEqual([
      '--device-filter', '/cg/zones/z1', '--devrule', 'c:1:3:rwm', '--devrule', 'c:136:*:rw',
    ]);
    if (process.arch === 'x64') expect(args).toEqual(expect.arrayContaining(['c000003e:227:n', 'c000003e:164:n', 'c000003e:159:n', 'c000003e:305:n']));
    expect(args.slice(-7)).toEqual(['--caps', '2000000', '--init', '/sbin/init', '--init', 'zsched', '--']);
  });
  test('what a zone that halts by itself undoes: its cgroup parent, its zone id, the commands removing its addresses (never one with a tab)', () => {
    const args = supervisorArgs(blankTemplate('z1'), {
      ...base,
      cgroupPaths: ['/cg/pids/zones.0123456789/z1'],
      payloadPaths: ['/cg/pids/zones.0123456789/z1/payload'],
      cgroupParents: ['/cg/pids/zones.0123456789'],
      release: ['/r/var/run/zones/.zoneid.3'],
      onHalt: [['/usr/sbin/ip', 'addr', 'del', '192.0.2.1/32', 'dev', 'br0'], ['/usr/sbin/ip', 'addr', 'del', '192.0.2.2/32\tx', 'dev', 'br0']],
      devices: [],
      capabilities: [],
      start: 'boot',
      bootargs: [],
    });
    const after = (opt: string) => args.flatMap((a, i) => (a === opt ? [args[i + 1]] : []));
    expect(after('--cgroup-parent')).toEqual(['/cg/pids/zones.0123456789']);
    expect(after('--release')).toEqual(['/r/var/run/zones/.zoneid.3']);
    expect(after('--on-halt')).toEqual(['/usr/sbin/ip\taddr\tdel\t192.0.2.1/32\tdev\tbr0']);
  });
  test('fs options: Solaris flags become mount flags, the rest mount data; lofs binds, recursively unless nosub', () => {
    expect(fsMount('lofs', ['ro', 'nosuid', 'noexec'])).toEqual({ flags: MS.BIND | MS.REC | MS.RDONLY | MS.NOSUID | MS.NOEXEC, data: '' });
    expect(fsMount('lofs', ['nosub', 'rw'])).toEqual({ flags: MS.BIND, data: '' });
    expect(fsMount('tmpfs', ['size=10m,mode=0755', 'nodevices', 'nosub', 'constructor'])).toEqual({
      flags: MS.NODEV, data: 'size=10m,mode=0755,constructor',
    });
    expect(fsMount('ext4', [])).toEqual({ flags: 0, data: '' });
  });
  test('boot: -i picks the init (the last one), else /sbin/init or the minimal one; the boot request repeats the options', () => {
    expect(bootPlan([])).toEqual({ inits: ['/sbin/init', 'zsched'], args: [], text: '' });
    expect(bootPlan(['-m', 'verbose', '-i', '/a', '-i', 'zsched', 'x'])).toEqual({ inits: ['zsched'], args: ['-m', 'verbose', 'x'], text: '-m verbose -i /a -i zsched x' });
    expect(bootPlan(['-x', '-i'])).toEqual({ inits: ['/sbin/init', 'zsched'], args: ['-x', '-i'], text: '-x -i' });
    expect(bootRequest(['-i', '/bin/sh', '-c', 'echo hi'])).toBe('boot\t--init\t/bin/sh\t--bootargs\t-i /bin/sh -c echo hi\t--\t-c\techo hi');
    expect(bootRequest([])).toBe('boot\t--init\t/sbin/init\t--init\tzsched\t--');
  });
  test('device matches: only under /dev; one outside is reported, and a boot refuses it', () => {
    const cfg = blankTemplate('z1');
    cfg.resources = [
      { type: 'device', props: { match: '/dev/null' } },
      { type: 'device', props: { match: '/etc/shad*' } },
      { type: 'device', props: { match: '/dev/../etc/passwd' } },
    ];
    expect(deviceMatchProblems(cfg)).toEqual([
      'could not verify device /etc/shad*: not a path under /dev',
      'could not verify device /dev/../etc/passwd: not a path under /dev',
    ]);
    expect(() => zoneDevices(cfg, 'z1')).toThrow('could not verify device /etc/shad*: not a path under /dev');
    cfg.resources = cfg.resources.slice(0, 1);
    expect(deviceMatchProblems(cfg)).toEqual([]);
    expect(zoneDevices(cfg).nodes.map((n) => n.path)).toContain('/dev/null');
  });
  test('run files: the supervisor is built with the runtime\'s names (native/bin/run-files.h)', () => {
    const header = readFileSync(new URL('../../native/bin/run-files.h', import.meta.url), 'utf8');
    for (const name of Object.values(RUN_FILES)) expect(header).toContain(` "${name}"\n`);
    expect(header).toMatch(/^#define RUN_FILE_NAMES \{ RUN_SUPERVISOR_PID, .*RUN_BOOTING \}$/m);
  });
  test('bootargs words; cgroup parent per ZONES_ROOT', () => {
    expect(splitBootargs('  -m verbose  -i /sbin/init ')).toEqual(['-m', 'verbose', '-i', '/sbin/init']);
    expect(splitBootargs('')).toEqual([]);
    expect(zoneCgroupOptions({ root: '/' })).toEqual({});
    expect(zoneCgroupOptions({ root: '/tmp/x' }).parent).toMatch(/^zones\.[0-9a-f]{10}$/);
  });
});
