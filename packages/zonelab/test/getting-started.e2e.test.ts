/**
 * docs/getting-started.md, run as a new user would type it: every ```sh block after a
 * `<!-- run -->` marker in the global zone's shell, in order (a fresh ZONES_ROOT in place of the
 * guide's /var/tmp/zones; the guide's own `export` line puts the checkout's bin on the PATH),
 * `<!-- run: terminal N -->` blocks typed line by line into terminal N (a tmux window of a tmux
 * server of this test's own, started with the shell's exports), `<!-- run: fails -->` blocks
 * expected to fail. The guide ends lab 1 with `zonelab check 01`, which must pass. Afterwards the
 * tmux server is ended by its exact name, every zone of the root halted by name, the root removed.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZoneStore } from '@zones/core/store/zone-store';
import { REPO, canRunLabs } from './lab-harness.js';
import { traceLines } from '../../core/test/faults/trace.js';

const GUIDE = join(REPO, 'docs', 'getting-started.md');
/** The ZONES_ROOT the guide tells the reader to use; the test substitutes its own. */
const GUIDE_ROOT = '/var/tmp/zones';

export type RunMode = { kind: 'shell' } | { kind: 'fails' } | { kind: 'terminal'; n: number };
export interface RunBlock {
  mode: RunMode;
  lines: string[];
  /** 1-based line of the marker in the guide, for messages. */
  at: number;
}

/** The marked blocks of a guide, in order. A marker not followed by a ```sh block is an error. */
export function runBlocks(text: string): RunBlock[] {
  const lines = text.split('\n');
  const out: RunBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^<!-- run(?::\s*(fails|terminal (\d+)))?\s*-->$/.exec(lines[i]!.trim());
    if (!m) continue;
    const at = i + 1;
    let j = i + 1;
    while (j < lines.length && lines[j]!.trim() === '') j++;
    if (lines[j] !== '```sh') throw new Error(`line ${at}: the run marker is not followed by a \`\`\`sh block`);
    const body: string[] = [];
    for (j++; j < lines.length && lines[j] !== '```'; j++) body.push(lines[j]!);
    if (j === lines.length) throw new Error(`line ${at}: the block never ends`);
    const mode: RunMode = m[1] === 'fails' ? { kind: 'fails' } : m[2] ? { kind: 'terminal', n: Number(m[2]) } : { kind: 'shell' };
    out.push({ mode, lines: body.filter((l) => l.trim() !== '' && !l.trim().startsWith('#')), at });
    i = j;
  }
  return out;
}

/** The README's first set-up line: the first line of its first ```sh block. */
function readmeSetupLine(): string {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8').split('\n');
  return readme[readme.indexOf('```sh') + 1]!;
}

