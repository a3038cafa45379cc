/**
 * Zone privileges (limitpriv, docs/reference.md#7-privileges-limitpriv) and the Linux capabilities they become.
 * A zone's processes get, as their capability bounding set, the union of the capabilities of
 * its granted privileges, minus the capabilities no zone may ever hold.
 */

export type IpType = 'shared' | 'exclusive';

export interface PrivilegeSpec {
  name: string;
  /** Part of the basic set every process has. */
  basic: boolean;
  /** In the zone's default set: always, only for exclusive-IP zones, or never (optional/prohibited). */
  inDefault: 'yes' | 'exclusive-ip' | 'no';
  /** Never grantable (`always`), or not for shared-IP zones (they share the global stack). */
  prohibited: 'never' | 'always' | 'shared-ip';
  /** Cannot be removed: always, or only for exclusive-IP zones. */
  required: 'never' | 'always' | 'exclusive-ip';
  /** Nearest Linux capabilities; empty when Linux has no gate for it (allowed as a no-op). */
  capabilities: readonly string[];
  /**
   * Why granting it changes nothing in a zone, which runs in a user namespace of its own: the
   * capability acts only in the host's, or the call behind it is refused in every zone. zoneadm
   * verify and boot say so when limitpriv adds it.
   */
  noEffectInZone?: string;
}

type Row = [name: string, caps: readonly string[], noEffectInZone?: string];

const row = (
  [name, capabilities, noEffectInZone]: Row,
  inDefault: PrivilegeSpec['inDefault'],
  extra: Partial<PrivilegeSpec> = {},
): PrivilegeSpec => ({
  name,
  basic: false,
  inDefault,
  prohibited: 'never',
  required: 'never',
  capabilities,
  ...(noEffectInZone ? { noEffectInZone } : {}),
  ...extra,
});

const HOST_ONLY = (cap: string) => `${cap} acts only in the host's user namespace`;

const BASIC: Row[] = [
  ['file_link_any', []],
  ['file_read', []],
  ['file_write', []],
  ['net_access', []],
  ['proc_exec', []],
  ['proc_fork', []],
  ['proc_info', []],
  ['proc_secflags', []],
  ['proc_session', []],
];

const DEFAULT: Row[] = [
  ['contract_event', []],
  ['contract_identity', []],
  ['contract_observer', []],
  ['file_chown', ['CAP_CHOWN']],
  ['file_chown_self', []],
  ['file_dac_execute', ['CAP_DAC_OVERRIDE']],
  ['file_dac_read', ['CAP_DAC_READ_SEARCH', 'CAP_DAC_OVERRIDE']],
  ['file_dac_search', ['CAP_DAC_READ_SEARCH']],
  ['file_dac_write', ['CAP_DAC_OVERRIDE']],
  // Leases are an owner's right over its files (services such as samba take them).
  ['file_owner', ['CAP_FOWNER', 'CAP_LEASE']],
  ['file_setid', ['CAP_FSETID', 'CAP_SETFCAP']],
  ['ipc_dac_read', ['CAP_IPC_OWNER']],
  ['ipc_dac_write', ['CAP_IPC_OWNER']],
  ['ipc_owner', ['CAP_IPC_OWNER']],
  ['net_bindmlp', []],
  ['net_icmpaccess', ['CAP_NET_RAW']],
  ['net_mac_aware', []],
  ['net_observability', ['CAP_NET_RAW']],
  ['net_privaddr', ['CAP_NET_BIND_SERVICE']],
  ['proc_audit', ['CAP_AUDIT_WRITE']],
  ['proc_chroot', ['CAP_SYS_CHROOT']],
  ['proc_lock_memory', ['CAP_IPC_LOCK']],
  ['proc_owner', ['CAP_KILL', 'CAP_SYS_PTRACE']],
  // Dropping capabilities within the bounding set is part of changing identity on Linux (systemd does it for every service).
  ['proc_setid', ['CAP_SETUID', 'CAP_SETGID', 'CAP_SETPCAP']],
  ['proc_taskid', []],
  ['sys_acct', ['CAP_SYS_PACCT']],
  // vhangup() of the zone's own terminals (getty, login) is CAP_SYS_TTY_CONFIG on Linux.
  ['sys_admin', ['CAP_SYS_ADMIN', 'CAP_SYS_TTY_CONFIG']],
  ['sys_audit', ['CAP_AUDIT_CONTROL']],
  ['sys_nfs', []],
  ['sys_resource', ['CAP_SYS_RESOURCE']],
];

