/**
 * The system profile (Solaris's first-boot questions: host name, time zone, locale, root password)
 * written into a zone root, and the account filtering that keeps a copied /etc free of the host's
 * users. Used by every installer after the root is built.
 */
import { randomBytes } from 'node:crypto';
import { hostLocale, hostTimezone, isValidLocale, isValidTimezone } from './host.js';
import { lstatIn, mkdirIn, readIn, removeIn, symlinkIn, writeIn } from './fsutil.js';
import { InstallError, type SystemProfile } from './types.js';

/** The defaults of docs/brands.md#system-profile: hostname = zone name, time zone and locale from the host, root locked. */
export function defaultProfile(zonename: string, hostRoot = '/'): SystemProfile {
  return { hostname: zonename, timezone: hostTimezone(hostRoot), locale: hostLocale(hostRoot), rootPasswordHash: '*' };
}

/** RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens, at most 253 chars. */
export function isValidHostname(h: string): boolean {
  return h.length <= 253 && h.split('.').every((l) => /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l));
}

/** `*`, `!`, `!...` (locked) or a crypt(3) hash `$id$...`; never `:` or whitespace (it lands in shadow). */
export function isValidPasswordHash(h: string): boolean {
  if (/[:\s]/.test(h)) return false;
  return h === '*' || h.startsWith('!') || /^\$[0-9a-z]+\$[./A-Za-z0-9$=,]+$/.test(h);
}

/** Throws InstallError naming the first bad field of the profile. */
export function validateProfile(p: SystemProfile): void {
  if (!isValidHostname(p.hostname)) throw new InstallError(`invalid hostname '${p.hostname}'`);
  if (!isValidTimezone(p.timezone)) throw new InstallError(`invalid time zone '${p.timezone}'`);
  if (!isValidLocale(p.locale)) throw new InstallError(`invalid locale '${p.locale}'`);
  if (!isValidPasswordHash(p.rootPasswordHash)) throw new InstallError('invalid root password hash (expected a crypt(3) hash or *)');
}

/** 128 random bits as 32 lower-case hex digits, marked as a v4 UUID (sd_id128 format, machine-id(5)). */
export function randomMachineId(): string {
  const b = randomBytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  return b.toString('hex');
}

export function hostsFile(hostname: string): string {
  const short = hostname.split('.')[0]!;
  const names = short === hostname ? hostname : `${hostname} ${short}`;
  return (
    '127.0.0.1\tlocalhost\n' +
    `127.0.1.1\t${names}\n` +
    '\n# The following lines are desirable for IPv6 capable hosts\n' +
    '::1\tlocalhost ip6-localhost ip6-loopback\n' +
    'ff02::1\tip6-allnodes\n' +
    'ff02::2\tip6-allrouters\n'
  );
}

// ------------------------------------------------------------------ accounts

/** Which accounts a zone keeps from a copied /etc: system ones (id below `min`) and nobody/nogroup. */
export interface AccountPolicy {
  /** UID_MIN of login.defs; default 1000. */
  uidMin: number;
  /** GID_MIN of login.defs; default 1000. */
  gidMin: number;
}

const KEEP_ALWAYS_USERS = new Set(['nobody']);
const KEEP_ALWAYS_GROUPS = new Set(['nogroup', 'nobody']);

/** UID_MIN / GID_MIN from a login.defs text (defaults 1000). */
export function accountPolicy(loginDefs: string | undefined): AccountPolicy {
  const get = (k: string) => {
    const m = new RegExp(`^\\s*${k}\\s+(\\d+)`, 'm').exec(loginDefs ?? '');
    return m ? Number(m[1]) : 1000;
  };
  return { uidMin: get('UID_MIN'), gidMin: get('GID_MIN') };
}

function lines(text: string): string[][] {
  return text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).map((l) => l.split(':'));
}

function join7(rows: string[][]): string {
  return rows.map((r) => r.join(':')).join('\n') + (rows.length ? '\n' : '');
}

/** passwd keeping system accounts; returns the text and the kept user names. */
export function filterPasswd(text: string, policy: AccountPolicy): { text: string; users: Set<string> } {
  const kept = lines(text).filter((f) => {
    const uid = Number(f[2]);
    return f.length >= 7 && Number.isInteger(uid) && (uid < policy.uidMin || KEEP_ALWAYS_USERS.has(f[0]!));
  });
  return { text: join7(kept), users: new Set(kept.map((f) => f[0]!)) };
}

