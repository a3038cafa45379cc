/**
 * The zonestat loop (Solaris 11 zonestat.c main): a sample at the start, then one every interval
 * (an interval missed by a busy system is skipped, not made up), each interval printed as it ends,
 * the -R reports every `report` seconds and at the end; it stops after `duration` or when the
 * signal given is aborted (the CLI aborts it on SIGINT, SIGTERM, SIGHUP), printing the reports due.
 * One process, no child: each sample reads a handful of small files per zone (sample.ts).
 */
import type { ResourceType, ZonestatRequest } from '../argv/zonestat.js';
import type { StatGroup } from '../platform/cgroups/index.js';
import { formatJson, formatReport, type PrintContext, type ReportLabel } from './format.js';
import { Sampler, type SamplerOptions } from './sample.js';
import { reportOf, usageBetween, type Usage } from './usage.js';

export interface ZonestatRun {
  /** ZONES_ROOT */
  root: string;
  write(text: string): void;
  signal?: AbortSignal;
  /** test hook: where the zone cgroups are */
  cgroup?: SamplerOptions['cgroup'];
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, Math.max(0, ms));
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The counters a request prints (each is a file or two per zone per sample); --json prints all. */
export function whatToRead(req: ZonestatRequest): Pick<SamplerOptions, 'want' | 'processes' | 'network'> {
  if (req.json) return { processes: true, network: true };
  const has = (r: ResourceType) => req.resources.has(r);
  const want = new Set<StatGroup>();
  if (has('summary') || has('processor-set')) want.add('cpu');
  if (has('processor-set') || (has('summary') && req.parsable)) want.add('shares');
  if (has('summary') || has('physical-memory') || has('virtual-memory')) want.add('memory');
  if (has('processes') || has('lwps')) want.add('pids');
  return { want, processes: has('processes'), network: has('summary') || has('network') };
}

export async function runZonestat(req: ZonestatRequest, run: ZonestatRun): Promise<void> {
  const sampler = new Sampler({ root: run.root, cgroup: run.cgroup, ...whatToRead(req) });
  const emit = (u: Usage, ctx: PrintContext) => run.write(req.json ? formatJson(u, req, ctx) : formatReport(u, req, ctx));
  let last = sampler.sample();
  const t0 = last.atMs;
  const wall0 = last.wallMs;
  const intervalMs = req.interval * 1000;
  if (!req.quiet && !req.parsable && !req.json) run.write('Collecting data for first interval...\n');
  let set: Usage[] = [];
  let count = 0;
  let reports = 0;
  let seconds = 0;
  const printReports = (nowMs: number) => {
    for (const kind of req.reports) {
      const label = `report-${kind}` as ReportLabel;
      const u = reportOf(kind, set);
      emit(u, { label, count: set.length, seconds: Math.round(u.seconds), interval: req.interval, nowMs });
    }
  };
  for (;;) {
    count++;
    const now = performance.now();
    while (now >= t0 + (count + 1) * intervalMs) count++;
    await sleep(t0 + count * intervalMs - now, run.signal);
    if (run.signal?.aborted) break;
    const cur = sampler.sample();
    seconds = Math.round((cur.atMs - t0) / 1000);
    const usage = usageBetween(last, cur);
    last = cur;
    if (!req.quiet) emit(usage, { label: 'interval', count, seconds, interval: req.interval, nowMs: cur.wallMs });
    set.push(usage);
    if (req.reports.length > 0 && Number.isFinite(req.report) && seconds >= (reports + 1) * req.report) {
      printReports(cur.wallMs);
      set = [];
      reports++;
    }
    if (seconds >= req.duration) break;
  }
  if (req.reports.length > 0 && set.length > 0) printReports(wall0 + seconds * 1000);
}
