/**
 * zonestat's output (docs/reference.md#9-zonestat): the text reports and the `-p` lines of Solaris 11
 * zonestat.c (its column formats, widths and number formats), and `--json`. Pure: a Usage and how
 * to print it in, a string out.
 */
import type { LineKind, ResourceType, SortKey, SummarySort, ZonestatRequest } from '../argv/zonestat.js';
import { SYSTEM, TOTAL, type Amount, type Usage, type ZoneLine } from './usage.js';

export type ReportLabel = 'interval' | 'report-total' | 'report-average' | 'report-high';

export interface PrintContext {
  label: ReportLabel;
  /** the interval's number (1, 2...) */
  count: number;
  /** seconds since zonestat started */
  seconds: number;
  /** the interval length asked for */
  interval: number;
  /** when this interval (or report) ended, ms since the epoch */
  nowMs: number;
}

/** What a report prints: the parts of the request the formatting reads. */
export type PrintOptions = Pick<ZonestatRequest, 'zones' | 'resources' | 'defaultPsetOnly' | 'names' | 'timestamp' | 'parsable' | 'lines' | 'sort' | 'summarySort'>;

// ---------------------------------------------------------------- numbers, as zonestat.c prints them

/**
 * A count with a unit letter (format_uint64): 9999, 99.9K, 9999K, 99.9M ... (scale 1024 for
 * memory, 1000 for network bytes); `-p`: plain up to 9999, then whole K.
 */
export function formatCount(val: number | undefined, scale: number, parsable: boolean): string {
  if (val === undefined || !Number.isFinite(val)) return '-';
  let v = Math.floor(val);
  if (v <= 9999) return String(v);
  if (parsable) return `${Math.floor(v / scale)}K`;
  for (const unit of ['K', 'M', 'G', 'T', 'P', 'E']) {
    if (v <= 99999) return `${Math.floor(v / scale)}.${Math.floor((v * 10) / scale) % 10}${unit}`;
    v = Math.floor(v / scale);
    if (v <= 9999) return `${v}${unit}`;
  }
  return `${v}E`;
}

/** A percentage (format_pct): 9.99%, 99.9%, 999%; `-p`: always two decimals. */
export function formatPct(pct: number | undefined, parsable: boolean): string {
  if (pct === undefined || !Number.isFinite(pct)) return '-';
  const h = Math.round(pct * 100); // hundredths of a percent, as libzonestat counts
  if (h <= 999 || parsable) return `${Math.floor(h / 100)}.${String(h % 100).padStart(2, '0')}%`;
  if (h <= 9999) return `${Math.floor(h / 100)}.${Math.floor(h / 10) % 10}%`;
  return `${Math.floor(h / 100)}%`;
}

