/**
 * zonestat's bin as a child process, under a temporary ZONES_ROOT with no zone running: usage
 * errors (Solaris messages, exit 2), the global zone's lines in -p and --json, the oclif --help,
 * and an interrupted run that still prints its report. No zone is booted here (zonestat.zone.test.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execa } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zonestatUsage } from '@zones/core/argv/zonestat';
import { traceLines } from '../../core/test/faults/trace.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const BIN = resolve(here, '../bin/run.js');
let root = '';
const zonestat = (...args: string[]) => execa('node', [BIN, ...args], { env: { ZONES_ROOT: root }, reject: false, timeout: 20_000, stripFinalNewline: false });

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'zonestat-cli-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('usage errors', () => {
  test.each([
    [[], 'Interval required.'],
    [['0'], 'Invalid interval: "0"'],
    [['-k', '1'], 'unrecongnized option: -k'],
    [['-r', 'bogus', '1'], 'Unknown resource: bogus'],
    [['-P', 'zones', '1'], '-P requires -p'],
    [['-q', '1'], '-q requires -R'],
    [['1', 'x'], 'Invalid duration: "x"'],
  ])('zonestat %j: the message, the usage, exit 2', async (args, message) => {
    const r = await zonestat(...args);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`zonestat: Error: ${message}\n${zonestatUsage()}\n`);
    expect(traceLines(r.stderr)).toEqual([]);
  });
  test('a missing option value: the usage alone; -? the usage on stdout, exit 0', async () => {
    const r = await zonestat('-z');
    expect([r.exitCode, r.stderr]).toEqual([2, `${zonestatUsage()}\n`]);
    const q = await zonestat('-?');
    expect([q.exitCode, q.stdout, q.stderr]).toEqual([0, zonestatUsage(), '']);
  });
  test('--help is oclif\'s', async () => {
    const r = await zonestat('--help');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/USAGE\n {2}\$ zonestat .*-z zonelist/);
    expect(r.stdout).toContain('--json');
  });
});

describe('a run with only the global zone', () => {
  test('-p 1 1: one interval, the summary of [total], [system] and global', async () => {
    const r = await zonestat('-p', '1', '1');
    expect([r.exitCode, r.stderr]).toEqual([0, '']);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^interval:header:since-last-interval:\d{8}T\d{6}Z:1:1$/);
    expect(lines[1]).toMatch(/^interval:summary:\[resource\]:\d+:\d+:\d+K:\d+K$/);
    expect(lines.slice(2, 5).map((l) => l.split(':')[2])).toEqual(['[total]', '[system]', 'global']);
    expect(lines[2]).toMatch(/^interval:summary:\[total\]:\d+\.\d\d:\d+\.\d\d%:-:-:\d+K:/);
    expect(lines[5]).toMatch(/^interval:footer:\d{8}T\d{6}Z:1:1$/);
  });
  test('text: the collecting line, the interval header, the summary table', async () => {
    const r = await zonestat('1', '1');
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 2)).toEqual(['Collecting data for first interval...', 'Interval: 1, Duration: 0:00:01']);
    expect(lines[2]).toMatch(/^SUMMARY {19}Cpus\/Online: \d+\/\d+ /);
    expect(lines[4]).toBe('               ZONE  USED %PART  USED %USED  USED %USED PBYTE %PUSE');
    expect(lines[7]).toMatch(/^ {13}global /);
  });
  test('--json 1 2: one JSON object per interval', async () => {
    const r = await zonestat('--json', '1', '2');
    expect(r.exitCode).toBe(0);
    const objs = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(objs.map((o) => [o.report, o.interval])).toEqual([['interval', 1], ['interval', 2]]);
    expect(objs[0].zones.map((z: { name: string }) => z.name)).toEqual(['global']);
    expect(objs[0].total.cpu.used).toBeGreaterThanOrEqual(0);
  });
  test('output faults: a closed pipe ends quietly (141), a full or closed stdout says so (exit 1)', async () => {
    const sh = (cmd: string) => execa('bash', ['-c', cmd], { env: { ZONES_ROOT: root, BIN, PATH: process.env.PATH }, reject: false, timeout: 20_000 });
    const pipe = await sh('node "$BIN" 1 3 | head -1; echo "rc=${PIPESTATUS[0]}"');
    expect([pipe.stdout, pipe.stderr]).toEqual(['Collecting data for first interval...\nrc=141', '']);
    const full = await sh('node "$BIN" 1 1 >/dev/full');
    expect([full.exitCode, full.stderr]).toEqual([1, 'zonestat: write error: No space left on device']);
    const closed = await sh('node "$BIN" 1 1 >&-');
    expect([closed.exitCode, closed.stderr]).toEqual([1, 'zonestat: write error: Bad file descriptor']);
    for (const r of [pipe, full, closed]) expect(traceLines(r.stderr)).toEqual([]);
  });
  test('interrupted (SIGINT): the report due is printed, exit 0', async () => {
    const p = execa('node', [BIN, '-q', '-R', 'high', '1'], { env: { ZONES_ROOT: root }, reject: false, timeout: 20_000, stripFinalNewline: false });
    await new Promise((r) => setTimeout(r, 2500));
    p.kill('SIGINT');
    const r = await p;
    expect([r.exitCode, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^Report: High Usage\n {4}Start: .*\n {6}End: .*\n {4}Intervals: \d+, Duration: 0:00:0\d\nSUMMARY/);
  });
});
