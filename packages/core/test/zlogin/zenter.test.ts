/**
 * The native zenter against namespaces this test makes itself (util-linux unshare) and a cgroup
 * it creates: no zone runtime involved. Needs root and packages/core/native/bin/zenter.
 * Everything made here (the unshare'd processes, the cgroups) is removed in afterAll, by pid/name.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { zoneCgroup, type ZoneCgroup } from '../../src/platform/cgroups/index.js';
import { capabilityMask, capabilityNames } from '../../src/platform/capabilities.js';
import { zenterPath } from '../../src/zlogin/login.js';

const ZENTER = zenterPath();
const canRun = process.getuid?.() === 0 && existsSync(ZENTER) && existsSync('/usr/bin/unshare');
const d = canRun ? describe : describe.skip;
if (!canRun) console.warn('zenter tests skipped: need root, unshare and packages/core/native/bin/zenter (npm run build:native)');

const NAME = `zt-${process.pid}`;
const PARENT = `zones-test-${process.pid}`;
let cg: ZoneCgroup;
let holder: ChildProcess | undefined;
let init = 0;

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** zenter into the test's namespaces, which share the host's user namespace (-W allows that). */
function zenter(args: string[], input?: string) {
  const r = spawnSync(ZENTER, ['-W', ...args], { input, encoding: 'utf8', timeout: 10_000 });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  if (!canRun) return;
  cg = zoneCgroup(NAME, { parent: PARENT });
  cg.create();
  holder = spawn('unshare', ['--fork', '--pid', '--mount', '--uts', '--ipc', '--mount-proc', 'sh', '-c', `hostname ${NAME} && exec sleep 1000`], {
    stdio: 'ignore',
  });
  const until = Date.now() + 5000;
  while (Date.now() < until) {
    const kids = childrenOf(holder.pid!);
    if (kids.length === 1 && readFileSync(`/proc/${kids[0]}/cmdline`, 'utf8').startsWith('sleep')) {
      init = kids[0]!;
      break;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  if (!init) throw new Error('the unshare holder did not start');
  cg.join(init);
}, 20_000);

afterAll(async () => {
  if (!canRun) return;
  if (init) {
    try {
      process.kill(init, 'SIGKILL'); // PID 1 of its namespace: the namespace goes with it
    } catch {
      // gone
    }
  }
  if (holder && holder.exitCode === null) {
    const gone = new Promise((r) => holder!.once('exit', r));
    holder.kill('SIGKILL');
    await gone;
  }
  if (cg.exists()) await cg.killAll();
  cg.destroy();
  for (const p of cg.paths) {
    try {
      rmdirSync(dirname(p));
    } catch {
      // not ours or not empty
    }
  }
}, 20_000);

d('zenter (namespaces made by unshare)', () => {
  test('enters uts, pid, mount namespaces: hostname, pid 1, /proc of the namespace', () => {
    const r = zenter(['-t', String(init), '--', 'sh', '-c', 'hostname; tr "\\0" " " </proc/1/cmdline; echo; echo $$']);
    expect(r.stderr).toBe('');
    const [host, pid1, self] = r.stdout.split('\n');
    expect(host).toBe(NAME);
    expect(pid1!.trim()).toBe('sleep 1000');
    expect(Number(self)).toBeGreaterThan(1);
    expect(r.code).toBe(0);
  });

  test('joins the cgroups given with -g before entering', () => {
    const r = zenter(['-t', String(init), ...cg.paths.flatMap((p) => ['-g', p]), '--', 'cat', '/proc/self/cgroup']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    // one line per hierarchy: `N:controllers:/path` (a named one is `name=systemd`)
    for (const p of cg.paths) {
      const h = p.split('/')[4]!;
      const line = lines.find((l) => l.split(':')[1]!.split(',').some((c) => c === h || c === `name=${h}`));
      expect(line).toMatch(new RegExp(`:/${PARENT}/${NAME}$`));
    }
  });

  test('-c cuts the bounding, permitted and effective sets to the mask; it takes nothing but a mask', () => {
    const mask = `0x${capabilityMask(['CAP_CHOWN', 'CAP_KILL', 'CAP_NET_BIND_SERVICE']).toString(16)}`;
    const r = zenter(['-t', String(init), '-c', mask, '--', 'grep', '^Cap', '/proc/self/status']);
    expect(r.code).toBe(0);
    const get = (k: string) => new RegExp(`^${k}:\\s*(\\S+)`, 'm').exec(r.stdout)![1]!;
    expect(capabilityNames(get('CapBnd'))).toEqual(['CAP_CHOWN', 'CAP_KILL', 'CAP_NET_BIND_SERVICE']);
    expect(capabilityNames(get('CapEff'))).toEqual(['CAP_CHOWN', 'CAP_KILL', 'CAP_NET_BIND_SERVICE']);
    expect(get('CapAmb')).toBe('0000000000000000');
    expect(zenter(['-t', String(init), '-c', 'CAP_CHOWN', '--', 'true'])).toMatchObject({ code: 1, stderr: 'zenter: bad capability mask CAP_CHOWN\n' });
  });

  test('exit status is the command\'s; 128+N when killed by signal N', () => {
    expect(zenter(['-t', String(init), '--', 'sh', '-c', 'exit 7']).code).toBe(7);
    expect(zenter(['-t', String(init), '--', 'sh', '-c', 'kill -9 $$']).code).toBe(137);
  });

  test('stdin passes through; -n gives /dev/null', () => {
    expect(zenter(['-t', String(init), '--', 'cat'], 'hello\n').stdout).toBe('hello\n');
    expect(zenter(['-t', String(init), '-n', '--', 'cat'], 'hello\n')).toMatchObject({ code: 0, stdout: '' });
  });

  test('-u resolves the user in the entered root: uid, groups, environment', () => {
    const r = zenter(['-t', String(init), '-u', 'nobody', '--', 'sh', '-c', 'id -u; echo "$USER $LOGNAME $HOME $SHELL"']);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual(['65534', expect.stringMatching(/^nobody nobody \S+ \S+$/)]);
    expect(zenter(['-t', String(init), '-u', 'no-such-user', '--', 'true'])).toMatchObject({ code: 1, stderr: 'zenter: Unknown id: no-such-user\n' });
  });

  test('without -W a target in the host\'s user namespace is refused: its root would be host root', () => {
    const r = spawnSync(ZENTER, ['-t', String(init), '--', 'id', '-u'], { encoding: 'utf8', timeout: 10_000 });
    expect([r.status, r.stdout, r.stderr]).toEqual([1, '', `zenter: could not enter zone (process ${init}): it has no user namespace of its own\n`]);
  });

  test('failures: unknown command 127, dead target 1', () => {
    expect(zenter(['-t', String(init), '--', '/no/such/cmd']).code).toBe(127);
    const r = zenter(['-t', '999999999', '--', 'true']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^zenter: could not enter zone \(process 999999999\)/);
  });
});