describe('docs/getting-started.md', () => {
  const guide = readFileSync(GUIDE, 'utf8');

  test('its run markers each mark a shell block, and it starts from the README', () => {
    const blocks = runBlocks(guide);
    expect(blocks.length).toBeGreaterThan(5);
    expect(blocks[0]!.lines).toEqual(['export ZONES_ROOT=/var/tmp/zones PATH=$PWD/bin:$PATH']);
    expect(guide).toContain(`\n${readmeSetupLine()}\n`);
    const last = blocks.filter((b) => b.mode.kind !== 'terminal').findLast((b) => b.lines.includes('zonelab check 01'));
    expect(last?.mode.kind).toBe('shell');
    expect(readFileSync(join(REPO, 'README.md'), 'utf8')).toContain('docs/getting-started.md');
    expect(() => runBlocks('<!-- run -->\n```\nls\n```\n')).toThrow(/not followed by a ```sh block/);
  });
});

const d = canRunLabs && spawnSync('tmux', ['-V']).status === 0 ? describe : describe.skip;
if (!canRunLabs) console.warn('getting-started skipped: needs root and the native helpers (npm run build:native)');

d('docs/getting-started.md, end to end', () => {
  const base = mkdtempSync(join(tmpdir(), 'getting-started-'));
  const root = join(base, 'zr');
  const state = join(base, 'state.sh');
  const server = `zgs${process.pid}`;
  const tmux = (...args: string[]) => spawnSync('tmux', ['-L', server, ...args], { encoding: 'utf8', timeout: 10_000 });
  const windows = new Set<number>();
  let sessionMade = false;

  afterAll(() => {
    if (sessionMade) tmux('kill-server');
    if (existsSync(join(root, 'etc', 'zones', 'index'))) {
      const env = { ...process.env, ZONES_ROOT: root };
      for (const e of new ZoneStore(root).list()) spawnSync(join(REPO, 'bin', 'zoneadm'), ['-z', e.name, 'halt'], { env, timeout: 60_000 });
    }
    rmSync(base, { recursive: true, force: true });
  }, 120_000);

  const local = (line: string) => line.split(GUIDE_ROOT).join(root);

  /** Runs a block in a shell that starts from the exports and directory the previous blocks left. */
  function shell(block: RunBlock): { status: number | null; out: string } {
    const script = [
      'set -e',
      `. ${state}`,
      ...block.lines.map(local),
      `{ export -p; printf 'cd %q\\n' "$PWD"; } > ${state}.new && mv ${state}.new ${state}`,
    ].join('\n');
    const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, ZONES_ROOT: join(base, 'not-exported') } });
    const out = r.stdout + r.stderr;
    expect(traceLines(out)).toEqual([]);
    return { status: r.status, out };
  }

  const pane = (n: number) => tmux('capture-pane', '-p', '-t', `gs:t${n}`).stdout.replace(/\s+$/, '');

  /** Types `line` into terminal n and waits for what follows it: a prompt, or a zlogin banner. */
  async function type(n: number, line: string): Promise<void> {
    if (!windows.has(n)) {
      const rc = join(base, `rc${n}`);
      writeFileSync(rc, `${readFileSync(state, 'utf8')}\nPS1='# '\n`);
      const cmd = ['-n', `t${n}`, `bash --noprofile --rcfile ${rc} -i`];
      const r = sessionMade ? tmux('new-window', '-t', 'gs', ...cmd) : tmux('new-session', '-d', '-s', 'gs', '-x', '200', '-y', '50', ...cmd);
      expect(r.status).toBe(0);
      sessionMade = true;
      windows.add(n);
      await until(() => /#$/.test(pane(n)), `terminal ${n}: no prompt`, () => pane(n));
    }
    const before = pane(n);
    tmux('send-keys', '-t', `gs:t${n}`, '-l', local(line));
    tmux('send-keys', '-t', `gs:t${n}`, 'Enter');
    await until(() => {
      const now = pane(n);
      const last = now.split('\n').pop() ?? '';
      return now !== before && /[#$\]]$/.test(last) && !last.endsWith(local(line));
    }, `terminal ${n}: nothing after \`${line}\``, () => pane(n));
  }

  test('every marked command works, from a fresh root through lab 1', async () => {
    writeFileSync(state, `cd ${REPO}\n`);
    let checked = '';
    for (const block of runBlocks(readFileSync(GUIDE, 'utf8'))) {
      const where = `docs/getting-started.md:${block.at}`;
      if (block.mode.kind === 'terminal') {
        for (const line of block.lines) await type(block.mode.n, line);
        continue;
      }
      const r = shell(block);
      if (block.mode.kind === 'fails') {
        if (r.status === 0) throw new Error(`${where}: expected to fail, but exited 0:\n${r.out}`);
        continue;
      }
      if (r.status !== 0) throw new Error(`${where}: exited ${r.status}:\n${block.lines.join('\n')}\n---\n${r.out}`);
      if (block.lines.includes('zonelab check 01')) checked = r.out;
    }
    expect(checked).toMatch(/Lab 01 is done\./);
  }, 240_000);
});

async function until(ok: () => boolean, what: string, show: () => string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`${what} within ${ms / 1000} s:\n${show()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
