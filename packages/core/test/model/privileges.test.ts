import { test, expect, describe } from '@jest/globals';
import {
  ALWAYS_DROPPED_CAPABILITIES,
  DEFAULT_CAPABILITIES,
  PRIVILEGES,
  basicPrivileges,
  capabilitiesFor,
  defaultPrivileges,
  parseLimitpriv,
  privilege,
} from '../../src/model/privileges.js';

const SECTION_7 = [
  'contract_event', 'contract_identity', 'contract_observer', 'file_chown', 'file_chown_self', 'file_dac_execute',
  'file_dac_read', 'file_dac_search', 'file_dac_write', 'file_owner', 'file_setid', 'ipc_dac_read', 'ipc_dac_write',
  'ipc_owner', 'net_bindmlp', 'net_mac_aware', 'net_icmpaccess', 'net_observability', 'net_privaddr', 'net_rawaccess',
  'proc_audit', 'proc_chroot', 'proc_lock_memory', 'proc_owner', 'proc_setid', 'proc_taskid', 'sys_acct', 'sys_admin',
  'sys_audit', 'sys_mount', 'sys_nfs', 'sys_resource', 'sys_ip_config', 'sys_iptun_config', 'sys_ppp_config',
  'sys_time', 'proc_priocntl', 'proc_clock_highres', 'dtrace_proc', 'dtrace_user', 'cpc_cpu', 'sys_ipc_config',
  'graphics_access', 'graphics_map', 'dtrace_kernel', 'proc_zone', 'sys_config', 'sys_devices', 'sys_linkdir',
  'sys_net_config', 'sys_res_config', 'sys_suser_compat', 'xvm_control', 'virt_manage', 'sys_dl_config',
];
const BASIC = ['file_link_any', 'file_read', 'file_write', 'net_access', 'proc_exec', 'proc_fork', 'proc_info', 'proc_secflags', 'proc_session'];

describe('privilege table', () => {
  test('holds every privilege of docs/reference.md#7-privileges-limitpriv and the basic set, once each', () => {
    const names = PRIVILEGES.map((p) => p.name);
    expect([...names].sort()).toEqual([...new Set([...SECTION_7, ...BASIC])].sort());
    expect(basicPrivileges()).toEqual(BASIC);
  });

  test('default sets by ip-type', () => {
    const shared = defaultPrivileges('shared');
    const exclusive = defaultPrivileges('exclusive');
    expect(shared).toContain('sys_mount');
    expect(shared).toContain('file_link_any');
    expect(shared).not.toContain('net_rawaccess');
    expect(shared).not.toContain('sys_ip_config');
    expect(shared).not.toContain('sys_time');
    expect(exclusive.filter((p) => !shared.includes(p))).toEqual(['net_rawaccess', 'sys_ip_config', 'sys_iptun_config', 'sys_ppp_config']);
  });

  test('mapped capabilities', () => {
    expect(privilege('proc_owner')?.capabilities).toEqual(['CAP_KILL', 'CAP_SYS_PTRACE']);
    expect(privilege('net_privaddr')?.capabilities).toEqual(['CAP_NET_BIND_SERVICE']);
    expect(privilege('sys_time')?.capabilities).toEqual(['CAP_SYS_TIME']);
    expect(privilege('proc_zone')?.prohibited).toBe('always');
  });
});

describe('capabilities', () => {
  test('default shared-IP zone', () => {
    expect(DEFAULT_CAPABILITIES('shared')).toEqual([
      'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_SETGID',
      'CAP_SETUID', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_CHROOT',
      'CAP_SYS_PTRACE', 'CAP_SYS_PACCT', 'CAP_SYS_ADMIN', 'CAP_SYS_RESOURCE', 'CAP_SYS_TTY_CONFIG', 'CAP_LEASE',
      'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL', 'CAP_SETFCAP',
    ]);
  });
  test('exclusive-IP adds CAP_NET_ADMIN through sys_ip_config', () => {
    expect(DEFAULT_CAPABILITIES('exclusive')).toContain('CAP_NET_ADMIN');
    expect(DEFAULT_CAPABILITIES('shared')).not.toContain('CAP_NET_ADMIN');
    expect(capabilitiesFor(['sys_iptun_config'], 'exclusive')).toEqual([]);
    expect(capabilitiesFor(['sys_ip_config'], 'shared')).toEqual([]);
  });
  test('never an always-dropped capability, except CAP_SYS_TIME for sys_time', () => {
    const everything = PRIVILEGES.map((p) => p.name);
    const caps = capabilitiesFor(everything, 'shared');
    for (const c of ALWAYS_DROPPED_CAPABILITIES) expect(caps.includes(c)).toBe(c === 'CAP_SYS_TIME');
    expect(capabilitiesFor(['proc_fork'], 'shared')).toEqual([]);
  });
});

