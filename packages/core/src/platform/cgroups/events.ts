/**
 * How often a zone ran into its limits, from the kernel's own event counters (docs/labs/06-*):
 * forks refused at pids.max, charges refused at the memory cap, processes the OOM killer took.
 * They count from the cgroup's creation, so from the zone's last boot.
 *
 * Where the kernel counts differs by version. v1 counts where the event happened: a refused fork
 * in the forking task's cgroup (`pids.events` of the payload, or of a cgroup the zone made below
 * it), an OOM kill in the victim's (`memory.oom_control` oom_kill), a refused charge on the
 * counter whose limit it hit (`memory.failcnt` of the zone's level). So v1 sums the zone's whole
 * subtree. v2 propagates each event up to the zone's level (`pids.events` max since Linux 6.13,
 * `memory.events` max and oom_kill), which is read alone; a v2 kernel older than 6.13 counts pids
 * events locally, so a zero there is summed over the subtree too.
 */
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readStat } from './stats.js';
import type { ZoneCgroup } from './index.js';

export interface LimitHits {
  /** Forks refused because the zone was at pids.max (max-lwps, max-processes). */
  tasksMaxHits?: number;
  /** Times a memory charge hit the zone's cap (v1 memory.failcnt, v2 memory.events max). */
  memoryMaxHits?: number;
  /** Processes the OOM killer killed in the zone (its memory cap could not be met). */
  oomKills?: number;
}

/** `key value` lines of one counter file; undefined when the file is not there. */
function keyed(dir: string, file: string): Map<string, number> | undefined {
  const text = readStat(dir, file);
  if (text === undefined) return undefined;
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined && /^\d+$/.test(v)) out.set(k, Number(v));
  }
  return out;
}

function subtree(dir: string, depth = 0): string[] {
  const out = [dir];
  if (depth > 32) return out;
  try {
    for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) out.push(...subtree(join(dir, e.name), depth + 1));
  } catch {
    // gone meanwhile
  }
  return out;
}

/** One counter summed over a directory tree; undefined when no directory has the file. */
function summed(dirs: readonly string[], file: string, key: string | undefined): number | undefined {
  let total: number | undefined;
  for (const d of dirs) {
    const n = key === undefined ? Number(readStat(d, file)) : keyed(d, file)?.get(key);
    if (n !== undefined && Number.isFinite(n)) total = (total ?? 0) + n;
  }
  return total;
}

export function limitHits(cg: Pick<ZoneCgroup, 'version' | 'paths'>): LimitHits {
  if (cg.version === 2) {
    const dir = cg.paths[0]!;
    const mem = keyed(dir, 'memory.events');
    const pidsMax = keyed(dir, 'pids.events')?.get('max');
    return {
      tasksMaxHits: pidsMax ? pidsMax : summed(subtree(dir), 'pids.events', 'max'),
      memoryMaxHits: mem?.get('max'),
      oomKills: mem?.get('oom_kill'),
    };
  }
  // v1: <root>/<hierarchy>/<parent>/<zone>
  const hierarchy = (name: string) => cg.paths.find((p) => basename(dirname(dirname(p))).split(',').includes(name));
  const pids = hierarchy('pids');
  const memory = hierarchy('memory');
  const memTree = memory ? subtree(memory) : [];
  return {
    tasksMaxHits: pids ? summed(subtree(pids), 'pids.events', 'max') : undefined,
    memoryMaxHits: summed(memTree, 'memory.failcnt', undefined),
    oomKills: summed(memTree, 'memory.oom_control', 'oom_kill'),
  };
}