const OPTIONAL: Row[] = [
  ['cpc_cpu', ['CAP_PERFMON'], 'perf_event_open is refused in every zone'],
  ['dtrace_proc', ['CAP_SYS_PTRACE']],
  ['dtrace_user', ['CAP_PERFMON', 'CAP_BPF'], 'perf_event_open and bpf are refused in every zone'],
  ['graphics_access', []],
  ['graphics_map', []],
  ['proc_clock_highres', []],
  ['proc_priocntl', ['CAP_SYS_NICE'], HOST_ONLY('CAP_SYS_NICE')],
  ['sys_ipc_config', ['CAP_SYS_RESOURCE'], HOST_ONLY('CAP_SYS_RESOURCE')],
  // CAP_SYS_TIME acts only in the host's user namespace too: the zone's supervisor sets the clock for it.
  ['sys_time', ['CAP_SYS_TIME']],
];

const PROHIBITED: Row[] = [
  ['dtrace_kernel', ['CAP_SYS_ADMIN', 'CAP_BPF']],
  ['proc_zone', []],
  ['sys_config', ['CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYSLOG']],
  ['sys_devices', ['CAP_MKNOD', 'CAP_SYS_RAWIO']],
  ['sys_dl_config', ['CAP_NET_ADMIN']],
  ['sys_linkdir', []],
  ['sys_net_config', ['CAP_NET_ADMIN']],
  ['sys_res_config', ['CAP_SYS_ADMIN', 'CAP_SYS_NICE']],
  ['sys_suser_compat', ['CAP_SYS_MODULE', 'CAP_SYS_RAWIO']],
  ['virt_manage', []],
  ['xvm_control', []],
];

export const PRIVILEGES: readonly PrivilegeSpec[] = [
  ...BASIC.map((r) =>
    row(r, 'yes', {
      basic: true,
      required: r[0] === 'proc_exec' || r[0] === 'proc_fork' ? 'always' : 'never',
    }),
  ),
  ...DEFAULT.map((r) => row(r, 'yes')),
  row(['sys_mount', ['CAP_SYS_ADMIN']], 'yes', { required: 'always' }),
  // Shared-IP zones may ask for raw sockets; exclusive-IP zones own their stack and get them.
  row(['net_rawaccess', ['CAP_NET_RAW']], 'exclusive-ip'),
  row(['sys_ip_config', ['CAP_NET_ADMIN']], 'exclusive-ip', { prohibited: 'shared-ip', required: 'exclusive-ip' }),
  row(['sys_iptun_config', ['CAP_NET_ADMIN']], 'exclusive-ip', { prohibited: 'shared-ip' }),
  row(['sys_ppp_config', ['CAP_NET_ADMIN']], 'exclusive-ip', { prohibited: 'shared-ip' }),
  ...OPTIONAL.map((r) => row(r, 'no')),
  ...PROHIBITED.map((r) => row(r, 'no', { prohibited: 'always' })),
// Code-point order (the names are lower-case ASCII and `_`): localeCompare would load ICU's collator at import (~8 ms).
].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/** In the order of linux/capability.h, which is how capabilities are listed. */
export const LINUX_CAPABILITIES = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL',
  'CAP_SETGID', 'CAP_SETUID', 'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST', 'CAP_NET_ADMIN', 'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER',
  'CAP_SYS_MODULE', 'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE', 'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE', 'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG', 'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
] as const;

/** No zone-safe Solaris privilege stands for these; CAP_SYS_TIME / CAP_NET_ADMIN have exceptions below. */
export const ALWAYS_DROPPED_CAPABILITIES = [
  'CAP_SYS_MODULE', 'CAP_SYS_RAWIO', 'CAP_SYS_BOOT', 'CAP_MKNOD', 'CAP_MAC_ADMIN', 'CAP_MAC_OVERRIDE',
  'CAP_SYSLOG', 'CAP_LINUX_IMMUTABLE', 'CAP_SYS_TIME', 'CAP_NET_ADMIN', 'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ',
] as const;

export function privilege(name: string): PrivilegeSpec | undefined {
  return PRIVILEGES.find((p) => p.name === name);
}

export function isProhibited(p: PrivilegeSpec, ipType: IpType): boolean {
  return p.prohibited === 'always' || (p.prohibited === 'shared-ip' && ipType === 'shared');
}

function isRequired(p: PrivilegeSpec, ipType: IpType): boolean {
  return p.required === 'always' || (p.required === 'exclusive-ip' && ipType === 'exclusive');
}

function inDefaultSet(p: PrivilegeSpec, ipType: IpType): boolean {
  return p.inDefault === 'yes' || (p.inDefault === 'exclusive-ip' && ipType === 'exclusive');
}

export function defaultPrivileges(ipType: IpType): string[] {
  return PRIVILEGES.filter((p) => inDefaultSet(p, ipType)).map((p) => p.name);
}

export function basicPrivileges(): string[] {
  return PRIVILEGES.filter((p) => p.basic).map((p) => p.name);
}

