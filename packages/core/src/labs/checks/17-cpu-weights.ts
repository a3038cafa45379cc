/**
 * Lab 17 (docs/labs/17-cpu-weights.md): two zones with cpu-shares in a ratio (1:3), both busy
 * enough to compete for every CPU of the host, and their CPU use over a short window, read from
 * their cgroups' CPU time counters (cpuacct.usage, v2 cpu.stat usage_usec), in that ratio. Shares
 * only show under contention: configured shares without load, or load in one zone only, fail.
 */
import { hostCpus } from '../../platform/cgroups/index.js';
import { limitsFromConfig } from '../../platform/cgroups/limits.js';
import { takeSnapshot, type Proc } from '../../ptools/snapshot.js';
import type { LabHost } from '../host.js';
import { item, type CheckItem, type Lab } from '../lab.js';

/** How long the check measures. */
const WINDOW_MS = 2500;
/** How far the measured ratio may be from the configured one: holds on a noisy shared 2-CPU host. */
export const RATIO_TOLERANCE = 0.35;
/** A process that used at least this share of one CPU during the window is busy. */
const BUSY_SHARE = 0.05;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The zone's cpu-shares as zoneadm enforces them (scheduling-class FSS alone: 1), or undefined. */
function configuredShares(host: LabHost, zone: string): number | undefined {
  const cfg = host.config(zone);
  const s = cfg ? limitsFromConfig(cfg).cpuShares : undefined;
  return typeof s === 'number' ? s : undefined;
}

const usageNs = (host: LabHost, zone: string) => host.cgroup(zone).stats(new Set(['cpu'])).cpuUsageNs;

/** The zone's processes that used at least BUSY_SHARE of a CPU between two snapshots. */
function busyProcesses(before: readonly Proc[], after: readonly Proc[], zone: string, ticks: number): number {
  const was = new Map(before.filter((p) => p.zone === zone).map((p) => [`${p.pid}/${p.starttime}`, p.utime + p.stime]));
  return after.filter((p) => p.zone === zone && p.utime + p.stime - (was.get(`${p.pid}/${p.starttime}`) ?? p.utime + p.stime) >= ticks * BUSY_SHARE).length;
}

export const cpuWeights: Lab = {
  id: 17,
  slug: 'cpu-weights',
  title: 'CPU weights between two zones',
  seed: "a university course's cgroups section (the cgroup cpu weight exercise)",
  async check(host) {
    const items: CheckItem[] = [];
    const withShares = host.zoneNames().map((z) => ({ zone: z, shares: configuredShares(host, z) })).filter((z): z is { zone: string; shares: number } => z.shares !== undefined);
    const running = withShares.filter((z) => host.running(z.zone)).sort((a, b) => a.shares - b.shares);
    const lo = running[0];
    const hi = running[running.length - 1];
    const pair = lo && hi && lo.shares !== hi.shares ? ([lo, hi] as const) : undefined;
    const listed = withShares.map((z) => `${z.zone}=${z.shares}${host.running(z.zone) ? '' : ` (${host.state(z.zone)})`}`).join(', ');
    items.push(
      item(
        'two running zones have different cpu-shares',
        pair !== undefined,
        pair ? `${pair[0].zone}=${pair[0].shares}, ${pair[1].zone}=${pair[1].shares}` : listed ? `cpu-shares: ${listed}; two running zones need different shares (zonecfg -z Z "set cpu-shares=N", then boot)` : 'no zone has cpu-shares: zonecfg -z Z "set cpu-shares=100" (and 300 in the other)',
      ),
    );
    if (!pair) return items;
    const inForce = pair.map((z) => ({ ...z, kernel: host.cgroup(z.zone).stats(new Set(['shares'])).cpuShares }));
    const off = inForce.filter((z) => z.kernel !== z.shares);
    items.push(
      item(
        "their shares are in force in the zones' cgroups",
        off.length === 0,
        off.length ? off.map((z) => `${z.zone}'s cgroup holds ${z.kernel ?? 'no'} shares, configured ${z.shares}: zoneadm -z ${z.zone} apply`).join('; ') : inForce.map((z) => `${z.zone}: ${z.kernel}`).join(', '),
      ),
    );
    const cpus = hostCpus().length;
    const snap0 = takeSnapshot(host.root);
    const before = pair.map((z) => usageNs(host, z.zone));
    const t0 = Date.now();
    await sleep(WINDOW_MS);
    const after = pair.map((z) => usageNs(host, z.zone));
    const elapsedMs = Date.now() - t0;
    const snap1 = takeSnapshot(host.root);
    const ticks = (elapsedMs / 1000) * snap1.host.hz;
    const busy = pair.map((z) => ({ zone: z.zone, n: busyProcesses(snap0.procs, snap1.procs, z.zone, ticks) }));
    const idle = busy.filter((b) => b.n < cpus);
    items.push(
      item(
        `each zone keeps the host's ${cpus} CPUs busy (a busy loop per CPU in each)`,
        idle.length === 0,
        (idle.length ? `${idle.map((b) => `${b.zone} has ${b.n} busy process${b.n === 1 ? '' : 'es'}`).join(', ')}; start ${cpus} loops in each zone (see the sheet)` : busy.map((b) => `${b.zone}: ${b.n} busy`).join(', ')),
      ),
    );
    const used = after.map((a, i) => (a === undefined || before[i] === undefined ? undefined : a - before[i]!));
    if (used[0] === undefined || used[1] === undefined) {
      items.push(item("the zones' CPU use follows their shares", false, "their cgroups' CPU time cannot be read on this host (no cpuacct or cpu.stat)"));
      return items;
    }
    const want = pair[1].shares / pair[0].shares;
    const got = used[1] / used[0];
    const secs = (ns: number) => (ns / 1e9).toFixed(2);
    const ratio = Number.isFinite(got) ? `1:${got.toFixed(2)}` : 'no ratio';
    const seen = `in ${(elapsedMs / 1000).toFixed(1)} s ${pair[0].zone} used ${secs(used[0])} s of CPU and ${pair[1].zone} ${secs(used[1])} s: ${ratio}, configured 1:${want.toFixed(2)}`;
    const near = Number.isFinite(got) && Math.abs(got / want - 1) <= RATIO_TOLERANCE;
    items.push(item("the zones' CPU use follows their shares", near, near ? seen : `${seen} (more than ${RATIO_TOLERANCE * 100} % off; shares decide only while both zones compete on every CPU: pin one loop per CPU in each zone)`));
    return items;
  },
};
