/**
 * Output faults for every command of zonecfg, zoneadm and zlogin (docs/architecture.md#output-faults):
 * stdout or stderr closed (`>&-`), full (`/dev/full`) or a pipe its reader closed. Each case runs
 * the real bin as a child process under a timeout against a temporary ZONES_ROOT, and asserts the
 * rule of the fault-injection suite: no stack trace, no hang, a non-zero exit where the output
 * was lost (141 for a closed pipe, as a shell reports a tool killed by SIGPIPE, with nothing said;
 * `<tool>: write error: <reason>` on stderr for the others), and a state change that lands whole.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZoneStore } from '@zones/core/store/zone-store';
import { defaultTemplate } from '@zones/core/store/templates';
import { zoneadmdPath } from '@zones/core/runtime/index';
import { zenterPath } from '@zones/core/zlogin/login';
import { prepareSparseRoot } from '../runtime/sparse-root.js';
import { traceLines } from './trace.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const PKG = resolve(here, '../../..');
const BIN = {
  zonecfg: join(PKG, 'zonecfg/bin/run.js'),
  zoneadm: join(PKG, 'zoneadm/test/fixtures/zoneadm-dir-installer.mjs'),
  zlogin: join(PKG, 'zlogin/bin/run.js'),
};
type Tool = keyof typeof BIN;
const canBoot = process.getuid?.() === 0 && existsSync(zoneadmdPath()) && existsSync(zenterPath());

const base = mkdtempSync(join(tmpdir(), 'stdio-fault-'));
chmodSync(base, 0o755);
const root = join(base, 'zr');
const template = join(base, 'tpl/root'); // what the test installer copies: a root zsched can boot
const env = { ...process.env, ZONES_ROOT: root, ZONES_TEST_TEMPLATE: template };
const store = new ZoneStore(root);
const tag = `sf${process.pid % 100000}`;
const RO = `${tag}ro`; // configured, read by the reading commands
const RUN = `${tag}run`; // booted for zlogin, if root
let booted = false;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

type Fault = 'stdout closed' | 'stdout full' | 'stdout pipe closed' | 'stderr closed' | 'stderr full';
const FAULTS: Fault[] = ['stdout closed', 'stdout full', 'stdout pipe closed', 'stderr closed', 'stderr full'];

const TIMEOUT = 20_000;

/** The command as a shell runs it, with fd 1 or 2 closed or on /dev/full; the other stream captured. */
function runShell(tool: Tool, args: string[], redirect: string): Run {
  const r = spawnSync('/bin/sh', ['-c', `exec "$@" ${redirect}`, 'sh', process.execPath, BIN[tool], ...args], {
    env,
    encoding: 'utf8',
    input: '',
    timeout: TIMEOUT,
  });
  if (r.error) throw r.error;
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** The command with stdout a pipe whose reader has gone before it writes. */
function runClosedPipe(tool: Tool, args: string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const c = spawn(process.execPath, [BIN[tool], ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    c.stdin.end();
    c.stdout.destroy(); // closes our read end: node's start-up alone takes longer than this
    let stderr = '';
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => c.kill('SIGKILL'), TIMEOUT);
    c.on('error', fail);
    c.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout: '', stderr });
    });
  });
}

function runFault(tool: Tool, args: string[], fault: Fault): Promise<Run> | Run {
  switch (fault) {
    case 'stdout closed':
      return runShell(tool, args, '>&-');
    case 'stdout full':
      return runShell(tool, args, '>/dev/full');
    case 'stdout pipe closed':
      return runClosedPipe(tool, args);
    case 'stderr closed':
      return runShell(tool, args, '2>&-');
    case 'stderr full':
      return runShell(tool, args, '2>/dev/full');
  }
}

const normal = (tool: Tool, args: string[]) => runShell(tool, args, '');

