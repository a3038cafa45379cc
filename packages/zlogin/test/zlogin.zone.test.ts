/**
 * zlogin through the real bin against zones booted by the runtime (root only): commands, stdin,
 * exit status, users, the state errors, an interactive login and the console in tmux.
 * Every zone booted here is halted, every tmux server (a private -L socket) killed, and the
 * temporary ZONES_ROOT removed in afterAll, also on failure.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZoneStore } from '@zones/core/store/zone-store';
import { defaultTemplate } from '@zones/core/store/templates';
import type { ZoneConfig } from '@zones/core/model/types';
import { bootZone, haltZone, zoneadmdPath } from '@zones/core/runtime/index';
import { zoneRuntimeInfo } from '@zones/core/runtime/state';
import { zenterPath } from '@zones/core/zlogin/login';
import { prepareSparseRoot } from '../../core/test/runtime/sparse-root.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const BIN = resolve(here, '../bin/run.js');
const REPO = resolve(here, '../../..');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const canRun = process.getuid?.() === 0 && existsSync(zoneadmdPath()) && existsSync(zenterPath());
const d = canRun ? describe : describe.skip;
if (!canRun) console.warn('zlogin zone tests skipped: need root and the native helpers (npm run build:native)');

const base = mkdtempSync(join(tmpdir(), 'zlogin-zone-'));
const root = join(base, 'zr');
const store = new ZoneStore(root);
const tag = `zl${process.pid % 100000}`;
const made: string[] = [];
const TMUX = `zlogin-test-${process.pid}`;
let tmuxUsed = false;

function makeZone(suffix: string, state: 'configured' | 'installed' = 'installed', resources: ZoneConfig['resources'] = []): string {
  const name = `${tag}${suffix}`;
  const cfg = defaultTemplate(name);
  cfg.globals.zonepath = join(base, 'zones', name);
  cfg.resources.push(...resources);
  store.save(cfg);
  made.push(name);
  if (state === 'configured') return name;
  prepareSparseRoot(cfg.globals.zonepath);
  store.setState(name, 'installed');
  return name;
}

function zlogin(args: string[], input?: string) {
  const r = spawnSync('node', [BIN, ...args], { input: input ?? '', encoding: 'utf8', env: { ...process.env, ZONES_ROOT: root }, timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmux(...args: string[]): string {
  tmuxUsed = true;
  return execFileSync('tmux', ['-L', TMUX, ...args], { encoding: 'utf8' });
}

/** Runs a command in a new tmux session (its own window size), through `sh -c`. */
function tmuxStart(session: string, cmd: string): void {
  tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', `ZONES_ROOT=${root} ${cmd}; echo EXIT=$?; sleep 60`);
}

const screen = (session: string) => tmux('capture-pane', '-p', '-t', session);