/** group keeping system groups; member lists keep only kept users. */
export function filterGroup(text: string, policy: AccountPolicy, users: ReadonlySet<string>): { text: string; groups: Set<string> } {
  const kept = lines(text)
    .filter((f) => {
      const gid = Number(f[2]);
      return f.length >= 4 && Number.isInteger(gid) && (gid < policy.gidMin || KEEP_ALWAYS_GROUPS.has(f[0]!));
    })
    .map((f) => [f[0]!, f[1]!, f[2]!, members(f[3], users)]);
  return { text: join7(kept), groups: new Set(kept.map((f) => f[0]!)) };
}

function members(list: string | undefined, users: ReadonlySet<string>): string {
  return (list ?? '').split(',').filter((u) => u && users.has(u)).join(',');
}

/** A password field that is not already locked becomes `*`: system accounts of a copy never inherit a password. */
function locked(field: string | undefined): string {
  const f = field ?? '';
  return f === '' || f.startsWith('!') || f.startsWith('*') ? f || '*' : '*';
}

/** shadow for the kept users, every password locked (root's is set from the profile afterwards). */
export function filterShadow(text: string, users: ReadonlySet<string>): string {
  return join7(lines(text).filter((f) => users.has(f[0]!)).map((f) => [f[0]!, locked(f[1]), ...f.slice(2)]));
}

/** gshadow for the kept groups: passwords locked, admin and member lists limited to kept users. */
export function filterGshadow(text: string, groups: ReadonlySet<string>, users: ReadonlySet<string>): string {
  return join7(
    lines(text)
      .filter((f) => groups.has(f[0]!))
      .map((f) => [f[0]!, f[1] === '' ? '' : locked(f[1]), members(f[2], users), members(f[3], users)]),
  );
}

/** shadow text with root's password field replaced (a root line is added when missing). */
export function setRootHash(shadow: string, hash: string): string {
  const rows = lines(shadow);
  const root = rows.find((f) => f[0] === 'root');
  if (root) root[1] = hash;
  else rows.unshift(['root', hash, String(Math.floor(Date.now() / 86_400_000)), '0', '99999', '7', '', '', '']);
  return join7(rows);
}

/** The gid of a group in a root's etc/group, or undefined. */
export function groupId(groupText: string | undefined, name: string): number | undefined {
  const f = lines(groupText ?? '').find((r) => r[0] === name);
  const gid = f ? Number(f[2]) : NaN;
  return Number.isInteger(gid) ? gid : undefined;
}

// ------------------------------------------------------------------ applying a profile

/**
 * Writes the profile into `root`: etc/hostname, etc/hosts, a new etc/machine-id (and dbus's copy
 * when present), etc/timezone + the etc/localtime link, etc/default/locale (and etc/locale.conf if
 * the root has one), and root's password hash in etc/shadow. Never follows links in the root.
 */
export function applyProfile(root: string, profile: SystemProfile): void {
  validateProfile(profile);
  if (!lstatIn(root, 'etc')) mkdirIn(root, 'etc', 0o755);
  writeIn(root, 'etc/hostname', `${profile.hostname}\n`);
  writeIn(root, 'etc/hosts', hostsFile(profile.hostname));

  const id = randomMachineId();
  writeIn(root, 'etc/machine-id', `${id}\n`, { mode: 0o444 });
  if (lstatIn(root, 'var/lib/dbus/machine-id')) {
    removeIn(root, 'var/lib/dbus/machine-id');
    symlinkIn(root, 'var/lib/dbus/machine-id', '/etc/machine-id');
  }

  writeIn(root, 'etc/timezone', `${profile.timezone}\n`);
  symlinkIn(root, 'etc/localtime', `/usr/share/zoneinfo/${profile.timezone}`);

  writeIn(root, 'etc/default/locale', `LANG=${profile.locale}\n`);
  if (lstatIn(root, 'etc/locale.conf')) writeIn(root, 'etc/locale.conf', `LANG=${profile.locale}\n`);

  const shadow = readIn(root, 'etc/shadow');
  const st = lstatIn(root, 'etc/shadow');
  const shadowGid = groupId(readIn(root, 'etc/group'), 'shadow');
  writeIn(root, 'etc/shadow', setRootHash(shadow ?? '', profile.rootPasswordHash), {
    mode: st ? st.mode & 0o777 : shadowGid !== undefined ? 0o640 : 0o600,
    uid: 0,
    gid: st ? st.gid : (shadowGid ?? 0),
  });
  // root must be told to look in shadow
  const passwd = readIn(root, 'etc/passwd');
  if (passwd !== undefined) {
    const rows = lines(passwd);
    const r = rows.find((f) => f[0] === 'root');
    if (r && r[1] !== 'x') {
      r[1] = 'x';
      const pst = lstatIn(root, 'etc/passwd')!;
      writeIn(root, 'etc/passwd', join7(rows), { mode: pst.mode & 0o777, uid: pst.uid, gid: pst.gid });
    }
  }
}
