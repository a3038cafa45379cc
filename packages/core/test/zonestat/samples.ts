/** Two fixed zonestat samples 5 s apart (no I/O): a host of 2 CPUs and 2 GiB, three zones. */
import type { Sample, ZoneSample } from '../../src/zonestat/sample.js';

const GiB = 2 ** 30;
const MiB = 2 ** 20;
const S = 1e9; // ns per second

/** `busy` and `system` seconds of each CPU at the sample */
const cpus = (...t: [number, number][]) => t.map(([busy, sys], cpu) => ({ cpu, busyNs: busy * S, systemNs: sys * S }));

const zone = (z: Partial<ZoneSample> & Pick<ZoneSample, 'name' | 'id' | 'stats'>): ZoneSample => ({ dedicated: false, links: [], ...z });

const link = (name: string, rx: number, tx: number) => ({ name, rxBytes: rx, txBytes: tx, state: 'up', master: 'zsbr0', speedMbps: 10000 });

export const START = Date.UTC(2026, 0, 2, 3, 4, 5);

export const before: Sample = {
  atMs: 1000,
  wallMs: START,
  cpus: cpus([100, 1], [200, 2]),
  present: [0, 1],
  online: [0, 1],
  memory: { totalBytes: 2 * GiB, availableBytes: GiB, swapTotalBytes: GiB, swapFreeBytes: GiB, kernelBytes: 100 * MiB },
  tasks: { processes: 100, lwps: 300 },
  limits: { processes: 32768, lwps: 190000 },
  zones: [
    zone({ name: 'web', id: 1, stats: { cpuUsageNs: 10 * S, cpuCap: 0.5, cpuShares: 1024, cpus: [0, 1], memoryBytes: 100 * MiB, memoryLimitBytes: 256 * MiB, tasks: 40, tasksMax: 300 }, processes: 12, links: [link('zn1', 1000, 2000)] }),
    zone({ name: 'db', id: 2, dedicated: true, stats: { cpuUsageNs: 50 * S, cpuShares: 1024, cpus: [1], memoryBytes: 300 * MiB, tasks: 10 }, processes: 5 }),
    zone({ name: 'idle', id: 3, stats: { cpuUsageNs: 1 * S, cpuShares: 3072, cpus: [0, 1], memoryBytes: 10 * MiB, tasks: 2 }, processes: 2 }),
  ],
};

/** 5 s later: web used 2.5 s of CPU (0.5 CPU, its whole cap), db 4 s (0.8 of its CPU), idle nothing. */
export const after: Sample = {
  ...before,
  atMs: 6000,
  wallMs: START + 5000,
  cpus: cpus([104, 1.5], [205, 2]),
  memory: { ...before.memory, availableBytes: GiB - 50 * MiB },
  zones: [
    { ...before.zones[0]!, stats: { ...before.zones[0]!.stats, cpuUsageNs: 12.5 * S, memoryBytes: 150 * MiB }, links: [link('zn1', 1000 + 5000, 2000 + 250_000)] },
    { ...before.zones[1]!, stats: { ...before.zones[1]!.stats, cpuUsageNs: 54 * S } },
    { ...before.zones[2]!, stats: { ...before.zones[2]!.stats } },
  ],
};
