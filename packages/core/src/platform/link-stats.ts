/**
 * A network link's counters and state from /sys/class/net (the kernel's own statistics, no tool
 * run), for zonestat's network resource: light, read at every sample.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { basename } from 'node:path';
import { readStat } from './cgroups/stats.js';

export interface LinkCounters {
  name: string;
  rxBytes: number;
  txBytes: number;
  /** operstate: `up`, `down`, `lowerlayerdown`, `unknown`... */
  state: string;
  /** The bridge it is enslaved to, if any. */
  master?: string;
  /** Megabits per second, when the driver says (veth says 10000). */
  speedMbps?: number;
}

const IFNAME = /^[A-Za-z0-9_.-]{1,15}$/;

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** The counters of interface `name` in the caller's network namespace; undefined when it is gone. */
export function linkCounters(name: string): LinkCounters | undefined {
  if (!IFNAME.test(name)) return undefined;
  const dir = `/sys/class/net/${name}`;
  const rx = read(`${dir}/statistics/rx_bytes`);
  if (rx === undefined) return undefined;
  let master: string | undefined;
  try {
    master = basename(readlinkSync(`${dir}/master`));
  } catch {
    // not enslaved
  }
  const speed = Number(read(`${dir}/speed`));
  return {
    name,
    rxBytes: Number(rx),
    txBytes: Number(read(`${dir}/statistics/tx_bytes`) ?? 0),
    state: read(`${dir}/operstate`) ?? 'unknown',
    ...(master ? { master } : {}),
    ...(speed > 0 ? { speedMbps: speed } : {}),
  };
}

/**
 * The byte counters of every link of the caller's network namespace, from /proc/net/dev: one
 * read for all of them (zonestat reads every zone's veths at every sample).
 */
export function allLinkBytes(text?: string): Map<string, { rxBytes: number; txBytes: number }> {
  const out = new Map<string, { rxBytes: number; txBytes: number }>();
  const t = text ?? readStat('/proc/net', 'dev') ?? '';
  for (const line of t.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    // Inter-face: rx bytes packets errs drop fifo frame compressed multicast | tx bytes ...
    const f = line.slice(colon + 1).trim().split(/\s+/);
    if (f.length >= 16) out.set(line.slice(0, colon).trim(), { rxBytes: Number(f[0]), txBytes: Number(f[8]) });
  }
  return out;
}
