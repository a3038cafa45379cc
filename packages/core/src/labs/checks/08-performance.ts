/**
 * Lab 08 (docs/labs/08-performance.md): host memory as 1, 5 and 10 sparse zones boot. What the
 * student measured before and after each step cannot be seen afterwards, so it is recorded with
 * `zonelab answer 08 ...`; the check compares what can still be measured with the kernel now:
 * MemAvailable (a generous tolerance: other work on the host moves it), one zone's cgroup memory,
 * one supervisor's resident set, and the inode of the libc every zone's init maps (the host's
 * own file under the inherited /usr: one copy of its text pages for the host and every zone).
 */
import { statSync } from 'node:fs';
import { hostMemory } from '../../platform/host-stats.js';
import { processMappedFiles } from '../../platform/proc-maps.js';
import { processStatusField } from '../../platform/proc.js';
import type { LabHost } from '../host.js';
import { type CheckItem, type Lab, item } from '../lab.js';

const MiB = 1024 * 1024;
const STEPS = [0, 1, 5, 10] as const;

/** `1234`, `1234M`, `1.2G`, `796kB`... in bytes; a bare number is in `unit` bytes. */
export function parseSize(value: string | undefined, unit: number): number | undefined {
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([kKmMgG]?)(?:i?B)?\s*$/.exec(value ?? '');
  if (!m) return undefined;
  const scale = { '': unit, k: 1024, m: MiB, g: 1024 * MiB }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Number(m[1]) * scale;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const near = (said: number, truth: number, rel: number, abs: number): boolean => Math.abs(said - truth) <= Math.max(abs, rel * truth);
const mib = (b: number): string => `${(b / MiB).toFixed(b < 100 * MiB ? 1 : 0)} MiB`;

/** The running zones that inherit directories from the host (small zones). */
function runningSparse(host: LabHost): string[] {
  return host.zoneNames().filter((z) => host.running(z) && host.resources(z, 'inherit-pkg-dir').length > 0);
}

function memoryItems(host: LabHost, zones: string[]): CheckItem[] {
  const a = host.answers(8);
  const mem = hostMemory();
  const avail = STEPS.map((n) => parseSize(a[`avail-${n}`], MiB));
  const missing = STEPS.filter((_, i) => avail[i] === undefined || avail[i]! <= 0 || avail[i]! > mem.totalBytes);
  const items: CheckItem[] = [];
  if (missing.length) {
    items.push(item('MemAvailable recorded with 0, 1, 5 and 10 zones running', false, `record it in MiB (free -m, column available): ${missing.map((n) => `zonelab answer 08 avail-${n} MIB`).join('; ')}`));
  } else {
    const [a0, a1, , a10] = avail as number[];
    items.push(item('MemAvailable recorded with 0, 1, 5 and 10 zones running', true, `${STEPS.map((n, i) => `${n}: ${mib(avail[i]!)}`).join(', ')}; about ${mib(Math.max(0, a0! - a10!) / 10)} per zone (${mib(Math.max(0, a1! - a10!) / 9)} from the 2nd to the 10th)`));
    // other work on the host moves MemAvailable by hundreds of MiB: a tenth of the memory, at least 1 GiB
    const tolerance = Math.max(1024 * MiB, mem.totalBytes / 10);
    items.push(
      item(
        'the MemAvailable recorded with 10 zones is what the host has now',
        zones.length >= 10 && Math.abs(a10! - mem.availableBytes) <= tolerance,
        `recorded ${mib(a10!)}, now ${mib(mem.availableBytes)}${zones.length < 10 ? ' (with fewer than 10 zones running)' : ''}`,
      ),
    );
  }

  const zoneMem = zones.map((z) => host.cgroup(z).stats(new Set(['memory'])).memoryBytes).filter((b): b is number => b !== undefined);
  const saidZone = parseSize(a['zone-mem'], MiB);
  const zWhat = "a zone's memory (zonestat's USED, its cgroup) is recorded";
  if (saidZone === undefined) items.push(item(zWhat, false, 'zonestat -r physical-memory 1 1, then: zonelab answer 08 zone-mem MIB (one zone\'s USED)'));
  else if (zoneMem.length === 0) items.push(item(zWhat, false, 'no running small zone to compare with'));
  else {
    const m = median(zoneMem);
    items.push(item(zWhat, near(saidZone, m, 0.5, 4 * MiB), `recorded ${mib(saidZone)}; the zones' cgroups hold ${mib(Math.min(...zoneMem))} to ${mib(Math.max(...zoneMem))} now`));
  }

  const rss = zones.map((z) => Number(/(\d+)/.exec(processStatusField(host.runtime(z)?.supervisorPid ?? 0, 'VmRSS') ?? '')?.[1])).filter((k) => k > 0);
  const saidRss = parseSize(a['supervisor-rss'], 1024);
  const sWhat = "a zone supervisor's resident memory (VmRSS) is recorded";
  if (saidRss === undefined) items.push(item(sWhat, false, 'grep VmRSS /proc/$(cat $ZONES_ROOT/var/run/zones/ZONE/zoneadmd.pid)/status, then: zonelab answer 08 supervisor-rss KB'));
  else if (rss.length === 0) items.push(item(sWhat, false, 'no running zone supervisor to compare with'));
  else {
    const m = median(rss) * 1024;
    items.push(item(sWhat, near(saidRss, m, 0.5, 256 * 1024), `recorded ${(saidRss / 1024).toFixed(0)} kB; the supervisors have ${median(rss)} kB now`));
  }
  return items;
}

/** Every zone's init maps one libc: the host's file, the same inode; the student recorded it. */
function sharedTextItem(host: LabHost, zones: string[]): CheckItem {
  const what = 'the libc every zone maps is the host\'s own file (one copy of its text pages)';
  const said = host.answers(8)['libc-inode'];
  const libcs = zones.map((z) => processMappedFiles(host.runtime(z)?.initPid ?? 0).find((f) => /\/libc\.so\.6$/.test(f.path) && f.perms.includes('x')));
  const first = libcs.find((l) => l !== undefined);
  if (!first) return item(what, false, 'no running small zone maps a libc: boot the zones first');
  let hostInode: number | undefined;
  try {
    hostInode = statSync(first.path).ino;
  } catch {
    hostInode = undefined;
  }
  const all = libcs.every((l) => l?.inode === hostInode);
  if (!said) return item(what, false, `grep libc /proc/$(cat $ZONES_ROOT/var/run/zones/ZONE/init.pid)/maps, then: zonelab answer 08 libc-inode INODE (the number before the path)`);
  if (Number(said) !== hostInode) return item(what, false, `${said} is not the inode of ${first.path} (ls -i ${first.path} in the global zone)`);
  return item(what, all, all ? `${zones.length} zones' inits and the host map ${first.path}, inode ${hostInode}: the page cache holds it once` : 'not every zone maps the host\'s libc');
}

export const memoryOfZones: Lab = {
  id: 8,
  slug: 'performance',
  title: 'performance: memory of 1, 5 and 10 zones',
  seed: 'OpenSolaris zones workshop, Ejercicio 8 (Performance)',
  async check(host) {
    const zones = runningSparse(host);
    return [
      item('10 small (sparse) zones are running', zones.length >= 10, zones.length ? `running: ${zones.join(', ')}` : 'none yet: configure, install and boot them (the sheet\'s steps)'),
      ...memoryItems(host, zones),
      sharedTextItem(host, zones),
    ];
  },
};