/** Every privilege a zone of this ip-type could be given. */
function grantablePrivileges(ipType: IpType): string[] {
  return PRIVILEGES.filter((p) => !isProhibited(p, ipType)).map((p) => p.name);
}

export function capabilitiesFor(privileges: readonly string[], ipType: IpType): string[] {
  const granted = new Set(privileges);
  const caps = new Set(privileges.flatMap((n) => privilege(n)?.capabilities ?? []));
  const exceptions = new Set<string>();
  if (granted.has('sys_time')) exceptions.add('CAP_SYS_TIME');
  if (ipType === 'exclusive' && granted.has('sys_ip_config')) exceptions.add('CAP_NET_ADMIN');
  for (const c of ALWAYS_DROPPED_CAPABILITIES) if (!exceptions.has(c)) caps.delete(c);
  return LINUX_CAPABILITIES.filter((c) => caps.has(c));
}

/** The granted privileges that limitpriv added beyond the default set and that do nothing in a zone, with why. */
export function privilegesWithoutEffect(privileges: readonly string[]): { name: string; why: string }[] {
  return privileges.flatMap((n) => {
    const why = privilege(n)?.noEffectInZone;
    return why ? [{ name: n, why }] : [];
  });
}

export function DEFAULT_CAPABILITIES(ipType: IpType): string[] {
  return capabilitiesFor(defaultPrivileges(ipType), ipType);
}

export type LimitprivResult =
  | { ok: true; privileges: string[]; capabilities: string[] }
  | {
      ok: false;
      errors: string[];
      /** The offending privilege of each error, in the same order (zonecfg verify prints these). */
      invalid: string[];
    };

/** As priv_getbyname: case-insensitive, with an optional priv_ prefix. */
function canonicalName(token: string): string {
  const lower = token.toLowerCase();
  return lower.startsWith('priv_') ? lower.slice(5) : lower;
}

/**
 * Parse a limitpriv spec into the zone's privilege set. The grammar is priv_str_to_set's with
 * libzonecfg's rules: empty means the default set; `default` is only meaningful as the first
 * token; `zone` is refused; `-p` and `!p` remove. Checks are zoneadm verify's (3.1).
 *
 * `all` deliberately differs from illumos, where it drags in prohibited privileges and the spec
 * then always fails: an admin writing `all` means "everything a zone may have", so here it is every
 * privilege not prohibited for this ip-type. `none` empties the set (so required ones are then
 * reported missing); `-all` empties it too and `-none` changes nothing.
 */
export function parseLimitpriv(spec: string, ipType: IpType): LimitprivResult {
  const tokens = spec.split(',').map((t) => t.trim()).filter((t) => t !== '');
  if (tokens.length === 0) return grant(defaultPrivileges(ipType), ipType);
  const set = new Set<string>();
  const errors: string[] = [];
  const invalid: string[] = [];
  tokens.forEach((token, i) => {
    const negated = token.startsWith('-') || token.startsWith('!');
    const word = negated ? token.slice(1) : token;
    const name = canonicalName(word);
    const apply = (names: readonly string[]) => names.forEach((n) => (negated ? set.delete(n) : set.add(n)));
    if (name === 'default' && i === 0 && !negated) apply(defaultPrivileges(ipType));
    else if (name === 'all') apply(grantablePrivileges(ipType));
    else if (name === 'none') {
      if (!negated) set.clear();
    } else if (name === 'basic') apply(basicPrivileges());
    else if (name !== 'zone' && name !== 'default' && privilege(name)) apply([name]);
    else {
      errors.push(`unknown privilege "${word}" specified in the zone's privilege set`);
      invalid.push(word);
    }
  });
  for (const p of PRIVILEGES) {
    if (set.has(p.name) && isProhibited(p, ipType)) {
      errors.push(`privilege "${p.name}" is not permitted within the zone's privilege set`);
      invalid.push(p.name);
    }
  }
  for (const p of PRIVILEGES.filter((x) => isRequired(x, ipType)).sort(byRequiredOrder)) {
    if (!set.has(p.name)) {
      errors.push(`required privilege "${p.name}" is missing from the zone's privilege set`);
      invalid.push(p.name);
    }
  }
  if (errors.length > 0) return { ok: false, errors, invalid };
  return grant([...set].sort(), ipType);
}

const REQUIRED_ORDER = ['proc_exec', 'proc_fork', 'sys_mount', 'sys_ip_config'];
const byRequiredOrder = (a: PrivilegeSpec, b: PrivilegeSpec) =>
  REQUIRED_ORDER.indexOf(a.name) - REQUIRED_ORDER.indexOf(b.name);

function grant(privileges: string[], ipType: IpType): LimitprivResult {
  return { ok: true, privileges, capabilities: capabilitiesFor(privileges, ipType) };
}
