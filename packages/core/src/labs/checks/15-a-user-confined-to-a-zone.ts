/**
 * Lab 15 (docs/labs/15-a-user-confined-to-a-zone.md): course 003's jailkit exercise with zones.
 * A user of zone `jail` logs in with `zlogin -l USER jail`, and a host account whose login can
 * only land there: its login shell is a root-owned script that runs itself again as root through
 * sudo, the one command the account may run, with no arguments, and that command is
 * `zlogin -l USER jail`. The check reads the zone's users, the host account and its sudo rights
 * (`sudo -l -U`), the files on the way (owned by root, writable by nobody else, nor their
 * directories: else the account could rewrite what root runs) and the live session: a shell of
 * the zone user in `jail` whose host ancestors include a process of the host account.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Lab } from '../lab.js';
import { item, type CheckItem } from '../lab.js';
import type { Proc } from '../../ptools/snapshot.js';
import { processStatus } from '../../platform/proc.js';
import { findTool, runTool, ToolFailedError } from '../../sys/tools.js';
import { loginShells, zoneRunningItem } from './common.js';
import { ancestors, parsePasswd, zoneAccounts, type ZoneAccount } from './zone-facts.js';

const ZONE = 'jail';
/** `zlogin -l USER jail` in a script's text: the zone user it logs in as. */
const LOGIN_LINE = new RegExp(`(\\S*zlogin)\\s+-l\\s+([a-z_][a-z0-9_.-]*)\\s+${ZONE}\\b`);
const FIRST_LOGIN_UID = 1000;

/**
 * Why root-owned file `path` could be changed by someone else (it, or a directory above it), or
 * undefined. A directory others may write but with the sticky bit (/tmp) is safe above a
 * root-owned entry: only root may rename or remove that entry.
 */
export function unsafeBecause(path: string): string | undefined {
  for (let p = path; ; p = dirname(p)) {
    let st;
    try {
      st = statSync(p);
    } catch {
      return `${p} does not exist`;
    }
    if (st.uid !== 0) return `${p} is not owned by root`;
    const sticky = p !== path && st.isDirectory() && (st.mode & 0o1000) !== 0;
    if (st.mode & 0o022 && !sticky) return `${p} is writable by ${st.mode & 0o002 ? 'everyone' : 'its group'}`;
    if (p === dirname(p)) return undefined;
  }
}

