/** zpgrep and zpkill (ptools/pgrep.ts, argv/zpgrep.ts) on a fixed process table: matching, output, the command line and its errors. */
import { describe, expect, test } from '@jest/globals';
import { parsePgrepArgs, signalNumber } from '../../src/argv/zpgrep.js';
import { compilePattern, ereToJs, pgrepOutput, selectPgrep, type PgrepRequest } from '../../src/ptools/pgrep.js';
import { resolveZoneList } from '../../src/ptools/snapshot.js';
import { ACCOUNTS, proc, ZONES } from './table.js';

const PROCS = [
  proc(1, 'global', 0, { comm: 'init', argv: ['/sbin/init'], ppid: 0 }),
  proc(100, 'web', 1, { comm: 'sleep', argv: ['sleep', '600'], starttime: 500, euid: 100000 }),
  proc(101, 'web', 1, { comm: 'sleep', argv: ['sleep', '601'], starttime: 900, euid: 100000 }),
  proc(200, 'db', 2, { comm: 'sleep', argv: ['sleep', '602'], starttime: 700 }),
  proc(201, 'db', 2, { comm: 'sleepy', argv: ['/usr/bin/sleepy', '--deep'] }),
  proc(300, 'global', 0, { comm: 'sleep', argv: ['sleep', '603'], state: 'Z' }),
  proc(400, 'global', 0, { comm: 'zpgrep', argv: ['node', 'zpgrep', '-f', 'sleep'], ppid: 401 }),
  proc(401, 'global', 0, { comm: 'sh', argv: ['sh', '-c', 'zpkill -f sleep'] }),
  proc(500, undefined, undefined, { comm: 'sleep', argv: ['sleep', '9'] }),
];
const CTX = { pgrp: 400, sid: 401, accounts: ACCOUNTS };
const CALLER = { pid: 400, ppid: 401 };

function run(args: string[], kill = false): { pids: number[]; out: string } | { error: unknown } {
  const parsed = parsePgrepArgs(args, kill, CTX);
  if (!parsed.ok) return { error: parsed };
  const req = parsed.request;
  const re = req.pattern === undefined ? undefined : compilePattern(req.pattern, req.exact);
  if (re && !(re instanceof RegExp)) return { error: re };
  const zones = req.zones ? resolveZoneList(req.zones, ZONES) : undefined;
  if (zones && 'unknown' in zones) return { error: zones };
  const found = selectPgrep(req, PROCS, CALLER, zones?.names, re);
  return { pids: found.map((p) => p.pid), out: pgrepOutput(req, found) };
}

describe('matching', () => {
  test('-z: only the zone named; the pattern is an extended regular expression on the name', () => {
    expect(run(['-z', 'web', 'sleep'])).toEqual({ pids: [100, 101], out: '100\n101\n' });
    expect(run(['-z', 'db', 'sleep'])).toEqual({ pids: [200, 201], out: '200\n201\n' });
    expect(run(['-z', 'db', '-x', 'sleep'])).toMatchObject({ pids: [200] });
    expect(run(['-z', 'web,2', '^sle+p$'])).toMatchObject({ pids: [100, 101, 200] });
    expect(run(['-z', '0'])).toMatchObject({ pids: [1, 401] });
  });

  test('zombies and the tool itself never match; pkill spares its parent too; a process of another root is in no zone', () => {
    expect(run(['-f', 'sleep'])).toMatchObject({ pids: [100, 101, 200, 201, 401, 500] });
    expect(run(['-f', 'sleep'], true)).toMatchObject({ pids: [100, 101, 200, 201, 500] });
    expect(run(['-z', 'global', 'sleep'])).toMatchObject({ pids: [] });
  });

  test('-f matches the argument string; -v the others (all criteria negated, -z too, as in pgrep.c); -n and -o the newest and the oldest', () => {
    expect(run(['-f', '-z', 'db', 'deep$'])).toMatchObject({ pids: [201] });
    expect(run(['-v', '-z', 'web,db', 'sleep'])).toMatchObject({ pids: [1, 401, 500] });
    expect(run(['-v', '-z', 'db', '-x', 'sleep'])).toMatchObject({ pids: [1, 100, 101, 201, 401, 500] });
    expect(run(['-n', '-x', 'sleep', '-z', 'web,db'])).toMatchObject({ pids: [101] });
    expect(run(['-o', '-x', 'sleep', '-z', 'web,db'])).toMatchObject({ pids: [100] });
  });

  test('-u, -P, -g 0 (our own group) are ANDed with the rest', () => {
    expect(run(['-u', '100000', 'sleep'])).toMatchObject({ pids: [100, 101] });
    expect(run(['-u', 'root', '-z', 'web'])).toMatchObject({ pids: [] });
    expect(run(['-P', '0'])).toMatchObject({ pids: [1] });
    expect(run(['-g', '0'])).toMatchObject({ pids: [] }); // our own group is only ourselves
  });

  test('-l prints `%5d name` (the arguments with -f); -d joins with the delimiter', () => {
    expect(run(['-l', '-z', 'web', 'sleep'])).toMatchObject({ out: '  100 sleep\n  101 sleep\n' });
    expect(run(['-lf', '-z', 'web', 'sleep'])).toMatchObject({ out: '  100 sleep 600\n  101 sleep 601\n' });
    expect(run(['-d', ',', '-z', 'web,db', '-x', 'sleep'])).toMatchObject({ out: '100,101,200\n' });
    expect(run(['-z', 'web', 'nothing'])).toEqual({ pids: [], out: '' });
  });
});

