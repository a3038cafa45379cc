// What the benches share: a bounded pool of async jobs, the median, number formats, and the
// memory figures read from /proc (a process's VmRSS, the host's MemAvailable).
import { readFileSync } from 'node:fs';

/** Runs `fn` over `items`, at most `n` at a time; resolves with the results in order. */
export async function pool(items, n, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

export const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');

/** VmRSS of a process in kB (NaN when it is gone). */
export const rssKiB = (pid) => {
  try {
    return Number(/^VmRSS:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  } catch {
    return NaN;
  }
};

export const memAvailableKiB = () => Number(/^MemAvailable:\s*(\d+)/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? NaN);
