/**
 * The interactive shell on a real terminal: tmux gives zonecfg a pty, send-keys types, and
 * capture-pane reads the screen. Each key that matters is sent on its own, because readline
 * treats several characters arriving together as a paste (and then does not complete).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const ZONECFG = resolve(here, '../../../bin/zonecfg');
const session = `zonecfg-tty-${process.pid}`;
let root: string;

const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const screen = () => tmux('capture-pane', '-p', '-N', '-t', session);
const keys = (...k: string[]) => tmux('send-keys', '-t', session, ...k);

async function waitFor(pred: (s: string) => boolean, what: string, ms = 20000): Promise<string> {
  const until = Date.now() + ms;
  let last = '';
  while (Date.now() < until) {
    last = screen();
    if (pred(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}; screen was:\n${last}`);
}
const waitText = (t: string) => waitFor((s) => s.includes(t), JSON.stringify(t));
/** The last non-empty line on the screen. */
const lastLine = (s: string) => s.trimEnd().split('\n').pop() ?? '';
async function type(text: string) {
  keys('-l', text);
  await waitFor((s) => lastLine(s).endsWith(text), `echo of ${text}`);
}

function start(zone: string) {
  tmux(
    'new-session', '-d', '-s', session, '-x', '120', '-y', '40',
    `env ZONES_ROOT=${root} HOME=${root} ${ZONECFG} -z ${zone}; echo "[exit $?]"; sleep 30`,
  );
}
function stop() {
  try {
    tmux('kill-session', '-t', session);
  } catch {
    // already gone
  }
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'zonecfg-tty-'));
});
afterAll(() => {
  stop();
  rmSync(root, { recursive: true, force: true });
});

describe('zonecfg on a terminal', () => {
  test('greeting, prompts, completion, scopes, confirmation and history', async () => {
    start('ttyzone');
    let s = await waitText('zonecfg:ttyzone> ');
    expect(s).toContain('ttyzone: No such zone configured');
    expect(s).toContain(`Use 'create' to begin configuring a new zone.`);

    // Tab completion of a subcommand: a unique match completes with a trailing space.
    await type('cr');
    keys('Tab');
    await waitFor((x) => lastLine(x) === 'zonecfg:ttyzone> create', 'completion of cr');
    keys('Enter');
    await waitFor((x) => lastLine(x) === 'zonecfg:ttyzone>', 'prompt after create');

    // Double Tab lists the candidates.
    await type('c');
    keys('Tab');
    keys('Tab');
    s = await waitFor((x) => /cancel\s+clear\s+commit\s+create/.test(x), 'candidate list');
    keys('C-u');

    // Property names and enumerated values complete from the schema table.
    await type('set autob');
    keys('Tab');
    await waitFor((x) => lastLine(x).endsWith('set autoboot='), 'property completion');
    await type('t');
    keys('Tab');
    await waitFor((x) => lastLine(x).endsWith('set autoboot=true'), 'value completion');
    keys('Enter');
    await type('set zonepath=/zones/tty');
    keys('Enter');

    // Resource scope prompt, and completion of a resource type.
    await type('add n');
    keys('Tab');
    await waitFor((x) => lastLine(x).endsWith('add net'), 'resource type completion');
    keys('Enter');
    await waitText('zonecfg:ttyzone:net> ');

    // ^C abandons the line being typed, the shell stays.
    await type('set physical=half-typed');
    keys('C-c');
    await waitFor((x) => lastLine(x) === 'zonecfg:ttyzone:net>', 'fresh prompt after ^C');

    // exit in an incomplete resource asks; "n" keeps the session.
    await type('exit');
    keys('Enter');
    await waitText('Resource incomplete; really quit (y/[n])? ');
    keys('n', 'Enter');
    await waitFor((x) => lastLine(x) === 'zonecfg:ttyzone:net>', 'back in the net scope');
    await type('cancel');
    keys('Enter');
    await waitFor((x) => lastLine(x) === 'zonecfg:ttyzone>', 'global prompt after cancel');

    // ^D ends the input and commits.
    keys('C-d');
    s = await waitText('[exit 0]');
    stop();
    const info = execFileSync(ZONECFG, ['-z', 'ttyzone', 'info', 'autoboot'], { env: { ...process.env, ZONES_ROOT: root }, encoding: 'utf8' });
    expect(info.trim()).toBe('autoboot: true');

    // History persists across sessions: Up recalls the last command typed.
    expect(readFileSync(join(root, '.zonecfg_history'), 'utf8')).toContain('set zonepath=/zones/tty');
    start('ttyzone');
    await waitText('zonecfg:ttyzone> ');
    keys('Up');
    await waitFor((x) => lastLine(x) === 'zonecfg:ttyzone> cancel', 'history recall');
    keys('C-u');
    await type('delete');
    keys('Enter');
    await waitText('Are you sure you want to delete zone ttyzone (y/[n])? ');
    keys('y', 'Enter');
    // The session goes on after a delete, with nothing left to commit.
    await waitFor((x) => lastLine(x) === 'zonecfg:ttyzone>', 'prompt after delete');
    await type('exit');
    keys('Enter');
    await waitText('[exit 0]');
    expect(execFileSync(resolve(here, '../../../bin/zoneadm'), ['list', '-c'], { env: { ...process.env, ZONES_ROOT: root }, encoding: 'utf8' }).trim()).toBe('global');
  }, 180000);
});