/** CPUs (format_cpu): 0.50, 12.5, 1234, 12.3K; `-p`: always two decimals. */
export function formatCpus(cpus: number | undefined, parsable: boolean): string {
  if (cpus === undefined || !Number.isFinite(cpus)) return '-';
  const c = Math.round(cpus * 100);
  if (c <= 999 || parsable) return `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
  if (c <= 99999) return `${Math.floor(c / 100)}.${Math.floor(c / 10) % 10}`;
  if (c <= 999999) return String(Math.floor(c / 100));
  return `${(c / 100000).toFixed(1)}K`;
}

/** Elapsed time: `H:MM:SS` (headers), `H-MM-SS.CC` (-p processor-set). */
export function formatDuration(seconds: number, human: boolean): string {
  const cs = Math.round(seconds * 100);
  const s = Math.floor(cs / 100);
  const two = (n: number) => String(n).padStart(2, '0');
  const hms = `${Math.floor(s / 3600)}${human ? ':' : '-'}${two(Math.floor(s / 60) % 60)}${human ? ':' : '-'}${two(s % 60)}`;
  return human ? hms : `${hms}.${two(cs % 100)}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** -T u (seconds), i (ISO 8601, UTC), d (as date(1) prints it, local time). */
export function formatTimestamp(ms: number, kind: 'u' | 'd' | 'i'): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  if (kind === 'u') return String(Math.floor(ms / 1000));
  if (kind === 'i') return `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}T${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}Z`;
  const zone = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? '';
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2)} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} ${zone} ${d.getFullYear()}`;
}

// ---------------------------------------------------------------- the report

class Printer {
  private out: string[] = [];
  constructor(
    private readonly u: Usage,
    private readonly o: PrintOptions,
    private readonly ctx: PrintContext,
  ) {}

  private get p(): boolean {
    return this.o.parsable;
  }
  private line(s: string): void {
    this.out.push(`${s}\n`);
  }
  private has(l: LineKind): boolean {
    return this.o.lines.has(l);
  }
  private ts(ms: number): string {
    return formatTimestamp(ms, this.o.timestamp ?? (this.p ? 'i' : 'd'));
  }
  /** -p lines start with the timestamp when -T was given */
  private pl(fields: (string | number)[]): void {
    this.line(`${this.o.timestamp ? `${this.ts(this.ctx.nowMs)}:` : ''}${[this.ctx.label, ...fields].join(':')}`);
  }
  private zoneWanted(name: string): boolean {
    return this.o.zones.length === 0 || this.o.zones.includes(name);
  }
  private nameWanted(name: string): boolean {
    return this.o.names.length === 0 || this.o.names.some((n) => n === name || `SUNWtmp_${n}` === name);
  }
  private count(v: number | undefined, scale = 1024): string {
    return formatCount(v, scale, this.p);
  }
  private pct(v: number | undefined): string {
    return formatPct(v, this.p);
  }
  private cpus(v: number | undefined): string {
    return formatCpus(v, this.p);
  }

  /** Zones sorted as -S says (default: most used first, then by name), `of` picking the resource. */
  private sorted(zones: readonly ZoneLine[], of: (z: ZoneLine) => Amount): ZoneLine[] {
    const key = (z: ZoneLine, k: SortKey): number | string => {
      const a = of(z);
      if (k === 'name') return z.name;
      if (k === 'used') return a.used ?? 0;
      if (k === 'cap') return a.cap ?? 0;
      if (k === 'pcap') return a.pctCap ?? 0;
      if (k === 'shr') return z.cpu.shares ?? 0;
      return z.cpu.pctSharesUsed ?? 0;
    };
    return [...zones].sort((x, y) => {
      for (const k of this.o.sort) {
        const a = key(x, k);
        const b = key(y, k);
        if (typeof a === 'string' && typeof b === 'string') {
          if (a !== b) return a < b ? -1 : 1;
        } else if (a !== b) return (b as number) - (a as number);
      }
      return 0;
    });
  }

  header(): void {
    const { label, count, seconds, nowMs, interval } = this.ctx;
    if (!this.p) {
      const pre = this.o.timestamp ? `${this.ts(nowMs)}, ` : '';
      if (label === 'interval') {
        this.line(`${pre}Interval: ${count}, Duration: ${formatDuration(seconds, true)}`);
        return;
      }
      const title = { 'report-total': 'Total', 'report-average': 'Average', 'report-high': 'High' }[label];
      this.line(`${pre}Report: ${title} Usage`);
      this.line(`    Start: ${this.ts(this.u.startMs)}`);
      this.line(`      End: ${this.ts(this.u.endMs)}`);
      this.line(`    Intervals: ${count}, Duration: ${formatDuration(seconds, true)}`);
      return;
    }
    if (!this.has('header')) return;
    if (label === 'interval') this.pl(['header', 'since-last-interval', this.ts(nowMs), count, Math.round(seconds)]);
    else this.pl(['header', this.ts(this.u.startMs), this.ts(this.u.endMs), interval, Math.round(seconds)]);
  }

  footer(): void {
    if (!this.p || !this.has('header')) return;
    this.pl(['footer', this.ts(this.ctx.nowMs), this.ctx.interval, Math.round(this.ctx.seconds)]);
  }

  summary(): void {
    if (!this.nameWanted('summary')) return;
    const u = this.u;
    const width = Math.max(19, ...u.zones.map((z) => z.name.length));
    const mem = this.count(u.memoryBytes);
    const vm = this.count(u.virtualMemoryBytes);
    if (this.p) {
      if (this.has('resource')) this.pl(['summary', '[resource]', this.count(u.cpus.present), this.count(u.cpus.online), mem, vm]);
    } else {
      this.line(`${'SUMMARY'.padEnd(width)} ${`Cpus/Online: ${u.cpus.present}/${u.cpus.online}`.padStart(22)} ${`PhysMem: ${mem}`.padStart(16)} ${`VirtMem: ${vm}`.padStart(15)}`);
      this.line(`${''.padEnd(width)} ${'---CPU----'.padStart(10)} ${'--PhysMem--'.padStart(12)} ${'--VirtMem--'.padStart(11)} ${'--PhysNet--'.padStart(10)}`);
      this.line(`${'ZONE'.padStart(width)} ${['USED', '%PART', 'USED', '%USED', 'USED', '%USED', 'PBYTE', '%PUSE'].map((c) => c.padStart(5)).join(' ')}`);
    }
    const row = (z: ZoneLine, capped: boolean) => {
      const net = z.network;
      const cells = {
        cused: this.cpus(z.cpu.used),
        ppart: this.pct(z.cpu.pct),
        pccap: capped ? this.pct(z.cpu.pctCap) : '-',
        pshru: capped ? this.pct(z.cpu.pctSharesUsed) : '-',
        mused: this.count(z.physicalMemory.used),
        mpct: this.pct(z.physicalMemory.pct),
        pmcap: capped ? this.pct(z.physicalMemory.pctCap) : '-',
        vused: this.count(z.virtualMemory.used),
        vpct: this.pct(z.virtualMemory.pct),
        pvcap: capped ? this.pct(z.virtualMemory.pctCap) : '-',
        nused: net ? this.count(net.bytes, 1000) : '-',
        nppct: net ? this.pct(net.pct) : '-',
      };
      if (this.p) {
        const c = cells;
        this.pl(['summary', z.name, c.cused, c.ppart, c.pccap, c.pshru, c.mused, c.mpct, c.pmcap, c.vused, c.vpct, c.pvcap, c.nused, c.nppct]);
      } else {
        const c = cells;
        this.line(`${z.name.padStart(width)} ${[c.cused, c.ppart, c.mused, c.mpct, c.vused, c.vpct, c.nused, c.nppct].map((s) => s.padStart(5)).join(' ')}`);
      }
    };
    if (this.has('total')) row(u.total, false);
    if (this.has('system')) row(u.system, false);
    if (this.has('zones')) {
      const by: Record<SummarySort, (z: ZoneLine) => Amount> = {
        cpu: (z) => z.cpu,
        'physical-memory': (z) => z.physicalMemory,
        'virtual-memory': (z) => z.virtualMemory,
        network: (z) => ({ used: z.network?.bytes }),
      };
      for (const z of this.sorted(u.zones, by[this.o.summarySort])) if (this.zoneWanted(z.name)) row(z, true);
    }
    if (!this.p) this.line('');
  }

  /** physical-memory, virtual-memory, processes, lwps: zonestat_print_res. */
  resource(res: 'physical-memory' | 'virtual-memory' | 'processes' | 'lwps'): void {
    const spec = {
      'physical-memory': { header: 'PHYSICAL-MEMORY', size: 'SYSTEM MEMORY', name: 'mem_default', total: this.u.memoryBytes, of: (z: ZoneLine) => z.physicalMemory },
      'virtual-memory': { header: 'VIRTUAL-MEMORY', size: 'SYSTEM MEMORY', name: 'vm_default', total: this.u.virtualMemoryBytes, of: (z: ZoneLine) => z.virtualMemory },
      processes: { header: 'PROCESSES', size: 'SYSTEM LIMIT', name: 'system-limit', total: this.u.limits.processes, of: (z: ZoneLine) => z.processes },
      lwps: { header: 'LWPS', size: 'SYSTEM LIMIT', name: 'system-limit', total: this.u.limits.lwps, of: (z: ZoneLine) => z.lwps },
    }[res];
    if (!this.nameWanted(spec.name)) return;
    const resWidth = Math.max(28, res.length);
    if (!this.p) this.line(`${spec.header.padEnd(resWidth)} ${spec.size.padStart(13)}`);
    if (this.has('resource')) {
      if (this.p) this.pl([res, spec.name, '[resource]', this.count(spec.total)]);
      else this.line(`${spec.name.padEnd(resWidth)} ${this.count(spec.total).padStart(13)}`);
    }
    const width = Math.max(36, ...this.u.zones.map((z) => z.name.length));
    if (!this.p) this.line(`${'ZONE'.padStart(width)} ${['USED', '%USED', 'CAP', '%CAP'].map((c) => c.padStart(5)).join(' ')}`);
    const row = (z: ZoneLine, capped: boolean) => {
      const a = spec.of(z);
      const cells = [this.count(a.used), this.pct(a.pct), capped ? this.count(a.cap) : '-', capped ? this.pct(a.pctCap) : '-'];
      if (this.p) this.pl([res, spec.name, z.name, ...cells]);
      else this.line(`${z.name.padStart(width)} ${cells.map((c) => c.padStart(5)).join(' ')}`);
    };
    if (this.has('total')) row(this.u.total, false);
    if (this.has('system')) row(this.u.system, false);
    if (this.has('zones')) for (const z of this.sorted(this.u.zones, spec.of)) if (this.zoneWanted(z.name)) row(z, true);
    if (!this.p) this.line('');
  }

  psets(): void {
    for (const ps of this.u.psets) {
      if (this.o.defaultPsetOnly && ps.type !== 'default-pset') continue;
      if (this.o.zones.length > 0 && !ps.zones.some((z) => this.zoneWanted(z))) continue;
      const shown = ps.name; // a dedicated set is named after its zone (Solaris strips SUNWtmp_)
      if (!this.nameWanted(ps.type === 'dedicated-cpu' ? `SUNWtmp_${ps.name}` : ps.name)) continue;
      const nameWidth = Math.max(22, shown.length);
      const size = ps.cpus.length;
      if (!this.p) this.line(`${'PROCESSOR_SET'.padEnd(nameWidth)} ${'TYPE'.padStart(13)}  ${'ONLINE/CPUS'.padStart(11)} ${'MIN/MAX'.padStart(11)}`);
      if (this.has('resource')) {
        if (this.p) this.pl(['processor-set', ps.type, shown, '[resource]', this.count(ps.online), this.count(size), this.count(size), this.count(size), formatDuration(this.u.seconds * size, false)]);
        else this.line(`${shown.padEnd(nameWidth)} ${ps.type.padStart(13)}  ${`${ps.online}/${size}`.padStart(11)} ${`${size}/${size}`.padStart(11)}`);
      }
      const members = this.u.zones.filter((z) => ps.zones.includes(z.name));
      const width = Math.max(36, ...members.map((z) => z.name.length));
      if (!this.p) this.line(`${'ZONE'.padStart(width)} ${['USED', '%USED', 'CAP', '%CAP'].map((c) => c.padStart(5)).join(' ')} ${'SHRS'.padStart(6)} ${['%SHR', '%SHRU'].map((c) => c.padStart(5)).join(' ')}`);
      const row = (name: string, a: Amount, cap: number | undefined, pctCap: number | undefined, shares: number | undefined, pctShares: number | undefined, pctSharesUsed: number | undefined) => {
        const cells = [this.cpus(a.used), this.pct(a.pct), this.cpus(cap), this.pct(pctCap), shares === undefined ? '-' : this.count(shares), this.pct(pctShares), this.pct(pctSharesUsed)];
        if (this.p) this.pl(['processor-set', ps.type, shown, name, ...cells, formatDuration((a.used ?? 0) * this.u.seconds, false)]);
        else this.line(`${name.padStart(width)} ${cells.slice(0, 4).map((c) => c.padStart(5)).join(' ')} ${cells[4]!.padStart(6)} ${cells.slice(5).map((c) => c.padStart(5)).join(' ')}`);
      };
      if (this.has('total')) row(TOTAL, ps.total, undefined, undefined, ps.total.shares, undefined, undefined);
      if (this.has('system')) row(SYSTEM, ps.system, undefined, undefined, undefined, undefined, undefined);
      if (this.has('zones')) {
        for (const z of this.sorted(members, (m) => m.cpu)) {
          if (!this.zoneWanted(z.name)) continue;
          const c = z.cpu;
          row(z.name, c, c.cap, c.pctCap, c.shares, c.pctShares, c.pctSharesUsed);
        }
      }
      if (!this.p) this.line('');
    }
  }

  network(): void {
    // One device per bridge (an etherstub to Solaris), its zones below it.
    const devices = new Map<string, { state: string; speedMbps?: number; bridged: boolean; zones: ZoneLine[] }>();
    for (const z of this.u.zones) {
      for (const l of z.network?.links ?? []) {
        const key = l.bridge ?? l.link;
        const d = devices.get(key) ?? { state: l.state, speedMbps: l.speedMbps, bridged: l.bridge !== undefined, zones: [] };
        if (!d.zones.includes(z)) d.zones.push(z);
        devices.set(key, d);
      }
    }
    for (const [name, d] of devices) {
      if (this.o.zones.length > 0 && !d.zones.some((z) => this.zoneWanted(z.name))) continue;
      if (!this.nameWanted(name)) continue;
      const speed = d.bridged || !d.speedMbps ? 'n/a' : d.speedMbps > 9999 ? `${Math.floor(d.speedMbps / 1000)}gbps` : `${d.speedMbps}mbps`;
      const type = d.bridged ? 'etherstub' : 'vnic';
      const resWidth = Math.max(28, name.length);
      if (this.p) {
        this.pl(['network', name, '[resource]', speed, d.state, type]);
      } else {
        this.line(`${'NETWORK-DEVICE'.padEnd(28)} ${'SPEED'.padStart(8)}  ${'STATE'.padStart(11)} ${'TYPE'.padStart(11)}`);
        this.line(`${name.padEnd(resWidth)} ${speed.padStart(8)}  ${d.state.padStart(11)} ${type.padStart(11)}`);
      }
      const width = Math.max(24, ...d.zones.map((z) => z.name.length));
      if (!this.p) this.line(`${'ZONE'.padStart(width)} ${['TOBYTE', 'MAXBW', '%MAXBW', 'PRBYTE'].map((c) => c.padStart(6)).join(' ')} ${'%PRBYTE'.padStart(7)} ${'POBYTE'.padStart(6)} ${'%POBYTE'.padStart(7)}`);
      const zones = [...d.zones].sort((x, y) => (y.network?.bytes ?? 0) - (x.network?.bytes ?? 0) || (x.name < y.name ? -1 : 1));
      for (const z of zones) {
        if (!this.zoneWanted(z.name)) continue;
        const links = z.network!.links.filter((l) => (l.bridge ?? l.link) === name);
        const rx = links.reduce((s, l) => s + l.rxBytes, 0);
        const tx = links.reduce((s, l) => s + l.txBytes, 0);
        const n = (v: number) => this.count(v, 1000);
        if (this.p) this.pl(['network', '<zone view>', z.name, n(rx), n(tx), n(rx + tx), '-', '-', n(rx), '-', n(tx), '-']);
        else this.line(`${z.name.padStart(width)} ${[n(rx + tx), '-', '-', n(rx)].map((c) => c.padStart(6)).join(' ')} ${'-'.padStart(7)} ${n(tx).padStart(6)} ${'-'.padStart(7)}`);
      }
      if (!this.p) this.line('');
    }
  }

  print(): string {
    this.header();
    const r = (t: ResourceType) => this.o.resources.has(t);
    if (r('summary')) this.summary();
    if (r('physical-memory')) this.resource('physical-memory');
    if (r('virtual-memory')) this.resource('virtual-memory');
    if (r('processor-set')) this.psets();
    if (r('processes')) this.resource('processes');
    if (r('lwps')) this.resource('lwps');
    if (r('network')) this.network();
    this.footer();
    return this.out.join('');
  }
}

/** One interval or report as text (or `-p` lines). */
export function formatReport(u: Usage, o: PrintOptions, ctx: PrintContext): string {
  return new Printer(u, o, ctx).print();
}

/** One interval or report as a JSON line: the usage with exact numbers, the zones -z names. */
export function formatJson(u: Usage, o: Pick<PrintOptions, 'zones'>, ctx: PrintContext): string {
  const zones = o.zones.length === 0 ? u.zones : u.zones.filter((z) => o.zones.includes(z.name));
  const report = ctx.label === 'interval' ? 'interval' : ctx.label.slice('report-'.length);
  return `${JSON.stringify({ report, interval: ctx.count, elapsed: ctx.seconds, time: new Date(ctx.nowMs).toISOString(), ...u, zones })}\n`;
}
