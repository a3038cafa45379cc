/** /proc readers, against this process and short-lived children; zone detection against /proc-like trees (the real check runs in zlogin.zone.test). */
import { afterAll, describe, expect, test } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  capabilityBoundingSet,
  inNonGlobalZone,
  isSupervisor,
  processAlive,
  processCgroupPaths,
  processCmdline,
  processExecutable,
  processName,
  processStatusField,
  ZONE_ENV_MARKER,
} from '../../src/platform/proc.js';

const base = mkdtempSync(join(tmpdir(), 'zones-proc-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

function fakeProc(name: string, environ: string | undefined): string {
  const dir = join(base, name);
  mkdirSync(join(dir, '1'), { recursive: true });
  if (environ !== undefined) writeFileSync(join(dir, '1', 'environ'), environ);
  return dir;
}

/** A pid that was in use a moment ago and is gone now. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('processes', () => {
  test('a live process is alive and described; a gone one reads as undefined everywhere', () => {
    expect(processAlive(process.pid)).toBe(true);
    expect(processExecutable(process.pid)).toBe(realpathSync(process.execPath));
    expect(processCmdline(process.pid)?.[0]).toBe(process.argv0);
    expect(processCgroupPaths(process.pid)?.every((p) => p.startsWith('/'))).toBe(true);
    expect(capabilityBoundingSet(process.pid)).toBe(BigInt(`0x${processStatusField(process.pid, 'CapBnd')}`));
    const gone = deadPid();
    expect(processAlive(gone)).toBe(false);
    for (const read of [processExecutable, processName, processCmdline, processCgroupPaths, capabilityBoundingSet]) {
      expect(read(gone)).toBeUndefined();
    }
    for (const bad of [0, -1, 1.5, NaN]) expect(processAlive(bad)).toBe(false);
  });

  test('a zombie is dead; its parent, still running, is alive', async () => {
    // sh starts a short sleep in the background and becomes a long one, which never reaps it.
    const parent = spawn('/bin/sh', ['-c', 'sleep 0.5 & echo $!; exec sleep 10'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const zombie = Number(await new Promise<string>((r) => parent.stdout.once('data', (d: Buffer) => r(d.toString()))));
      for (let i = 0; i < 500 && processStatusField(zombie, 'State')?.[0] !== 'Z'; i++) await sleep(10);
      expect(processStatusField(zombie, 'State')?.[0]).toBe('Z');
      expect(processAlive(zombie)).toBe(false);
      expect(processAlive(parent.pid!)).toBe(true);
      expect(processName(parent.pid!)).toBe('sleep');
    } finally {
      parent.kill('SIGKILL');
    }
  });

  test('isSupervisor: alive and serving exactly that run directory', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 5000)', '--', '--rundir', '/run/zones/z1'], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 200 && !processCmdline(child.pid!)?.includes('--rundir'); i++) await sleep(10);
      expect(isSupervisor(child.pid, '/run/zones/z1')).toBe(true);
      expect(isSupervisor(child.pid, '/run/zones/z2')).toBe(false);
      expect(isSupervisor(process.pid, '/run/zones/z1')).toBe(false);
      expect(isSupervisor(undefined, '/run/zones/z1')).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
    expect(isSupervisor(deadPid(), '/run/zones/z1')).toBe(false);
  });
});

describe('inNonGlobalZone', () => {
  test("a zone's init carries the marker; a host init does not; unreadable means the global zone", () => {
    expect(inNonGlobalZone(fakeProc('zone', `PATH=/usr/bin\0${ZONE_ENV_MARKER}\0HOME=/\0`))).toBe(true);
    expect(inNonGlobalZone(fakeProc('host', 'HOME=/\0TERM=linux\0'))).toBe(false);
    expect(inNonGlobalZone(fakeProc('lxc', 'container=lxc\0'))).toBe(false);
    expect(inNonGlobalZone(fakeProc('prefix', 'xcontainer=zone\0container=zoned\0'))).toBe(false);
    expect(inNonGlobalZone(fakeProc('none', undefined))).toBe(false);
  });
});
