/**
 * A zone's configuration as an OCI config.json (core/src/oci/runtime-config.ts), checked against
 * the runtime-spec's own JSON schema (Debian's golang-github-opencontainers-specs-dev, installed
 * by scripts/install-deps.sh) and mapping by mapping against the decisions our boot takes.
 */
import { describe, expect, test } from '@jest/globals';
import { ociSeccomp, runtimeConfig, type OciConfig, type ZoneFacts } from '../../src/oci/runtime-config.js';
import { parseLimitpriv } from '../../src/model/privileges.js';
import { PROC_MASKED } from '../../src/model/proc-view.js';
import { ZONE_SYSCALL_DENY } from '../../src/model/seccomp.js';
import { v1Shares } from '../../src/platform/cgroups/limits.js';
import type { Resource, ZoneConfig } from '../../src/model/types.js';
import { blankConfig, rctl } from '../model/config.js';
import { schemaValidator } from './runtime-spec.js';

const validate = schemaValidator();

const facts = (name = 'z1'): ZoneFacts => ({
  name,
  idmap: { uid: 1_000_065_536, gid: 1_000_131_072, count: 65536 },
  devices: {
    nodes: [
      { path: '/dev/null', type: 'c', major: 1, minor: 3, mode: 0o666, uid: 0, gid: 0 },
      { path: '/dev/sdb', type: 'b', major: 8, minor: 16, mode: 0o660, uid: 0, gid: 6 },
    ],
    rules: [
      { type: 'c', major: 1, minor: 3, access: 'rwm' },
      { type: 'c', major: 136, minor: '*', access: 'rwm' },
    ],
  },
  init: { path: '/sbin/init', args: ['-s'] },
  arches: ['x86_64', 'i386'],
});

const cfgWith = (globals: Partial<ZoneConfig['globals']>, resources: Resource[]) => blankConfig(globals, resources);

const sparse = cfgWith({}, [
  { type: 'inherit-pkg-dir', props: { dir: '/usr' } },
  { type: 'fs', props: { dir: '/data', special: '/srv/data', type: 'lofs', options: ['ro', 'nodevices'] } },
  { type: 'fs', props: { dir: '/scratch', special: 'swap', type: 'tmpfs', options: ['size=64m'] } },
  { type: 'capped-memory', props: { physical: String(512 * 1024 * 1024) } },
  rctl('zone.max-swap', ['privileged', String(1024 * 1024 * 1024), 'deny']),
  rctl('zone.cpu-cap', ['privileged', '150', 'deny']),
  rctl('zone.cpu-shares', ['privileged', '20', 'none']),
  rctl('zone.max-lwps', ['privileged', '300', 'deny']),
  rctl('zone.max-msg-ids', ['privileged', '64', 'deny']),
  rctl('zone.max-locked-memory', ['privileged', String(64 * 1024 * 1024), 'deny']),
]);

describe('runtime-spec schema', () => {
  test('the validator refuses what the schema refuses (it is not a pass-through)', () => {
    const { config } = runtimeConfig(blankConfig(), facts());
    expect(validate(config)).toEqual([]);
    expect(validate({ ...config, ociVersion: 7 })).not.toEqual([]);
    expect(validate({ ...config, linux: { ...config.linux, namespaces: [{ type: 'nosuch' }] } })).not.toEqual([]);
  });

  test.each([
    ['a blank zone', blankConfig()],
    ['a sparse zone with fs resources and every limit', sparse],
    ['an exclusive-IP zone with a net and a dedicated CPU', cfgWith({ 'ip-type': 'exclusive' }, [
      { type: 'net', props: { physical: 'vnic0' } },
      { type: 'dedicated-cpu', props: { ncpus: '2' } },
    ])],
    ['a zone with sys_time', cfgWith({ limitpriv: 'default,sys_time' }, [])],
  ])('%s: config.json is valid', (_what, cfg) => {
    expect(validate(runtimeConfig(cfg, facts()).config)).toEqual([]);
  });
});

