/**
 * User and group names of the host (/etc/passwd, /etc/group) for the process tools: a process of
 * a zone runs as a host id of its zone's block, which the host knows by number only.
 */
import { readFileSync } from 'node:fs';

export interface Accounts {
  userName(uid: number): string | undefined;
  groupName(gid: number): string | undefined;
  /** A user by name or number, as getpwnam/getpwuid find it; undefined if the host has none. */
  uid(word: string): number | undefined;
  gid(word: string): number | undefined;
}

function table(text: string): { byId: Map<number, string>; byName: Map<string, number> } {
  const byId = new Map<number, string>();
  const byName = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [name, , id] = line.split(':');
    if (!name || id === undefined || !/^\d+$/.test(id)) continue;
    if (!byId.has(Number(id))) byId.set(Number(id), name);
    if (!byName.has(name)) byName.set(name, Number(id));
  }
  return { byId, byName };
}

/** Accounts from the text of a passwd and a group file. */
export function accountsFrom(passwd: string, group: string): Accounts {
  const u = table(passwd);
  const g = table(group);
  const lookup = (t: typeof u, word: string) => (/^\d+$/.test(word) && t.byId.has(Number(word)) ? Number(word) : t.byName.get(word));
  return {
    userName: (uid) => u.byId.get(uid),
    groupName: (gid) => g.byId.get(gid),
    uid: (w) => lookup(u, w),
    gid: (w) => lookup(g, w),
  };
}

function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export function hostAccounts(): Accounts {
  return accountsFrom(readOr('/etc/passwd'), readOr('/etc/group'));
}
