/** platform/proc-table.ts: the whole process table in one pass, on a /proc made by the test and on the real one. */
import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { processStartTicks, readHostFacts, readProcessEntry, readProcessTable, signalProcess } from '../../src/platform/proc-table.js';

const base = mkdtempSync(join(tmpdir(), 'proc-table-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** A /proc and a /sys of cgroup v1 (`v2`: the unified hierarchy) with the given processes. */
function tree(v2: boolean, procs: Record<string, Record<string, string>>): { proc: string; sys: string } {
  const dir = mkdtempSync(join(base, 't-'));
  const proc = join(dir, 'proc');
  const sys = join(dir, 'sys');
  mkdirSync(join(sys, 'fs/cgroup'), { recursive: true });
  if (v2) writeFileSync(join(sys, 'fs/cgroup/cgroup.controllers'), 'memory pids\n');
  for (const [pid, files] of Object.entries(procs)) {
    mkdirSync(join(proc, pid), { recursive: true });
    for (const [f, text] of Object.entries(files)) writeFileSync(join(proc, pid, f), text);
  }
  mkdirSync(join(proc, 'self'), { recursive: true });
  return { proc, sys };
}

// pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime
// cutime cstime priority nice num_threads itrealvalue starttime vsize rss ...
const stat = (pid: number, comm: string, rest = 'S 1 77 78 34817 0 0 0 0 0 0 250 50 0 0 20 0 3 0 12345 4096000 100') => `${pid} (${comm}) ${rest} 0 0 0\n`;
const status = 'Name:\tx\nState:\tS (sleeping)\nUid:\t1000\t1001\t1001\t1001\nGid:\t50\t51\t51\t51\nVmRSS:\t  400 kB\nRssAnon:\t  300 kB\nVmSwap:\t  20 kB\n';
const V1_CGROUP = '9:name=systemd:/user.slice\n8:pids:/zones/web/payload/sub\n4:memory:/zones/web\n0::/user.slice\n';

describe('readProcessTable', () => {
  test('each field from stat, status, cmdline, comm and the zone hierarchy of cgroup (v1: pids)', () => {
    const t = tree(false, { '42': { stat: stat(42, 'we) ird (x'), status, cmdline: 'sleep\x00600\x00', comm: 'we) ird (x\n', cgroup: V1_CGROUP } });
    expect(readProcessTable(t.proc, t.sys)).toEqual([
      {
        pid: 42,
        ppid: 1,
        pgid: 77,
        sid: 78,
        comm: 'we) ird (x',
        argv: ['sleep', '600'],
        state: 'S',
        ruid: 1000,
        euid: 1001,
        rgid: 50,
        egid: 51,
        ttyNr: 34817,
        utime: 250,
        stime: 50,
        priority: 20,
        nice: 0,
        nlwp: 3,
        starttime: 12345,
        vszKiB: 4000,
        rssKiB: 400,
        swapKiB: 320,
        cgroup: '/zones/web/payload/sub',
      },
    ]);
  });

  test('on v2 the unified line; a kernel thread has no arguments; a process gone mid-read is left out', () => {
    const t = tree(true, {
      '2': { stat: stat(2, 'kthreadd'), cmdline: '', cgroup: V1_CGROUP.replace('0::/user.slice', '0::/zones.0123456789/db/payload') },
      '7': { status }, // its stat went first: it ended
      '8': {},
    });
    const table = readProcessTable(t.proc, t.sys);
    expect(table.map((p) => [p.pid, p.argv, p.cgroup, p.comm])).toEqual([[2, [], '/zones.0123456789/db/payload', 'kthreadd']]);
    expect(readProcessEntry(9, t.proc)).toBeUndefined();
  });

  test('the real /proc: this process, its argv and zone hierarchy path; the host facts', () => {
    const me = readProcessTable().find((p) => p.pid === process.pid)!;
    expect(me.ppid).toBe(process.ppid);
    expect(me.argv[0]).toBe(process.argv0);
    expect(me.cgroup.startsWith('/')).toBe(true);
    const h = readHostFacts();
    expect(h.ncpus).toBeGreaterThan(0);
    expect(h.memTotalKiB).toBeGreaterThan(0);
    expect(h.bootTime).toBeGreaterThan(1_000_000_000);
    expect(h.pidMax).toBeGreaterThan(300);
  });
});

test('signalProcess signals a pid only while it is the process that started at the time given (a reused pid is spared)', async () => {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', (_code, sig) => r(sig)));
  try {
    const start = processStartTicks(child.pid!)!;
    expect(start).toBeGreaterThan(0);
    expect(signalProcess(child.pid!, start + 1, 9)).toBe('ESRCH');
    expect(readProcessEntry(child.pid!)?.state).not.toBe('Z');
    expect(signalProcess(child.pid!, start, 9)).toBeUndefined();
    expect(await exited).toBe('SIGKILL');
  } finally {
    child.kill('SIGKILL');
  }
});
