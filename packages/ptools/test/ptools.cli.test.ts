/**
 * The four bins as child processes, without zones: exit statuses and messages of bad command
 * lines, zpkill's refusal for anyone but root of the global zone, and no stack trace ever.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { traceLines } from '../../core/test/faults/trace.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'ptools-cli-'));
const isRoot = process.getuid?.() === 0;

function run(tool: string, args: string[], opts: { uid?: number } = {}) {
  const r = spawnSync('node', [resolve(here, `../bin/${tool}.js`), ...args], { encoding: 'utf8', env: { ...process.env, ZONES_ROOT: root }, timeout: 20_000, ...opts });
  expect(traceLines(r.stdout + r.stderr)).toEqual([]);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('bad command lines', () => {
  test('zps: the message, the usage, exit 1', () => {
    const r = run('zps', ['-q']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^zps: illegal option -- q\nusage: zps \[ -aAdefjZ \] \[ -o format \]\n/);
    expect(run('zps', ['-z', 'nosuch'])).toMatchObject({ code: 1, stdout: '', stderr: expect.stringMatching(/^zps: unknown zone nosuch\nusage: zps/) });
    expect(run('zps', ['-o', 'taskid'])).toMatchObject({ code: 1, stderr: expect.stringMatching(/^zps: unknown output format: -o taskid\nusage/) });
  });

  test('zpgrep and zpkill: exit 2', () => {
    expect(run('zpgrep', [])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'zpgrep: No matching criteria specified\nUsage: zpgrep [-flnovx] [-d delim] [-P ppidlist] [-g pgrplist] [-s sidlist]\n\t[-u euidlist] [-U uidlist] [-G gidlist] [-z zonelist] [pattern]\n',
    });
    expect(run('zpgrep', ['-z', 'nosuch', 'x'])).toEqual({ code: 2, stdout: '', stderr: 'zpgrep: invalid zone name -- nosuch\n' });
    expect(run('zpgrep', ['('])).toEqual({ code: 2, stdout: '', stderr: 'zpgrep: Unmatched ( or \\(\n' });
    expect(run('zpkill', ['-9', '-l', 'x'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^zpkill: illegal option -- l\nUsage: zpkill \[-signal\]/) });
  });

  test('zprstat: exit 1', () => {
    expect(run('zprstat', ['1', '0'])).toEqual({ code: 1, stdout: '', stderr: 'zprstat: invalid counter value\n' });
    expect(run('zprstat', ['-Z', '-z', 'nosuch', '1', '1'])).toEqual({ code: 1, stdout: '', stderr: 'zprstat: unknown zone -- nosuch\n' });
  });
});

describe('matches', () => {
  test('zpgrep finds a process of the global zone, never itself; 1 when nothing matches', () => {
    const sleeper = spawn('sleep', ['7001'], { stdio: 'ignore' });
    try {
      expect(run('zpgrep', ['-f', '-z', 'global', '^sleep 7001$'])).toEqual({ code: 0, stdout: `${sleeper.pid}\n`, stderr: '' });
      expect(run('zpgrep', ['-l', '-z', 'global', '-P', String(process.pid), '-x', 'sleep'])).toEqual({ code: 0, stdout: `${String(sleeper.pid).padStart(5)} sleep\n`, stderr: '' });
    } finally {
      sleeper.kill('SIGKILL');
    }
    expect(run('zpgrep', ['-z', 'global', '-x', 'jest-nothing-here'])).toEqual({ code: 1, stdout: '', stderr: '' });
    expect(run('zpgrep', ['-f', 'bin/zpgrep[.]js -f'])).toEqual({ code: 1, stdout: '', stderr: '' });
  });
});

(isRoot ? test : test.skip)('zpkill signals nothing unless run by root of the global zone: exit 3', () => {
  expect(run('zpkill', ['-z', 'global', 'jest-nothing-here'], { uid: 65534 })).toEqual({
    code: 3,
    stdout: '',
    stderr: 'zpkill: only root in the global zone may signal processes\n',
  });
});