describe('the mappings', () => {
  const { config, warnings } = runtimeConfig(sparse, facts());
  const mount = (c: OciConfig, dest: string) => c.mounts.find((m) => m.destination === dest);

  test('the user namespace maps the zone onto its block; the process is the zone root running the init', () => {
    expect(config.linux.uidMappings).toEqual([{ containerID: 0, hostID: 1_000_065_536, size: 65536 }]);
    expect(config.linux.gidMappings).toEqual([{ containerID: 0, hostID: 1_000_131_072, size: 65536 }]);
    expect(config.linux.namespaces.map((n) => n.type).sort()).toEqual(['cgroup', 'ipc', 'mount', 'pid', 'user', 'uts']);
    expect(config.process.user).toEqual({ uid: 0, gid: 0 });
    expect(config.process.args).toEqual(['/sbin/init', '-s']);
    expect(config.hostname).toBe('z1');
    expect(config.process.env).toContain('container=zone');
  });

  test('the capabilities are those of limitpriv, in every set a root process has', () => {
    const priv = parseLimitpriv('', 'shared');
    if (!priv.ok) throw new Error('default limitpriv');
    expect(config.process.capabilities.bounding).toEqual(priv.capabilities);
    expect(config.process.capabilities.effective).toEqual(priv.capabilities);
    expect(config.process.capabilities.ambient).toEqual([]);
    const less = runtimeConfig(cfgWith({ limitpriv: 'default,-proc_owner' }, []), facts()).config;
    expect(priv.capabilities.filter((c) => !less.process.capabilities.bounding.includes(c))).toEqual(['CAP_KILL', 'CAP_SYS_PTRACE']);
  });

  test('inherit-pkg-dirs are read-only idmapped binds; fs resources keep their options', () => {
    expect(mount(config, '/usr')).toEqual({ destination: '/usr', type: 'bind', source: '/usr', options: ['rbind', 'rro', 'nodev', 'idmap'] });
    expect(mount(config, '/data')).toEqual({ destination: '/data', type: 'bind', source: '/srv/data', options: ['rbind', 'ro', 'nodev'] });
    expect(mount(config, '/scratch')).toEqual({ destination: '/scratch', type: 'tmpfs', source: 'swap', options: ['size=64m'] });
    // a shared-IP zone has no network namespace of its own: the host's sysfs, read-only
    // read-only all the way down: the host's securityfs, debugfs, bpf, efivars below /sys too
    expect(mount(config, '/sys')?.options).toContain('rro');
    expect(mount(config, '/sys')?.type).toBe('bind');
  });

  test('the /proc masks are the boot\'s table; /proc/sys is read-only', () => {
    expect(config.linux.maskedPaths).toEqual(PROC_MASKED.map((m) => `/proc/${m}`));
    expect(config.linux.readonlyPaths).toEqual(['/proc/sys']);
    const excl = runtimeConfig(cfgWith({ 'ip-type': 'exclusive' }, []), facts()).config;
    expect(excl.linux.readonlyPaths).not.toContain('/proc/sys');
    expect(excl.linux.readonlyPaths).toContain('/proc/sys/kernel');
    expect(excl.linux.readonlyPaths.some((p) => p.startsWith('/proc/sys/net'))).toBe(false);
    expect(excl.linux.namespaces.map((n) => n.type)).toContain('network');
    expect(mount(excl, '/sys')?.type).toBe('sysfs');
  });

  test("device nodes keep the host's mode and owner, as in our boot (a disk is not opened by everyone)", () => {
    expect(config.linux.devices).toEqual([
      { path: '/dev/null', type: 'c', major: 1, minor: 3, fileMode: 0o666, uid: 0, gid: 0 },
      { path: '/dev/sdb', type: 'b', major: 8, minor: 16, fileMode: 0o660, uid: 0, gid: 6 },
    ]);
  });

  test('the rctls and capped resources are the cgroup limits', () => {
    expect(config.linux.resources.memory).toEqual({ limit: 512 * 1024 * 1024, swap: 1024 * 1024 * 1024 });
    expect(config.linux.resources.cpu).toEqual({ shares: v1Shares(20), quota: 150_000, period: 100_000 });
    expect(config.linux.resources.pids).toEqual({ limit: 300 });
    expect(config.process.rlimits).toEqual([{ type: 'RLIMIT_MEMLOCK', hard: 64 * 1024 * 1024, soft: 64 * 1024 * 1024 }]);
    expect(config.linux.sysctl).toEqual({ 'kernel.msgmni': '64' });
    expect(config.linux.resources.devices).toEqual([
      { allow: false, access: 'rwm' },
      { allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' },
      { allow: true, type: 'c', major: 136, access: 'rwm' },
    ]);
    const dedicated = runtimeConfig(cfgWith({}, [{ type: 'dedicated-cpu', props: { ncpus: '2' } }]), facts());
    expect(dedicated.config.linux.resources.cpu?.cpus).toBe('0-1');
    expect(dedicated.warnings.join('\n')).toMatch(/dedicated-cpu/);
  });

  test('the seccomp filter is the deny list; with IPC rctls new IPC namespaces are refused', () => {
    const seccomp = config.linux.seccomp;
    expect(seccomp.defaultAction).toBe('SCMP_ACT_ALLOW');
    expect(seccomp.architectures).toEqual(['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86']);
    for (const r of ZONE_SYSCALL_DENY) expect(seccomp.syscalls.some((s) => s.names.includes(r.name))).toBe(true);
    const umount = seccomp.syscalls.find((s) => s.names[0] === 'umount2');
    expect(umount).toEqual({ names: ['umount2'], action: 'SCMP_ACT_ERRNO', errnoRet: 13, args: [{ index: 1, value: 1, valueTwo: 1, op: 'SCMP_CMP_MASKED_EQ' }] });
    expect(seccomp.syscalls.find((s) => s.names[0] === 'unshare')?.args?.[0]?.value).toBe(0x08000000);
    expect(seccomp.syscalls.find((s) => s.names[0] === 'clone3')?.errnoRet).toBe(38);
    const plain = ociSeccomp([], ['x86_64']);
    expect(plain.syscalls.some((s) => s.names[0] === 'unshare' || s.names[0] === 'clone3')).toBe(false);
  });

  test('sys_time: no clock rule (the kernel refuses it in a user namespace), and a warning says so', () => {
    const r = runtimeConfig(cfgWith({ limitpriv: 'default,sys_time' }, []), facts());
    expect(r.config.linux.seccomp.syscalls.some((s) => s.names[0] === 'clock_settime')).toBe(false);
    expect(r.warnings.join('\n')).toMatch(/sys_time/);
    expect(warnings.join('\n')).not.toMatch(/sys_time/);
  });
});