describe('patterns', () => {
  test('POSIX bracket classes and backslashes in brackets', () => {
    expect(ereToJs('[[:digit:]]+x')).toBe('[0-9]+x');
    expect(ereToJs('[]a]')).toBe('[\\]a]');
    expect(ereToJs('[^\\]')).toBe('[^\\\\]');
    expect((compilePattern('^[[:alpha:]]+$', false) as RegExp).test('sleep')).toBe(true);
    expect((compilePattern('a|b', true) as RegExp).test('ab')).toBe(false);
  });

  test('a bad pattern: regerror words', () => {
    expect(compilePattern('(', false)).toEqual({ error: 'Unmatched ( or \\(' });
    expect(compilePattern('[a', false)).toEqual({ error: 'Unmatched [, [^, [:, [., or [=' });
    expect(compilePattern('*a', false)).toEqual({ error: 'Invalid preceding regular expression' });
  });
});

describe('command lines', () => {
  const err = (args: string[], kill = false) => (run(args, kill) as { error: unknown }).error;

  test('pkill takes a signal first, by number or name', () => {
    const sig = (args: string[]) => (parsePgrepArgs(args, true, CTX) as { request: PgrepRequest }).request.signal;
    expect(sig(['sleep'])).toBe(15);
    expect(sig(['-9', 'sleep'])).toBe(9);
    expect(sig(['-KILL', 'sleep'])).toBe(9);
    expect(sig(['-HUP', 'sleep'])).toBe(1);
    expect(sig(['-USR1', 'sleep'])).toBe(10);
    expect(signalNumber('RTMIN+2')).toBe(36);
    expect(signalNumber('SIGTERM')).toBe(15);
    expect(signalNumber('NOSUCH')).toBeUndefined();
    expect(err(['-NOSUCH', 'sleep'], true)).toEqual({ ok: false, messages: ['illegal option -- N'], usage: true });
    expect(err(['sleep', '-9'], true)).toEqual({ ok: false, messages: ['illegal option -- 9'], usage: true });
  });

  test('options may follow the pattern; a second pattern is an error', () => {
    expect(run(['sleep', '-z', 'web'])).toMatchObject({ pids: [100, 101] });
    expect(err(['sleep', 'more'])).toEqual({ ok: false, messages: ['illegal argument -- more'], usage: true });
  });

  test("pgrep's messages and the usage", () => {
    expect(err([])).toEqual({ ok: false, messages: ['No matching criteria specified'], usage: true });
    expect(err(['-f', '-l'])).toEqual({ ok: false, messages: ['No matching criteria specified'], usage: true });
    expect(err(['-n', '-o', 'x'])).toEqual({ ok: false, messages: ['-n and -o are mutually exclusive'], usage: true });
    expect(err(['-q', 'x'])).toEqual({ ok: false, messages: ['illegal option -- q'], usage: true });
    expect(err(['-d'])).toEqual({ ok: false, messages: ['illegal option -- d'], usage: true });
    expect(err(['-l', 'x'], true)).toEqual({ ok: false, messages: ['illegal option -- l'], usage: true });
    expect(err(['-J', '1', 'x'])).toEqual({ ok: false, messages: ['illegal option -- J'], usage: true });
  });

  test('bad lists: the message alone', () => {
    expect(err(['-P', '1,x'])).toEqual({ ok: false, messages: ["invalid argument for option 'P' -- x"], usage: false });
    expect(err(['-u', 'nosuch'])).toEqual({ ok: false, messages: ['invalid user name -- nosuch'], usage: false });
    expect(err(['-G', 'nosuch'])).toEqual({ ok: false, messages: ['invalid group name -- nosuch'], usage: false });
    expect(err(['-z', 'web,nosuch'])).toEqual({ unknown: 'nosuch' });
  });
});
