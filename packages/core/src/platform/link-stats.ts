/**
 * A network link's counters and state from /sys/class/net (the kernel's own statistics, no tool
 * run), for zonestat's network resource: light, read at every sample.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { basename } from 'node:path';

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

/** Only the byte counters of a link (what changes between two samples); undefined when it is gone. */
export function linkBytes(name: string): { rxBytes: number; txBytes: number } | undefined {
  if (!IFNAME.test(name)) return undefined;
  const rx = read(`/sys/class/net/${name}/statistics/rx_bytes`);
  const tx = read(`/sys/class/net/${name}/statistics/tx_bytes`);
  return rx === undefined || tx === undefined ? undefined : { rxBytes: Number(rx), txBytes: Number(tx) };
}
