/**
 * The store's part of the fault-injection suite: the bins as child processes against a temporary
 * ZONES_ROOT, the corruptions of every store file, and the rule every case asserts (no stack
 * trace, no hang, a one-line message). Not collected by jest (no `.test.ts`).
 */
import { expect } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { traceLines } from './trace.js';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
/** zoneadm through the test installer (packages/zoneadm/test/fixtures), zonecfg as it ships. */
export const BINS = {
  zonecfg: join(repo, 'packages/zonecfg/bin/run.js'),
  zoneadm: join(repo, 'packages/zoneadm/test/fixtures/zoneadm-dir-installer.mjs'),
} as const;

export interface Run {
  cmd: string;
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** One command line (`zonecfg -z z info`), under a timeout, stdin closed. */
export function run(root: string, tool: keyof typeof BINS, args: string[], env: Record<string, string> = {}, timeoutMs = 20_000): Run {
  const r = spawnSync(process.execPath, [BINS[tool], ...args], {
    env: { ...process.env, ZONES_ROOT: root, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
  return { cmd: `${tool} ${args.join(' ')}`, status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** The rule: it ended by itself (no hang), and no line of its output is a stack trace. */
export function expectClean(r: Run): void {
  const out = `${r.stdout}\n${r.stderr}`;
  const trace = traceLines(out);
  expect({ cmd: r.cmd, signal: r.signal, trace }).toEqual({ cmd: r.cmd, signal: null, trace: [] });
}

/** Clean, failed (exit 1), and its error is one line matching `message`. */
export function expectRefused(r: Run, message: RegExp): void {
  expectClean(r);
  const lines = r.stderr.trimEnd().split('\n');
  expect({ cmd: r.cmd, status: r.status, lines: lines.length, first: lines[0] }).toEqual({
    cmd: r.cmd,
    status: 1,
    lines: 1,
    first: expect.stringMatching(message),
  });
}

/** Clean and successful. */
export function expectOk(r: Run): void {
  expectClean(r);
  expect({ cmd: r.cmd, status: r.status, stderr: r.stderr }).toEqual({ cmd: r.cmd, status: 0, stderr: '' });
}

/** What a commit may leave behind by mistake in etc/zones: temporary and pending files. */
export function strayFiles(root: string): string[] {
  const dir = join(root, 'etc/zones');
  return existsSync(dir) ? readdirSync(dir).filter((f) => /\.tmp-|\.pending$|\.break$/.test(f)) : [];
}

export function readOr(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The corruptions of a `NAME.yaml` the issue lists: each is written in place of the file. */
export function yamlCorruptions(good: string): Array<[string, string | Buffer | 'directory']> {
  return [
    ['truncated', good.slice(0, Math.floor(good.length / 2) + 3)],
    ['empty', ''],
    ['garbage', 'this is: not: a zone: [config\n'],
    ['binary', Buffer.from([0x00, 0xff, 0xfe, 0x01, 0x7f, 0x80, 0x0a, 0x00, 0x1b])],
    ['null', 'null\n'],
    ['42', '42\n'],
    ['globals: [1,2]', 'globals: [1,2]\n'],
    ['resources: "x"', 'globals:\n  zonepath: /z\nresources: "x"\n'],
    ['a resource 5', 'globals:\n  zonepath: /z\nresources:\n  - 5\n'],
    ['props: [1,2]', 'globals:\n  zonepath: /z\nresources:\n  - type: fs\n    props: [1,2]\n'],
    ['tabs', 'globals:\n\tzonepath: /z\n'],
    ['rctl value: garbage', 'globals:\n  zonepath: /z\nresources:\n  - type: rctl\n    props:\n      name: zone.max-lwps\n      value: garbage\n'],
    [
      'rctl limit: abc',
      'globals:\n  zonepath: /z\nresources:\n  - type: rctl\n    props:\n      name: zone.max-lwps\n      value:\n        - priv: privileged\n          limit: abc\n          action: deny\n',
    ],
    ['physical: lots', 'globals:\n  zonepath: /z\nresources:\n  - type: capped-memory\n    props:\n      physical: lots\n'],
    ['a directory', 'directory'],
  ];
}
