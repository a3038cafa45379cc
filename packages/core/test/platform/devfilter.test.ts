/**
 * The zone's device policy on cgroup v2: the BPF program the supervisor builds from the allow list
 * (native/devfilter.h), attached for real to a cgroup2 directory this test makes (the unified
 * hierarchy of a hybrid host, or the root of a v2 one), and a process in it opening nodes.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const unified = ['/sys/fs/cgroup/unified', '/sys/fs/cgroup'].find((d) => existsSync(join(d, 'cgroup.procs')) && existsSync(join(d, 'cgroup.subtree_control')));
const canRun = process.getuid?.() === 0 && unified !== undefined && spawnSync('gcc', ['--version']).status === 0;
const d = canRun ? describe : describe.skip;
if (!canRun) console.warn('device program tests skipped: need root, gcc and a cgroup2 hierarchy');

const build = mkdtempSync(join(tmpdir(), 'devfilter-'));
const harness = join(build, 'devfilter-harness');
const cg = join(unified ?? '/nonexistent', `zones-devtest-${process.pid}`);

afterAll(() => {
  try {
    rmdirSync(cg);
  } catch {
    // not made
  }
  rmSync(build, { recursive: true, force: true });
});

/** What a shell in the cgroup gets when it opens each node: `ok` or the error. */
function inCgroup(cmds: string): string {
  return spawnSync('sh', ['-c', `echo $$ > ${cg}/cgroup.procs && ${cmds}`], { encoding: 'utf8' }).stdout.trim();
}

d('device program (cgroup v2)', () => {
  test('allows exactly the listed nodes and accesses; any number by *', () => {
    execFileSync('gcc', ['-O2', '-Wall', '-Werror', '-I', join(here, '../../native'), '-o', harness, join(here, '../native/devfilter-harness.c')]);
    mkdirSync(cg);
    execFileSync(harness, [cg, 'c:1:3:rwm', 'c:1:5:r', 'c:5:*:rw']);
    const probe = (what: string, cmd: string) => `${cmd} 2>/dev/null && echo ${what}=ok || echo ${what}=denied`;
    expect(
      inCgroup(
        [
          probe('null-rw', 'echo x > /dev/null'),
          probe('zero-r', 'head -c1 /dev/zero >/dev/null'),
          probe('zero-w', 'echo x > /dev/zero'),
          probe('full', 'head -c1 /dev/full >/dev/null'),
          probe('ptmx-any-minor', 'exec 3<>/dev/ptmx'),
        ].join('; '),
      ).split('\n'),
    ).toEqual(['null-rw=ok', 'zero-r=ok', 'zero-w=denied', 'full=denied', 'ptmx-any-minor=ok']);
  });

  test('a bad rule is refused before anything is attached', () => {
    const r = spawnSync(harness, [cg, 'x:1:3:rwm'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('bad rule x:1:3:rwm\n');
  });
});