/** The status `/bin/sh -c cmd` has on the host with this fault (128+N when killed by signal N). */
function hostStatus(cmd: string, fault: Fault): Promise<number> {
  const redirect: Record<Fault, string> = {
    'stdout closed': '>&-', 'stdout full': '>/dev/full', 'stderr closed': '2>&-', 'stderr full': '2>/dev/full', 'stdout pipe closed': '',
  };
  return new Promise((done) => {
    // (a pause first, so that the pipe's reader is gone before the first write, as with zlogin)
    const c = spawn('/bin/sh', ['-c', `sleep 0.2; exec /bin/sh -c '${cmd}' ${redirect[fault]}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    if (fault === 'stdout pipe closed') c.stdout.destroy();
    c.on('close', (code, signal) => done(code ?? 128 + (signal === 'SIGPIPE' ? 13 : 1)));
  });
}

function expectNoTrace(r: Run): void {
  for (const text of [r.stdout, r.stderr]) expect(traceLines(text)).toEqual([]);
}

/** The rule, for one fault, given what the command prints when nothing goes wrong. */
function expectRule(tool: Tool, fault: Fault, ok: Run, r: Run): void {
  expect(r.signal).toBeNull(); // not killed by the timeout
  expectNoTrace(r);
  const onStdout = fault.startsWith('stdout');
  const lostText = onStdout ? ok.stdout : ok.stderr;
  if (lostText === '') {
    expect(r.code).toBe(ok.code);
    return;
  }
  if (fault === 'stdout pipe closed') {
    expect(r.code).toBe(141);
    expect(r.stderr).not.toMatch(/write error/);
  } else {
    expect(r.code === 0 ? 'exit 0' : 'non-zero').toBe('non-zero');
    if (fault === 'stdout closed') expect(r.stderr).toContain(`${tool}: write error: Bad file descriptor\n`);
    if (fault === 'stdout full') expect(r.stderr).toContain(`${tool}: write error: No space left on device\n`);
    if (!onStdout) expect(r.stdout).toBe(ok.stdout); // stdout unharmed
  }
}

/** The reading commands: no state, so each runs once normally and once per fault. */
const READING: [Tool, string[]][] = [
  ['zonecfg', ['-z', RO, 'info']],
  ['zonecfg', ['-z', RO, 'export']],
  ['zonecfg', ['-z', RO, 'verify']],
  ['zonecfg', ['help']],
  ['zonecfg', ['-z', RO, 'help', 'add']],
  ['zonecfg', []], // usage on stderr, exit 2
  ['zonecfg', ['-z', 'nosuchzone', 'info']],
  ['zonecfg', ['-z', RO, 'frobnicate']],
  ['zonecfg', ['--help']], // oclif's output
  ['zoneadm', ['list', '-cv']],
  ['zoneadm', ['list', '-p']],
  ['zoneadm', ['-z', RO, 'list', '-v']],
  ['zoneadm', ['help']],
  ['zoneadm', ['help', 'list']],
  ['zoneadm', ['bogus']],
  ['zoneadm', ['-z', 'nosuchzone', 'boot']],
  ['zoneadm', ['-z', RO, 'verify']],
  ['zoneadm', ['--help']],
  ['zoneadm', ['-z', RO, 'detach', '-n']], // oclif's path
  ['zlogin', []],
  ['zlogin', ['nosuchzone', 'true']],
  ['zlogin', ['-C', '-l', 'root', RO]],
  ['zlogin', ['--help']],
];

beforeAll(() => {
  mkdirSync(join(base, 'zones'), { mode: 0o755 });
  prepareSparseRoot(join(base, 'tpl'));
  const cfg = defaultTemplate(RO);
  cfg.globals.zonepath = join(base, 'zones', RO);
  store.save(cfg);
});

afterAll(() => {
  if (booted) spawnSync(process.execPath, [BIN.zoneadm, '-z', RUN, 'halt'], { env, timeout: TIMEOUT });
  rmSync(base, { recursive: true, force: true });
}, 60_000);

describe('reading commands', () => {
  test.each(READING)('%s %j', async (tool, args) => {
    const ok = normal(tool, args);
    expectNoTrace(ok);
    for (const fault of FAULTS) {
      const r = await runFault(tool, args, fault);
      try {
        expectRule(tool, fault, ok, r);
      } catch (e) {
        throw new Error(`${tool} ${args.join(' ')} with ${fault}: ${JSON.stringify(r)}\n${(e as Error).message}`);
      }
    }
  }, 120_000);
});

describe('state-changing commands: the change lands whole, the lost output is reported', () => {
  test.each(FAULTS)('zonecfg create/commit, zoneadm install, uninstall -F, with %s', async (fault) => {
    const name = `${tag}w${FAULTS.indexOf(fault)}`;
    const zonepath = join(base, 'zones', name);
    const c = await runFault('zonecfg', ['-z', name, `create -b; set zonepath=${zonepath}; set autoboot=true; commit`], fault);
    expect(c.signal).toBeNull();
    expectNoTrace(c);
    expect(c.code).toBe(0); // zonecfg says nothing when it succeeds
    expect(new ZoneStore(root).readGlobals(name)).toMatchObject({ zonepath, autoboot: 'true' });

    const i = await runFault('zoneadm', ['-z', name, 'install'], fault);
    expect(i.signal).toBeNull();
    expectNoTrace(i);
    expect(new ZoneStore(root).get(name)?.state).toBe('installed'); // whole, whatever became of its output
    expect(existsSync(join(zonepath, 'root/etc/zone-profile.json'))).toBe(true);
    if (fault.startsWith('stdout')) expect(i.code).toBe(fault === 'stdout pipe closed' ? 141 : 1); // progress lines lost
    else expect(i.code).toBe(0); // install writes nothing on stderr
    if (fault === 'stdout full') expect(i.stderr).toBe('zoneadm: write error: No space left on device\n');

    const u = await runFault('zoneadm', ['-z', name, 'uninstall', '-F'], fault);
    expect([u.signal, u.code]).toEqual([null, 0]);
    expect(new ZoneStore(root).get(name)?.state).toBe('configured');
    const d = await runFault('zonecfg', ['-z', name, 'delete', '-F'], fault);
    expect([d.signal, d.code]).toEqual([null, 0]);
    expect(new ZoneStore(root).get(name)).toBeUndefined();
  }, 60_000);

  (canBoot ? test : test.skip)('boot, zlogin z echo / yes, halt', async () => {
    const zonepath = join(base, 'zones', RUN);
    expect(normal('zonecfg', ['-z', RUN, `create; set zonepath=${zonepath}`]).code).toBe(0);
    expect(normal('zoneadm', ['-z', RUN, 'install']).code).toBe(0);
    const b = runShell('zoneadm', ['-z', RUN, 'boot', '--', '-i', 'zsched'], '>&- 2>/dev/full');
    booted = true;
    expect([b.signal, b.code]).toEqual([null, 0]); // boot prints nothing
    const cmd = 'echo out && echo err >&2';
    expect(normal('zlogin', [RUN, cmd])).toMatchObject({ code: 0, stdout: 'out\n', stderr: 'err\n' });
    for (const fault of FAULTS) {
      const r = await runFault('zlogin', [RUN, cmd], fault);
      expect(r.signal).toBeNull();
      expectNoTrace(r);
      // The zone's command writes to the caller's descriptors itself and fails as on the host (the
      // zone's /bin/sh is the host's: /usr is inherited); zlogin's status is its status.
      const host = await hostStatus(cmd, fault);
      expect([fault, r.code]).toEqual([fault, host]);
      expect(host).not.toBe(0);
    }
    // a command that never stops writing ends at once, as `yes >&-` does on the host
    const y = runShell('zlogin', [RUN, 'yes'], '>&-');
    expect([y.signal, y.code, y.stderr]).toEqual([null, 1, 'yes: standard output: Bad file descriptor\n']);
    const head = spawnSync('/bin/sh', ['-c', '"$@" | head -1', 'sh', process.execPath, BIN.zlogin, RUN, 'yes; echo yes=$? >&2'], { env, encoding: 'utf8', timeout: TIMEOUT });
    expect([head.signal, head.stdout.split('\n')[0], head.stderr]).toEqual([null, 'y', 'yes=141\n']);
    const cat = runShell('zlogin', [RUN, 'cat'], '<&-');
    expect([cat.signal, cat.code]).toEqual([null, 1]);
    expect(cat.stderr).toMatch(/^cat: -: Bad file descriptor$/m);
    expect(runShell('zlogin', [RUN, 'cat'], '</dev/null')).toMatchObject({ code: 0, stdout: '' });
    expect(runShell('zlogin', ['-n', RUN, 'cat'], '<&-')).toMatchObject({ code: 0, stdout: '' });
    expect(runShell('zlogin', [RUN, 'true'], '>&- 2>&-')).toMatchObject({ code: 0 });

    const h = runShell('zoneadm', ['-z', RUN, 'halt'], '>/dev/full 2>&-');
    expect([h.signal, h.code]).toEqual([null, 0]);
    booted = false;
    expect(new ZoneStore(root).get(RUN)?.state).toBe('installed');
  }, 60_000);
});
