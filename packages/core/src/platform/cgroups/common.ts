/** File helpers both cgroup versions use: every cgroup interface is a small text file. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class CgroupWriteError extends Error {
  constructor(
    readonly file: string,
    readonly value: string,
    cause: NodeJS.ErrnoException,
  ) {
    super(`cannot write '${value}' to ${file}: ${cause.code ?? cause.message}`);
    this.name = 'CgroupWriteError';
  }
}

export function writeValue(dir: string, file: string, value: string | number): void {
  const path = join(dir, file);
  try {
    writeFileSync(path, String(value));
  } catch (e) {
    throw new CgroupWriteError(path, String(value), e as NodeJS.ErrnoException);
  }
}

export function readValue(dir: string, file: string): string | undefined {
  try {
    return readFileSync(join(dir, file), 'utf8').trim();
  } catch {
    return undefined;
  }
}

export function readInt(dir: string, file: string): number | undefined {
  const v = readValue(dir, file);
  if (v === undefined || v === 'max') return undefined;
  const n = Number(v.split(/\s/)[0]);
  return Number.isFinite(n) ? n : undefined;
}

/** The pids listed in a cgroup.procs file (empty when the cgroup is gone). */
export function readPids(dir: string): number[] {
  const v = readValue(dir, 'cgroup.procs');
  if (!v) return [];
  return v
    .split('\n')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * The zone whose cgroup a cgroup path (as /proc/PID/cgroup shows it) lies in: `/zones/NAME/...`
 * or `/zones.<hash of a ZONES_ROOT>/NAME/...` (runtime/state.ts zoneCgroupOptions); undefined for
 * any other path. Anchored: a cgroup the zone's root made below its payload cannot pass for another
 * zone's.
 */
export function zoneOfCgroupPath(path: string): string | undefined {
  return zoneCgroupOfPath(path)?.name;
}

/** {@link zoneOfCgroupPath} with the parent it lies under (`zones`, `zones.<hash>`): which ZONES_ROOT's zone it is. */
export function zoneCgroupOfPath(path: string): { parent: string; name: string } | undefined {
  const m = /^\/(zones(?:\.[0-9a-f]{10})?)\/([^/]+)(?:\/|$)/.exec(path);
  return m ? { parent: m[1]!, name: m[2]! } : undefined;
}

/**
 * Every pid of the cgroup tree `<parent>/<name>` in one hierarchy that holds every zone process
 * (the unified one on v2, `pids` on v1), for readers that must stay light (zoneadm list) and need
 * no more than the members.
 */
export function cgroupTreePids(parent: string, name: string, root = '/sys/fs/cgroup'): number[] {
  const top = existsSync(join(root, 'cgroup.controllers')) ? join(root, parent, name) : join(root, 'pids', parent, name);
  const out: number[] = [];
  const walk = (dir: string, depth: number) => {
    out.push(...readPids(dir));
    if (depth > 32) return;
    let subs: string[] = [];
    try {
      subs = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    } catch {
      return;
    }
    for (const s of subs) walk(join(dir, s), depth + 1);
  };
  walk(top, 0);
  return out;
}

// The kernel's CPU list syntax (`0-2,5`), as cpuset files and /sys/devices/system/cpu/online write it.

export function parseCpuList(text: string | undefined): number[] {
  const out = new Set<number>();
  for (const part of (text ?? '').trim().split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    for (let i = a; i <= b; i++) out.add(i);
  }
  return [...out].sort((x, y) => x - y);
}

export function formatCpuList(cpus: readonly number[]): string {
  const sorted = [...new Set(cpus)].sort((x, y) => x - y);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