/** A small text file (a script), or '' for anything else (a binary shell such as /bin/bash, a missing file). */
function readText(path: string): string {
  try {
    if (statSync(path).size > 65536) return '';
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** The commands `sudo -l -U user` lists for the account (`(root) NOPASSWD: /path ""`), empty when none. */
export async function sudoRights(user: string): Promise<string[]> {
  let out: string;
  try {
    out = (await runTool('sudo', ['-n', '-l', '-U', user])).stdout;
  } catch (err) {
    if (err instanceof ToolFailedError) return [];
    throw err;
  }
  const at = out.indexOf('may run the following commands');
  if (at < 0) return [];
  return out
    .slice(at)
    .split('\n')
    .slice(1)
    .map((l) => l.trim())
    .filter((l) => l.startsWith('('));
}

interface HostLogin {
  name: string;
  uid: number;
  gid: number;
  shell: string;
}

/**
 * The host groups `user` belongs to besides its own: any (sudo, adm, disk, docker...) may give
 * another way to host root or to other users' files, so the confined account has none.
 */
function otherGroups(user: string, gid: number): string[] {
  const out: string[] = [];
  for (const line of readFileSync('/etc/group', 'utf8').split('\n')) {
    const f = line.split(':');
    if (f.length < 4 || Number(f[2]) === gid) continue;
    if (f[3]!.split(',').includes(user)) out.push(f[0]!);
  }
  return out;
}

/** Host accounts whose login shell is a script that mentions zlogin and zone jail (directly or through sudo). */
function hostLogins(): HostLogin[] {
  return parsePasswd(readFileSync('/etc/passwd', 'utf8'))
    .filter((a) => a.uid >= FIRST_LOGIN_UID && a.uid !== 65534 && a.shell.startsWith('/'))
    .map((a) => ({ ...a, text: readText(a.shell) }))
    .filter((a) => a.text.startsWith('#!') && (a.text.includes('sudo') || LOGIN_LINE.test(a.text)))
    .map((a) => ({ name: a.name, uid: a.uid, gid: a.gid, shell: a.shell }));
}

/** The sudo right `(root) NOPASSWD: /path ""`: one root-owned command, no arguments. */
const ONE_COMMAND = /^\(root\)\s+NOPASSWD:\s+(\/\S+)\s+""$/;

async function confinementItems(zoneUsers: ZoneAccount[]): Promise<{ items: CheckItem[]; login?: HostLogin & { zoneUser: string } }> {
  const logins = hostLogins();
  const what = `a host account whose login lands in zone ${ZONE}`;
  if (logins.length === 0) return { items: [item(what, false, `make one whose login shell runs zlogin -l USER ${ZONE} through sudo (the sheet's step 4)`)] };
  const problems: string[] = [];
  for (const l of logins) {
    const rights = await sudoRights(l.name);
    const cmd = rights.length === 1 ? ONE_COMMAND.exec(rights[0]!)?.[1] : undefined;
    if (rights.length === 0) {
      problems.push(`${l.name} may not run anything through sudo, so its login cannot reach the zone`);
      continue;
    }
    if (!cmd) {
      problems.push(`${l.name} may run more through sudo than one command without arguments: ${rights.join('; ')}`);
      continue;
    }
    const text = readText(cmd);
    const m = LOGIN_LINE.exec(text);
    const user = m?.[2];
    if (!m || !user) {
      problems.push(`${cmd}, what ${l.name} runs through sudo, does not run zlogin -l USER ${ZONE}`);
      continue;
    }
    if (cmd !== l.shell && !readText(l.shell).includes(cmd)) {
      problems.push(`${l.name}'s login shell ${l.shell} does not run ${cmd}`);
      continue;
    }
    const unsafe = [l.shell, cmd, m[1]!.startsWith('/') ? m[1]! : undefined].filter((p): p is string => !!p).map(unsafeBecause).find(Boolean);
    if (unsafe) {
      problems.push(`${unsafe}: ${l.name} or another user could change what root runs`);
      continue;
    }
    const groups = otherGroups(l.name, l.gid);
    if (groups.length) {
      problems.push(`${l.name} is also in the host groups ${groups.join(', ')}: a confined account belongs to its own group alone (gpasswd -d ${l.name} GROUP)`);
      continue;
    }
    const zu = zoneUsers.find((u) => u.name === user);
    if (!zu || zu.uid === 0) {
      problems.push(zu ? `${cmd} logs in as root of ${ZONE}: log in as the zone user` : `${cmd} logs in as ${user}, who is not a user of ${ZONE}`);
      continue;
    }
    return { items: [item(what, true, `${l.name}: its login shell ${l.shell} may run only ${cmd} as root, which runs zlogin -l ${user} ${ZONE}`)], login: { ...l, zoneUser: user } };
  }
  return { items: [item(what, false, problems.join('; '))] };
}

/** The interactive shells in the zone of its user `zoneUid` (a host uid `base` + zoneUid: the zone's block starts at its root's). */
function userShells(procs: readonly Proc[], base: number | undefined, zoneUid: number): Proc[] {
  return base === undefined ? [] : loginShells(procs, ZONE).filter((p) => p.euid === base + zoneUid);
}

export const aUserConfinedToAZone: Lab = {
  id: 15,
  slug: 'a-user-confined-to-a-zone',
  title: 'a user confined to a zone',
  seed: 'course 003, chroot jails: useradd in the jail, jailkit (jk_jailuser)',
  hostLimits() {
    return findTool('sudo') ? [] : ["sudo is not installed (apt-get install sudo): the host login's step needs it"];
  },
  async check(host) {
    const items: CheckItem[] = [zoneRunningItem(host, ZONE)];
    if (!host.running(ZONE)) return items;
    const users = (await zoneAccounts(host, ZONE)).filter((u) => u.uid >= FIRST_LOGIN_UID && u.uid !== 65534);
    items.push(item(`zone ${ZONE} has a user of its own`, users.length > 0, users.length ? users.map((u) => `${u.name} (uid ${u.uid})`).join(', ') : `zlogin ${ZONE} useradd -m -s /bin/bash alumno`));
    const procs = host.processes();
    const init = host.runtime(ZONE)?.initPid;
    const base = init ? processStatus(init)?.uid : undefined;
    const withShell = users.filter((u) => userShells(procs, base, u.uid).length > 0);
    items.push(item(`a zlogin -l session of that user runs in ${ZONE}`, withShell.length > 0, withShell.length ? `a shell of ${withShell.map((u) => u.name).join(', ')}` : `in a terminal: zlogin -l ${users[0]?.name ?? 'USER'} ${ZONE}`));
    const conf = await confinementItems(users);
    items.push(...conf.items);
    const what = `the host account's login is a session of its zone user in ${ZONE}`;
    const login = conf.login;
    if (!login) {
      items.push(item(what, false, 'needs the host account first'));
      return items;
    }
    const zu = users.find((u) => u.name === login.zoneUser)!;
    const landed = userShells(procs, base, zu.uid).find((s) => ancestors(s, procs).some((p) => p.zone === 'global' && p.ruid === login.uid));
    items.push(item(what, landed !== undefined, landed ? `the shell (host pid ${landed.pid}) of ${zu.name} in ${ZONE} came from a login of ${login.name}` : `log in as ${login.name} in a terminal (su -l ${login.name}) and stay logged in`));
    return items;
  },
};
