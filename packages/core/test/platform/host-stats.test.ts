/** The host's counters zonestat reads, parsed from fixed texts of /proc/stat, /proc/meminfo and /proc/net/dev. */
import { describe, expect, test } from '@jest/globals';
import { cpuTimes, hostMemory } from '../../src/platform/host-stats.js';
import { allLinkBytes } from '../../src/platform/link-stats.js';

describe('host counters', () => {
  test('/proc/stat: each CPU\'s busy time, and the part no process is charged for', () => {
    const stat = 'cpu  300 0 100 5000 10 20 30 40 0 0\ncpu0 100 10 50 2500 5 10 15 20 0 0\ncpu1 200 0 50 2500 5 10 15 20 0 0\nintr 12345\n';
    expect(cpuTimes(stat)).toEqual([
      { cpu: 0, busyNs: (100 + 10 + 50 + 10 + 15 + 20) * 1e7, systemNs: (10 + 15 + 20) * 1e7 },
      { cpu: 1, busyNs: (200 + 50 + 10 + 15 + 20) * 1e7, systemNs: (10 + 15 + 20) * 1e7 },
    ]);
  });
  test('/proc/meminfo', () => {
    const text = 'MemTotal:       2048 kB\nMemFree:  100 kB\nMemAvailable:   1024 kB\nSwapTotal: 512 kB\nSwapFree: 256 kB\nKernelStack: 8 kB\nPageTables: 16 kB\nSUnreclaim: 40 kB\n';
    expect(hostMemory(text)).toEqual({ totalBytes: 2048 * 1024, availableBytes: 1024 * 1024, swapTotalBytes: 512 * 1024, swapFreeBytes: 256 * 1024, kernelBytes: 64 * 1024 });
  });
  test('/proc/net/dev: every link\'s bytes in one read', () => {
    const dev = [
      'Inter-|   Receive                                                |  Transmit',
      ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
      '    lo:    1234      10    0    0    0     0          0         0     1234      10    0    0    0     0       0          0',
      'zn1a2b3c4d0: 5000  40    0    0    0     0          0         0   250000     200    0    0    0     0       0          0',
    ].join('\n');
    expect([...allLinkBytes(dev)]).toEqual([
      ['lo', { rxBytes: 1234, txBytes: 1234 }],
      ['zn1a2b3c4d0', { rxBytes: 5000, txBytes: 250000 }],
    ]);
  });
});