describe('parseLimitpriv', () => {
  const ok = (spec: string, ip: 'shared' | 'exclusive' = 'shared') => {
    const r = parseLimitpriv(spec, ip);
    if (!r.ok) throw new Error(r.errors.join('; '));
    return r;
  };
  const errors = (spec: string, ip: 'shared' | 'exclusive' = 'shared') => {
    const r = parseLimitpriv(spec, ip);
    return r.ok ? [] : r.errors;
  };

  test('empty means the default set', () => {
    expect(ok('').privileges).toEqual(defaultPrivileges('shared'));
    expect(ok('').capabilities).toEqual(DEFAULT_CAPABILITIES('shared'));
    expect(ok('default').privileges).toEqual(defaultPrivileges('shared'));
  });
  test('default plus an optional privilege', () => {
    const r = ok('default,sys_time');
    expect(r.privileges).toContain('sys_time');
    expect(r.capabilities).toContain('CAP_SYS_TIME');
    expect(r.privileges).toEqual([...r.privileges].sort());
  });
  test('- and ! remove', () => {
    expect(ok('default,-file_link_any').privileges).not.toContain('file_link_any');
    expect(ok('default,!proc_owner').capabilities).not.toContain('CAP_KILL');
  });
  test('priv_ prefix and case are accepted', () => {
    expect(ok('default,PRIV_SYS_TIME').privileges).toContain('sys_time');
    expect(errors('default,priv_proc_zone')).toEqual(['privilege "proc_zone" is not permitted within the zone\'s privilege set']);
  });
  test('prohibited privileges', () => {
    expect(errors('default,sys_config,dtrace_kernel')).toEqual([
      'privilege "dtrace_kernel" is not permitted within the zone\'s privilege set',
      'privilege "sys_config" is not permitted within the zone\'s privilege set',
    ]);
    expect(errors('default,sys_ip_config')).toEqual(['privilege "sys_ip_config" is not permitted within the zone\'s privilege set']);
    expect(errors('default,sys_ip_config', 'exclusive')).toEqual([]);
  });
  test('required privileges', () => {
    expect(errors('default,-sys_mount')).toEqual(['required privilege "sys_mount" is missing from the zone\'s privilege set']);
    expect(errors('default,-sys_ip_config', 'exclusive')).toEqual([
      'required privilege "sys_ip_config" is missing from the zone\'s privilege set',
    ]);
    expect(errors('none')).toEqual([
      'required privilege "proc_exec" is missing from the zone\'s privilege set',
      'required privilege "proc_fork" is missing from the zone\'s privilege set',
      'required privilege "sys_mount" is missing from the zone\'s privilege set',
    ]);
  });
  test('unknown privileges, zone, and default out of first place', () => {
    expect(errors('default,bogus')).toEqual(['unknown privilege "bogus" specified in the zone\'s privilege set']);
    expect(errors('default,zone')).toEqual(['unknown privilege "zone" specified in the zone\'s privilege set']);
    expect(errors('basic,sys_mount,default')).toEqual(['unknown privilege "default" specified in the zone\'s privilege set']);
  });
  test('basic, all, none', () => {
    expect(ok('basic,sys_mount').privileges).toEqual([...BASIC, 'sys_mount'].sort());
    const all = ok('all').privileges;
    expect(all).toContain('sys_time');
    expect(all).not.toContain('proc_zone');
    expect(all).not.toContain('sys_ip_config');
    expect(ok('all', 'exclusive').privileges).toContain('sys_ip_config');
    expect(ok('none,basic,sys_mount').privileges).toEqual([...BASIC, 'sys_mount'].sort());
  });
  test('the failing privileges are listed for zonecfg verify', () => {
    const r = parseLimitpriv('default,bogus,-proc_fork', 'shared');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.invalid).toEqual(['bogus', 'proc_fork']);
  });
});