async function waitFor(what: () => string, cond: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function waitScreen(session: string, re: RegExp): Promise<string> {
  let s = '';
  await waitFor(() => `${re} in tmux session ${session}: ${JSON.stringify(s)}`, () => re.test((s = screen(session))));
  return s;
}

let zone = '';

beforeAll(async () => {
  if (!canRun) return;
  mkdirSync(join(base, 'zones'), { recursive: true, mode: 0o755 });
  zone = makeZone('a');
  await bootZone(zone, { root, bootargs: ['-i', 'zsched'] });
}, 60_000);

afterAll(async () => {
  if (tmuxUsed) spawnSync('tmux', ['-L', TMUX, 'kill-server']);
  for (const name of made) await haltZone(name, { root }).catch(() => undefined);
  rmSync(base, { recursive: true, force: true });
}, 60_000);

d('zlogin into a running zone (non-interactive)', () => {
  test('zlogin z hostname prints the zone name', () => {
    expect(zlogin([zone, 'hostname'])).toEqual({ code: 0, stdout: `${zone}\n`, stderr: '' });
  });

  test('stdin is forwarded; -n gives the command /dev/null', () => {
    expect(zlogin([zone, 'cat'], 'hi\n')).toEqual({ code: 0, stdout: 'hi\n', stderr: '' });
    expect(zlogin(['-n', zone, 'cat'], 'hi\n')).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  test('exit status is the command\'s; words are joined and run by the shell', () => {
    expect(zlogin([zone, 'exit 3']).code).toBe(3);
    expect(zlogin([zone, 'echo', '$((6*7))', '|', 'tr', '4', 'x']).stdout).toBe('x2\n');
  });

  test('-l user runs as that user of the zone; root by default', () => {
    expect(zlogin(['-l', 'nobody', zone, 'id', '-u']).stdout).toBe('65534\n');
    expect(zlogin([zone, 'id -u; echo $HOME; pwd']).stdout).toBe('0\n/root\n/root\n');
    expect(zlogin(['-l', 'nosuchuser', zone, 'true'])).toEqual({ code: 1, stdout: '', stderr: 'zlogin: Unknown id: nosuchuser\n' });
  });

  test('-S: /bin/sh as root, HOME=/', () => {
    expect(zlogin(['-S', zone, 'echo $HOME $SHELL; id -u'])).toEqual({ code: 0, stdout: '/ /bin/sh\n0\n', stderr: '' });
  });

  test('the process is in the zone: its cgroup, pid namespace and capability set', () => {
    const r = zlogin([zone, 'grep -c . /proc/1/cmdline; grep CapBnd /proc/self/status; tr "\\0" " " </proc/1/cmdline']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/zsched/);
    const bnd = /CapBnd:\s*(\S+)/.exec(r.stdout)![1]!;
    const init = Number(readFileSync(join(root, 'var/run/zones', zone, 'init.pid'), 'utf8'));
    expect(bnd).toBe(/CapBnd:\s*(\S+)/.exec(readFileSync(`/proc/${init}/status`, 'utf8'))![1]);
  });

  test('state errors', () => {
    const conf = makeZone('c', 'configured');
    const inst = makeZone('i');
    expect(zlogin([conf, 'true'])).toEqual({ code: 1, stdout: '', stderr: `zlogin: cannot login to a zone which is 'configured'\n` });
    expect(zlogin([inst, 'true'])).toEqual({ code: 1, stdout: '', stderr: `zlogin: login allowed only to running zones (${inst} is 'installed').\n` });
    expect(zlogin([inst])).toEqual({ code: 1, stdout: '', stderr: `zlogin: login allowed only to running zones (${inst} is 'installed').\n` });
  });
});

d('zlogin inside a zone', () => {
  test("'zlogin' may only be used from the global zone (and zoneadm's counterparts)", async () => {
    // The repository, read-only at the same path, so the zone runs this very zlogin with the host's /usr/bin/node.
    const name = makeZone('g', 'installed', [{ type: 'fs', props: { dir: REPO, special: REPO, type: 'lofs', options: ['ro'] } }]);
    await bootZone(name, { root, bootargs: ['-i', 'zsched'] });
    try {
      const inside = (...cmd: string[]) => zlogin([name, ...cmd]);
      expect(inside('node', BIN, zone, 'true')).toEqual({ code: 1, stdout: '', stderr: "zlogin: 'zlogin' may only be used from the global zone\n" });
      expect(inside('node', BIN, 'global', 'true').stderr).toBe("zlogin: 'zlogin' may only be used from the global zone\n");
      const zoneadm = join(REPO, 'packages/zoneadm/bin/run.js');
      const za = (cmd: string) => inside('node', zoneadm, '-z', zone, cmd);
      expect(za('halt')).toEqual({ code: 1, stdout: '', stderr: `zoneadm: zone '${zone}': use halt(1M) to halt this zone.\n` });
      expect(za('reboot').stderr).toBe(`zoneadm: zone '${zone}': use reboot(1M) to reboot this zone.\n`);
      expect(za('boot').stderr).toBe(`zoneadm: zone '${zone}': must be in the global zone to boot a zone.\n`);
      // the same zlogin from the global zone still works
      expect(zlogin([zone, 'true']).code).toBe(0);
    } finally {
      await haltZone(name, { root });
    }
  }, 30_000);
});

(canRun && hasTmux ? describe : describe.skip)('zlogin in a terminal (tmux)', () => {
  test('interactive login: banner, a shell in the zone, ~. disconnects', async () => {
    tmuxStart('login', `node ${BIN} ${zone}`);
    await waitScreen('login', new RegExp(`\\[Connected to zone '${zone}' pts/\\d+\\]`));
    await waitScreen('login', /[#$]$/m); // capture-pane drops trailing blanks
    tmux('send-keys', '-t', 'login', 'hostname; tty; stty size', 'Enter');
    const s = await waitScreen('login', /^30 100$/m);
    expect(s).toMatch(new RegExp(`^${zone}$`, 'm'));
    expect(s).toMatch(/^\/dev\/pts\/\d+$/m);
    tmux('send-keys', '-t', 'login', '~.');
    const end = await waitScreen('login', /EXIT=\d+/);
    expect(end).toMatch(new RegExp(`~\\.\\n\\[Connection to zone '${zone}' pts/\\d+ closed\\]\\nEXIT=0`));
    tmux('kill-session', '-t', 'login');
  }, 30_000);

  test('interactive login with a full stdout: the session ends at once, the write error said, exit 1', async () => {
    tmuxStart('full', `node ${BIN} ${zone} >/dev/full`);
    const s = await waitScreen('full', /EXIT=\d+/);
    expect(s).toMatch(new RegExp(`\\[Connection to zone '${zone}' pts/\\d+ closed\\]\\nzlogin: write error: No space left on device\\nEXIT=1`));
    tmux('kill-session', '-t', 'full');
  }, 30_000);

  test('console: attached while installed, shows the boot, typing works, ~.; one client at a time', async () => {
    const name = makeZone('k');
    tmuxStart('con', `node ${BIN} -C ${name}`);
    await waitScreen('con', new RegExp(`^\\[Connected to zone '${name}' console\\]$`, 'm'));
    // The init prints a line before zlogin can attach: it must come exactly once (log replay up to
    // the supervisor's offset, then live), after zoneadmd's notice.
    await bootZone(name, { root, bootargs: ['-i', '/bin/sh', '-c', 'echo boot-$((20+22)); exec /bin/sh'] });
    let s = await waitScreen('con', /^#/m);
    expect(s).toMatch(/^\[NOTICE: Zone booting up with arguments: -i \/bin\/sh -c echo boot-\$\(\(20\+22\)\); exec \/bin\/sh\]$/m);
    expect(s.match(/^boot-42$/gm)).toHaveLength(1);
    tmux('send-keys', '-t', 'con', 'echo con-$((6*7)); stty size', 'Enter');
    s = await waitScreen('con', /^30 100$/m);
    expect(s).toMatch(/^con-42$/m);

    // Halted while attached: the notice, and the console stays for the next boot (Solaris).
    await haltZone(name, { root });
    await waitScreen('con', /^\[NOTICE: Zone halted\]$/m);
    await bootZone(name, { root, bootargs: ['-i', '/bin/sh'] });
    await waitScreen('con', /^\[NOTICE: Zone booting up with arguments: -i \/bin\/sh\]$/m);
    tmux('send-keys', '-t', 'con', 'echo again-$((6*7))', 'Enter');
    s = await waitScreen('con', /^again-42$/m);
    expect(s).not.toMatch(/EXIT=/);

    const busy = zlogin(['-C', name]);
    expect(busy.code).toBe(1);
    const m = /^zlogin: Console is already in use by process ID (\d+)\.\n$/.exec(busy.stderr);
    expect(m).not.toBeNull();
    expect(readFileSync(`/proc/${m![1]}/cmdline`, 'utf8')).toContain('zlogin/bin/run.js');
    expect(busy.stdout).toBe('');

    tmux('send-keys', '-t', 'con', '~.');
    const end = await waitScreen('con', /EXIT=\d+/);
    expect(end).toMatch(new RegExp(`~\\.\\n\\[Connection to zone '${name}' console closed\\]\\nEXIT=0`));
    tmux('kill-session', '-t', 'con');

    // -d: the halt notice says it disconnects, and zlogin ends.
    tmuxStart('cond', `node ${BIN} -C -d ${name}`);
    // zlogin prints the banner only once it is attached (illumos connects first)
    await waitScreen('cond', new RegExp(`^\\[Connected to zone '${name}' console\\]$`, 'm'));
    await haltZone(name, { root });
    const gone = await waitScreen('cond', /EXIT=\d+/);
    expect(gone).toMatch(new RegExp(`\\[NOTICE: Zone halted\\.  Disconnecting\\.\\.\\.\\]\\n+\\[Connection to zone '${name}' console closed\\]\\nEXIT=0`));
    tmux('kill-session', '-t', 'cond');
  }, 40_000);

  test('console: -e with a byte that is not UTF-8 (-e $\'\\xff\'): that byte, then . disconnects', async () => {
    const name = makeZone('e');
    tmuxStart('cone', `node ${BIN} -C -e "$(printf '\\377')" ${name}`);
    await waitScreen('cone', new RegExp(`^\\[Connected to zone '${name}' console\\]$`, 'm'));
    tmux('send-keys', '-t', 'cone', '-H', 'ff', '2e');
    await waitScreen('cone', new RegExp(`\\[Connection to zone '${name}' console closed\\]\\nEXIT=0`));
    tmux('kill-session', '-t', 'cone');
  }, 30_000);

  test('console: ^C does not reach the init (the minimal init would halt the zone)', async () => {
    const name = makeZone('s');
    await bootZone(name, { root, bootargs: ['-i', 'zsched'] });
    tmuxStart('conc', `node ${BIN} -C ${name}`);
    await waitScreen('conc', new RegExp(`^\\[Connected to zone '${name}' console\\]$`, 'm'));
    tmux('send-keys', '-t', 'conc', 'C-c');
    tmux('send-keys', '-t', 'conc', 'C-\\');
    await new Promise((r) => setTimeout(r, 500));
    expect(screen('conc')).not.toMatch(/halting on signal|NOTICE: Zone halted/);
    expect(zoneRuntimeInfo(name, { root })?.state).toBe('running');
    tmux('send-keys', '-t', 'conc', 'Enter', '~.');
    await waitScreen('conc', /EXIT=0/);
    tmux('kill-session', '-t', 'conc');
    await haltZone(name, { root });
  }, 30_000);

  test('console: a shell started on it later gets it as its controlling terminal, with job control', async () => {
    const name = makeZone('j');
    // PID 1 stays out of the way (setsid -w waits); its child takes the console as its terminal.
    await bootZone(name, { root, bootargs: ['-i', '/usr/bin/setsid', '-w', '-c', '/bin/sh', '-i'] });
    tmuxStart('conj', `node ${BIN} -C ${name}`);
    await waitScreen('conj', new RegExp(`^\\[Connected to zone '${name}' console\\]$`, 'm'));
    tmux('send-keys', '-t', 'conj', 'Enter');
    tmux('send-keys', '-t', 'conj', 'case $- in *m*) echo job-control-on;; esac; tty', 'Enter');
    await waitScreen('conj', /^job-control-on$/m);
    tmux('send-keys', '-t', 'conj', 'sleep 30', 'Enter');
    await new Promise((r) => setTimeout(r, 300));
    tmux('send-keys', '-t', 'conj', 'C-c');
    tmux('send-keys', '-t', 'conj', 'echo after-$?', 'Enter');
    await waitScreen('conj', /^after-130$/m); // the sleep, not the zone, got the SIGINT
    expect(zoneRuntimeInfo(name, { root })?.state).toBe('running');
    tmux('send-keys', '-t', 'conj', '~.');
    await waitScreen('conj', /EXIT=0/);
    tmux('kill-session', '-t', 'conj');
    await haltZone(name, { root });
  }, 30_000);
});

d('console without a supervisor', () => {
  test('zlogin -C to a zone whose supervisor died: could not connect, exit 1, no banner', async () => {
    const name = makeZone('d');
    await bootZone(name, { root, bootargs: ['-i', 'zsched'] });
    const sup = Number(readFileSync(join(root, 'var/run/zones', name, 'zoneadmd.pid'), 'utf8'));
    process.kill(sup, 'SIGKILL');
    await waitFor(() => `supervisor ${sup} to go`, () => zoneRuntimeInfo(name, { root })?.supervisorAlive === false);
    expect(zoneRuntimeInfo(name, { root })?.state).toBe('running');
    const r = spawnSync('node', [BIN, '-C', name], { encoding: 'utf8', env: { ...process.env, ZONES_ROOT: root }, timeout: 10_000 });
    expect([r.signal, r.status, r.stdout, r.stderr]).toEqual([null, 1, '', 'zlogin: Could not connect to zone: Connection refused\n']);
    await haltZone(name, { root });
  }, 30_000);
});
