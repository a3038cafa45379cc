/**
 * What a test run may leave on the host, by kind: zone processes (a supervisor, a zone's init or
 * anything in a user namespace of a zone), zone cgroups, mounts under the temporary directory,
 * network links and namespaces. The global setup takes a snapshot; the global teardown takes
 * another and fails the run on anything new. It only looks: ending a leftover is the test's job
 * (by its exact pid or name), and the report says what to look for.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const read = (p) => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
};

function zoneProcesses() {
  const hostUserns = readlinkSync('/proc/self/ns/user');
  const out = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    const comm = read(`/proc/${pid}/comm`)?.trim();
    if (comm === undefined) continue;
    let userns;
    try {
      userns = readlinkSync(`/proc/${pid}/ns/user`);
    } catch {
      continue;
    }
    const env = read(`/proc/${pid}/environ`) ?? '';
    if (comm === 'zoneadmd' || comm === 'zsched' || userns !== hostUserns || env.split('\0').includes('container=zone')) {
      const cmd = (read(`/proc/${pid}/cmdline`) ?? '').split('\0').join(' ').trim().slice(0, 120);
      out.push(`process ${pid} (${comm}) ${cmd}`);
    }
  }
  return out;
}

function zoneCgroups() {
  const out = [];
  const roots = ['/sys/fs/cgroup', ...(readdirSync('/sys/fs/cgroup', { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join('/sys/fs/cgroup', e.name)))];
  for (const r of roots) {
    let names = [];
    try {
      names = readdirSync(r, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    } catch {
      continue;
    }
    for (const n of names) if (/^zones([.-]|$)/.test(n)) out.push(`cgroup ${join(r, n)}`);
  }
  return out;
}

function tmpMounts() {
  const tmp = tmpdir();
  return (read('/proc/self/mountinfo') ?? '')
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((p) => p && (p === tmp || p.startsWith(`${tmp}/`)))
    .map((p) => `mount ${p}`);
}

function links() {
  try {
    const names = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(': ')[1].split('@')[0]);
    const netns = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((l) => `netns ${l.split(' ')[0]}`);
    return [...names.map((n) => `link ${n}`), ...netns];
  } catch {
    return [];
  }
}

export function snapshot() {
  return new Set([...zoneProcesses(), ...zoneCgroups(), ...tmpMounts(), ...links()]);
}

/** What is in `after` and was not in `before`; processes compare by pid and name only. */
export function leftovers(before, after) {
  const key = (s) => (s.startsWith('process ') ? s.split(' ').slice(0, 3).join(' ') : s);
  const had = new Set([...before].map(key));
  return [...after].filter((s) => !had.has(key(s)));
}
