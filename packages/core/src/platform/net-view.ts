/**
 * Read-only views of the network for the labs' checks (docs/labs/13-bridges.md,
 * docs/labs/16-nginx-between-zones.md): the bridges of the caller's network namespace with their
 * ports and addresses, and the TCP listeners of a network namespace (the one a process is in)
 * with the sockets a process holds. Nothing here changes a link or a socket.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { runTool } from '../sys/tools.js';

export interface BridgePort {
  name: string;
  /** A device of the machine (a NIC, virtio): it has a `device` in sysfs, which veth pairs never have. */
  physical: boolean;
}

export interface BridgeView {
  name: string;
  up: boolean;
  ports: BridgePort[];
  /** Every address on the bridge itself, IPv6 link-local ones included (`fe80::1/64`). */
  addresses: string[];
}

const IFNAME = /^[A-Za-z0-9_.-]{1,15}$/;
const NET = '/sys/class/net';

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** The addresses of every interface, from `ip -j addr show` (iproute2: no /proc file lists IPv4 addresses per device). */
async function addressesByInterface(): Promise<Map<string, string[]>> {
  const r = await runTool('ip', ['-j', 'addr', 'show']);
  const out = new Map<string, string[]>();
  let rows: unknown;
  try {
    rows = JSON.parse(r.stdout);
  } catch {
    return out;
  }
  if (!Array.isArray(rows)) return out;
  for (const row of rows as { ifname?: unknown; addr_info?: unknown }[]) {
    if (typeof row?.ifname !== 'string' || !Array.isArray(row.addr_info)) continue;
    const addrs = (row.addr_info as { local?: unknown; prefixlen?: unknown }[])
      .filter((a) => typeof a?.local === 'string')
      .map((a) => `${a.local as string}/${String(a.prefixlen)}`);
    out.set(row.ifname, addrs);
  }
  return out;
}

function isUp(name: string): boolean {
  try {
    return (Number(readFileSync(`${NET}/${name}/flags`, 'utf8').trim()) & 1) === 1; // IFF_UP
  } catch {
    return false;
  }
}

/** The bridges of the caller's network namespace, each with its ports and its addresses. */
export async function listBridges(): Promise<BridgeView[]> {
  const names = list(NET).filter((n) => IFNAME.test(n) && existsSync(`${NET}/${n}/bridge`)).sort();
  if (names.length === 0) return [];
  const addrs = await addressesByInterface();
  return names.map((name) => ({
    name,
    up: isUp(name),
    ports: list(`${NET}/${name}/brif`)
      .sort()
      .map((p) => ({ name: p, physical: existsSync(`${NET}/${p}/device`) })),
    addresses: addrs.get(name) ?? [],
  }));
}

export interface TcpListener {
  port: number;
  /** The socket's inode: what /proc/PID/fd links name as `socket:[N]`. */
  inode: number;
  family: 4 | 6;
}

/**
 * The listening TCP sockets of the network namespace process `pid` is in
 * (/proc/PID/net/tcp and tcp6 show that namespace's, not the reader's).
 */
export function tcpListeners(pid: number): TcpListener[] {
  const out: TcpListener[] = [];
  for (const [file, family] of [['tcp', 4], ['tcp6', 6]] as const) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/net/${file}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== '0A') continue; // TCP_LISTEN
      const port = parseInt(f[1]!.split(':')[1] ?? '', 16);
      const inode = Number(f[9]);
      if (Number.isInteger(port) && Number.isInteger(inode)) out.push({ port, inode, family });
    }
  }
  return out;
}

/** The inodes of the sockets process `pid` holds open (empty when it is gone). */
export function socketInodes(pid: number): Set<number> {
  const out = new Set<number>();
  for (const fd of list(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) out.add(Number(m[1]));
    } catch {
      // closed meanwhile
    }
  }
  return out;
}
