/** zprstat (ptools/prstat.ts, argv/zprstat.ts): the report's exact lines on fixed samples, and the command line. */
import { describe, expect, test } from '@jest/globals';
import { parsePrstatArgs } from '../../src/argv/zprstat.js';
import { formatPct, formatSize, formatTime, prstatReport, type PrstatRequest } from '../../src/ptools/prstat.js';
import { ACCOUNTS, proc, snapshot } from './table.js';

const BASE: PrstatRequest = { zones: true, ntop: 15, nbottom: 5, sortKey: 'cpu', sortOrder: -1, interval: 5, count: 1 };

describe('fields', () => {
  test('sizes, times and percentages as prutil.c formats them', () => {
    expect(formatSize(9999)).toBe('9999K');
    expect(formatSize(10000)).toBe('  10M');
    expect(formatSize(20_000_000)).toBe('  19G');
    expect(formatTime(3723)).toBe('  1:02:03');
    expect(formatPct(0.04)).toBe('0.0');
    expect(formatPct(9.94)).toBe('9.9');
    expect(formatPct(9.96)).toBe(' 10');
    expect(formatPct(150)).toBe('100');
  });
});

describe('reports', () => {
  const first = snapshot([
    proc(1, 'global', 0, { comm: 'init', ppid: 0, utime: 100, nlwp: 1 }),
    proc(2, 'global', 0, { comm: 'kthreadd', ppid: 0 }),
    proc(3, 'global', 0, { comm: 'kworker/0:1', ppid: 2 }),
    proc(100, 'web', 1, { comm: 'busy', utime: 1000, nlwp: 2, vszKiB: 20000, rssKiB: 12000, swapKiB: 4000, state: 'R' }),
    proc(200, 'db', 2, { comm: 'sleep', euid: 100000, ruid: 100000, nice: 5 }),
  ]);
  // 10 s later: the busy process used 10 s of the 20 s two CPUs had
  const later = { ...snapshot(first.procs.map((p) => (p.pid === 100 ? { ...p, utime: 2000 } : p))), now: first.now + 10 };

  test('-Z: the processes by CPU, a line per zone, the totals; kernel threads left out', () => {
    expect(prstatReport(BASE, later, first, ACCOUNTS, undefined).split('\n')).toEqual([
      '   PID USERNAME  SIZE   RSS STATE  PRI NICE      TIME  CPU PROCESS/NLWP       ',
      '   100 root       20M   12M run     19    0   0:00:20  50% busy/2',
      '     1 root     2000K 1000K sleep   19    0   0:00:01 0.0% init/1',
      '   200 100000   2000K 1000K sleep   19    5   0:00:00 0.0% sleep/1',
      'ZONEID    NPROC  SWAP   RSS MEMORY      TIME  CPU ZONE                        ',
      `     1        1 4000K   12M   0.3%   0:00:20  50% web                         `,
      `     0        1  100K 1000K   0.0%   0:00:01 0.0% global                      `,
      `     2        1  100K 1000K   0.0%   0:00:00 0.0% db                          `,
      'Total: 3 processes, 4 lwps, load averages: 0.50, 0.25, 0.13',
      '',
    ]);
  });

  test('the first report counts CPU over each life; -z keeps the zones named; no -Z: no zone lines', () => {
    const r = prstatReport({ ...BASE, zones: false }, first, undefined, ACCOUNTS, new Set(['web']));
    expect(r.split('\n')).toEqual([
      '   PID USERNAME  SIZE   RSS STATE  PRI NICE      TIME  CPU PROCESS/NLWP       ',
      '   100 root       20M   12M run     19    0   0:00:10 0.1% busy/2',
      'Total: 1 processes, 2 lwps, load averages: 0.50, 0.25, 0.13',
      '',
    ]);
  });

  test('-n limits the lines; -S sorts smallest first', () => {
    const r = prstatReport({ ...BASE, ntop: 1, nbottom: 1, sortKey: 'rss', sortOrder: 1 }, later, first, ACCOUNTS, undefined).split('\n');
    expect(r[1]).toMatch(/^ {5}1 root/);
    expect(r[3]).toMatch(/^ {5}1 {8}1 .* web/);
    expect(r).toHaveLength(6);
  });
});

describe('command lines (exit 1)', () => {
  const parse = (args: string[]) => parsePrstatArgs(args, ACCOUNTS);

  test('interval and count', () => {
    expect(parse(['-Z', '1', '2'])).toMatchObject({ ok: true, request: { zones: true, interval: 1, count: 2 } });
    expect(parse([])).toMatchObject({ ok: true, request: { interval: 5, count: -1, ntop: 15, nbottom: 5 } });
    expect(parse(['-n', '3,2', '-z', 'web,db', '-s', 'rss'])).toMatchObject({ ok: true, request: { ntop: 3, nbottom: 2, zoneFilter: ['web', 'db'], sortKey: 'rss' } });
  });

  test("prstat's messages", () => {
    expect(parse(['1', '0'])).toEqual({ ok: false, message: 'invalid counter value', usage: false });
    expect(parse(['x'])).toEqual({ ok: false, message: 'illegal argument -- x', usage: false });
    expect(parse(['1', '1', '1'])).toEqual({ ok: false, usage: true });
    expect(parse(['-q'])).toEqual({ ok: false, message: 'illegal option -- q', usage: true });
    expect(parse(['-n', '0'])).toEqual({ ok: false, message: 'invalid argument for -n', usage: false });
    expect(parse(['-s', 'bogus'])).toEqual({ ok: false, message: 'invalid sort key -- bogus', usage: false });
    expect(parse(['-u', 'nosuch'])).toEqual({ ok: false, message: 'invalid user name: nosuch', usage: false });
    expect(parse(['-z', ','])).toEqual({ ok: false, message: 'invalid argument for -z', usage: false });
  });
});
