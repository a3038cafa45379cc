/** File helpers both cgroup versions use: every cgroup interface is a small text file. */
import { readFileSync, writeFileSync } from 'node:fs';
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
