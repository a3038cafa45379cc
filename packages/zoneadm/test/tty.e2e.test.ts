/**
 * zoneadm on a real terminal (tmux): install asks the first-boot questions (hostname, time zone,
 * locale, root password), the answers land in the zone root, and uninstall asks y/[n].
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const ZONECFG = resolve(here, '../../../bin/zonecfg');
const ZONEADM = resolve(here, '../../../bin/zoneadm');
const session = `zoneadm-tty-${process.pid}`;
let root: string;

const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const screen = () => tmux('capture-pane', '-p', '-N', '-t', session);
const keys = (...k: string[]) => tmux('send-keys', '-t', session, ...k);
async function waitText(text: string, ms = 30000): Promise<string> {
  const until = Date.now() + ms;
  let last = '';
  while (Date.now() < until) {
    last = screen();
    if (last.includes(text)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${JSON.stringify(text)}; screen was:\n${last}`);
}
function run(cmd: string) {
  tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', `env ZONES_ROOT=${root} ${cmd}; echo "[exit $?]"; sleep 60`);
}
function stop() {
  try {
    tmux('kill-session', '-t', session);
  } catch {
    // already gone
  }
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'zoneadm-tty-'));
});
afterAll(() => {
  stop();
  rmSync(root, { recursive: true, force: true });
});

describe('zoneadm on a terminal', () => {
  test('install asks the system configuration; uninstall asks before removing', async () => {
    const zp = join(root, 'zones', 'ttyz');
    mkdirSync(join(root, 'zones'));
    execFileSync(ZONECFG, ['-z', 'ttyz', `create; set zonepath=${zp}`], { env: { ...process.env, ZONES_ROOT: root } });

    run(`${ZONEADM} -z ttyz install`);
    await waitText('Host name');
    keys('C-u');
    keys('-l', 'labhost');
    keys('Enter');
    await waitText('Time zone');
    keys('C-u');
    keys('-l', 'Europe/Madrid');
    keys('Enter');
    await waitText('Locale');
    keys('Enter');
    await waitText('Root password');
    keys('-l', 'secret1');
    keys('Enter');
    await waitText('Root password again');
    keys('-l', 'secret1');
    keys('Enter');
    const s = await waitText('[exit ', 60000);
    expect(s).toContain('[exit 0]');
    expect(s).not.toContain('secret1');
    stop();

    const etc = join(zp, 'root/etc');
    expect(readFileSync(join(etc, 'hostname'), 'utf8').trim()).toBe('labhost');
    expect(readFileSync(join(etc, 'timezone'), 'utf8').trim()).toBe('Europe/Madrid');
    const rootEntry = readFileSync(join(etc, 'shadow'), 'utf8').split('\n').find((l) => l.startsWith('root:'))!;
    expect(rootEntry.split(':')[1]).toMatch(/^\$6\$/);

    run(`${ZONEADM} -z ttyz uninstall`);
    await waitText('Are you sure you want to uninstall zone ttyz (y/[n])? ');
    keys('n', 'Enter');
    await waitText('[exit ');
    stop();
    expect(readFileSync(join(etc, 'hostname'), 'utf8').trim()).toBe('labhost');

    run(`${ZONEADM} -z ttyz uninstall`);
    await waitText('Are you sure you want to uninstall zone ttyz (y/[n])? ');
    keys('y', 'Enter');
    expect(await waitText('[exit ')).toContain('[exit 0]');
    stop();
    const list = execFileSync(ZONEADM, ['-z', 'ttyz', 'list', '-p'], { env: { ...process.env, ZONES_ROOT: root }, encoding: 'utf8' });
    expect(list).toMatch(/^-:ttyz:configured:/);
  }, 180000);
});
