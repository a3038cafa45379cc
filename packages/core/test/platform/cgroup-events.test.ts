/**
 * limitHits(): the zone's limit events from the kernel's counters, where each cgroup version
 * counts them (platform/cgroups/events.ts): v1 summed over the zone's subtree, v2 at the zone's
 * level. Against cgroup-shaped trees; the real counters are read by lab 06's end-to-end test.
 */
import { afterAll, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { limitHits } from '../../src/platform/cgroups/events.js';

const base = mkdtempSync(join(tmpdir(), 'cg-events-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

function files(dir: string, contents: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  for (const [f, v] of Object.entries(contents)) writeFileSync(join(dir, f), v);
}

test('v1: refused forks, failed charges and OOM kills summed over the zone and the cgroups below it', () => {
  const pids = join(base, 'v1', 'pids', 'zones', 'web');
  const memory = join(base, 'v1', 'memory', 'zones', 'web');
  files(pids, { 'pids.events': 'max 0\n' });
  files(join(pids, 'payload'), { 'pids.events': 'max 1234\n' });
  files(join(pids, 'payload', 'system.slice'), { 'pids.events': 'max 6\n' });
  files(memory, { 'memory.failcnt': '17\n', 'memory.oom_control': 'oom_kill_disable 0\nunder_oom 0\noom_kill 0\n' });
  files(join(memory, 'payload'), { 'memory.failcnt': '0\n', 'memory.oom_control': 'oom_kill_disable 0\nunder_oom 0\noom_kill 2\n' });
  const cpu = join(base, 'v1', 'cpu,cpuacct', 'zones', 'web');
  expect(limitHits({ version: 1, paths: [cpu, memory, pids] })).toEqual({ tasksMaxHits: 1240, memoryMaxHits: 17, oomKills: 2 });
  // a host without the memory hierarchy: not known, not zero
  expect(limitHits({ version: 1, paths: [pids] })).toEqual({ tasksMaxHits: 1240, memoryMaxHits: undefined, oomKills: undefined });
});

test('v2: the zone level, where the kernel propagates every event; local pids counts (before 6.13) summed', () => {
  const zone = join(base, 'v2', 'zones', 'web');
  files(zone, { 'pids.events': 'max 40\n', 'memory.events': 'low 0\nhigh 0\nmax 9\noom 1\noom_kill 1\noom_group_kill 0\n' });
  files(join(zone, 'payload'), { 'pids.events': 'max 40\n', 'memory.events': 'low 0\nhigh 0\nmax 9\noom 1\noom_kill 1\n' });
  expect(limitHits({ version: 2, paths: [zone] })).toEqual({ tasksMaxHits: 40, memoryMaxHits: 9, oomKills: 1 });
  const old = join(base, 'v2', 'zones', 'old');
  files(old, { 'pids.events': 'max 0\n', 'memory.events': 'max 0\noom_kill 0\n' });
  files(join(old, 'payload'), { 'pids.events': 'max 5\n' });
  expect(limitHits({ version: 2, paths: [old] })).toEqual({ tasksMaxHits: 5, memoryMaxHits: 0, oomKills: 0 });
});
