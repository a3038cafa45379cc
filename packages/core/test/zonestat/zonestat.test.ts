/**
 * zonestat's arithmetic and output on two fixed samples (samples.ts), and its command line: the
 * Solaris 11 layouts and messages (docs/reference.md#9-zonestat). No I/O.
 */
import { describe, expect, test } from '@jest/globals';
import { parseTime, parseZonestatArgs, type ZonestatRequest } from '../../src/argv/zonestat.js';
import { formatCount, formatCpus, formatJson, formatPct, formatReport, formatTimestamp, type PrintContext } from '../../src/zonestat/format.js';
import { reportOf, usageBetween } from '../../src/zonestat/usage.js';
import { after, before } from './samples.js';

const req = (...argv: string[]): ZonestatRequest => {
  const r = parseZonestatArgs(argv);
  if (!r.ok) throw new Error(`not a valid line: ${argv.join(' ')}`);
  return r.request;
};
const ctx: PrintContext = { label: 'interval', count: 1, seconds: 5, interval: 5, nowMs: after.wallMs };
const u = usageBetween(before, after);
const text = (...argv: string[]) => formatReport(u, req(...argv, '5', '1'), ctx);
const block = (s: string) => `${s.replace(/^\n/, '')}`;

describe('the arithmetic', () => {
  test('CPU is the cgroup counter over the interval, against the processor set and the cap', () => {
    const web = u.zones.find((z) => z.name === 'web')!;
    expect(web.cpu).toMatchObject({ used: 0.5, pct: 50, cap: 0.5, pctCap: 100, pset: 'pset_default', shares: 1024, pctShares: 25, pctSharesUsed: 200 });
    const db = u.zones.find((z) => z.name === 'db')!;
    // dedicated-cpu: its own set (CPU 1), which the default set no longer has
    expect(db.cpu).toMatchObject({ used: 0.8, pct: 80, pset: 'db' });
    expect(u.psets.map((p) => [p.name, p.cpus])).toEqual([['pset_default', [0]], ['db', [1]]]);
  });
  test('the global zone is what neither the kernel ([system]) nor a zone accounts for', () => {
    expect(u.total.cpu.used).toBeCloseTo(1.8);
    expect(u.system.cpu.used).toBeCloseTo(0.1);
    const g = u.zones[0]!;
    expect(g.name).toBe('global');
    expect(g.id).toBe(0);
    expect(g.cpu.used).toBeCloseTo(0.4);
    expect(g.physicalMemory.used).toBe(1074 * 2 ** 20 - 100 * 2 ** 20 - 460 * 2 ** 20);
    expect(g.lwps.used).toBe(300 - 52);
  });
  test('processes and lwps against pids.max; memory against its cap', () => {
    const web = u.zones.find((z) => z.name === 'web')!;
    expect(web.lwps).toMatchObject({ used: 40, cap: 300 });
    expect(web.lwps.pctCap).toBeCloseTo(13.333);
    expect(web.processes).toMatchObject({ used: 12, cap: 300, pctCap: 4 });
    expect(web.physicalMemory).toMatchObject({ used: 150 * 2 ** 20, cap: 256 * 2 ** 20 });
  });
  test('network: the host end sent what the zone received', () => {
    const web = u.zones.find((z) => z.name === 'web')!;
    expect(web.network!.links).toEqual([{ link: 'zn1', bridge: 'zsbr0', state: 'up', speedMbps: 10000, rxBytes: 250_000, txBytes: 5000 }]);
    expect(web.network!.bytes).toBe(255_000);
    expect(u.total.network!.bytes).toBe(255_000);
    expect(u.zones.find((z) => z.name === 'db')!.network).toBeUndefined();
  });
  test('a counter that went backwards (a zone rebooted between samples) counts as no use', () => {
    const back = usageBetween(after, { ...before, atMs: 11_000, zones: before.zones });
    expect(back.zones.find((z) => z.name === 'web')!.cpu.used).toBe(0);
  });
  test('reports: high is the highest interval, average the mean while running, total over the whole period', () => {
    const idle = usageBetween(after, { ...after, atMs: 11_000, wallMs: after.wallMs + 5000, zones: [after.zones[1]!, after.zones[2]!] });
    const web = (x: ReturnType<typeof reportOf>) => x.zones.find((z) => z.name === 'web')!;
    expect(web(reportOf('high', [u, idle])).cpu.used).toBe(0.5);
    expect(web(reportOf('average', [u, idle])).cpu.used).toBe(0.5); // web ran in one of the two
    expect(web(reportOf('total', [u, idle])).cpu.used).toBe(0.25);
    expect(web(reportOf('total', [u, u])).network!.bytes).toBe(510_000);
    expect(reportOf('total', [u, idle]).seconds).toBe(10);
  });
});

describe('numbers as zonestat.c prints them', () => {
  test('counts, percentages, CPUs', () => {
    expect([0, 9999, 10000, 99999, 100000, 1024 * 9999, 1024 * 10000, 2 * 2 ** 30].map((v) => formatCount(v, 1024, false))).toEqual(['0', '9999', '9.7K', '97.6K', '97K', '9999K', '9.7M', '2048M']);
    expect([9999, 12345, 2 * 2 ** 30].map((v) => formatCount(v, 1024, true))).toEqual(['9999', '12K', '2097152K']);
    expect(formatCount(undefined, 1024, false)).toBe('-');
    expect([0, 5, 9.99, 12.34, 99.94, 100, 250].map((p) => formatPct(p, false))).toEqual(['0.00%', '5.00%', '9.99%', '12.3%', '99.9%', '100%', '250%']);
    expect(formatPct(100, true)).toBe('100.00%');
    expect([0, 0.5, 9.99, 12.34, 1234].map((c) => formatCpus(c, false))).toEqual(['0.00', '0.50', '9.99', '12.3', '1234']);
    expect(formatCpus(12.34, true)).toBe('12.34');
  });
  test('timestamps', () => {
    expect(formatTimestamp(after.wallMs, 'u')).toBe(String(after.wallMs / 1000));
    expect(formatTimestamp(after.wallMs, 'i')).toBe('20260102T030410Z');
  });
});

describe('the text reports', () => {
  test('the default summary: [total], [system], the zones by CPU used, the global zone among them', () => {
    expect(formatReport(u, req('5', '1'), ctx)).toBe(block(`
Interval: 1, Duration: 0:00:05
SUMMARY                   Cpus/Online: 2/2   PhysMem: 2048M  VirtMem: 3072M
                    ---CPU----  --PhysMem-- --VirtMem-- --PhysNet--
               ZONE  USED %PART  USED %USED  USED %USED PBYTE %PUSE
            [total]  1.80 90.0% 1074M 52.4% 1074M 34.9%  255K 0.00%
           [system]  0.10 5.00%  100M 4.88%  100M 3.26%     -     -
                 db  0.80 80.0%  300M 14.6%  300M 9.77%     -     -
                web  0.50 50.0%  150M 7.32%  150M 4.88%  255K 0.00%
             global  0.40 40.0%  514M 25.1%  514M 16.7%     -     -
               idle  0.00 0.00% 10.0M 0.49% 10.0M 0.33%     -     -

`));
  });
  test('-z keeps [total] and [system] and the zones named; -T prefixes the interval line', () => {
    expect(text('-z', 'web,idle', '-T', 'i').split('\n').slice(0, 1)).toEqual(['20260102T030410Z, Interval: 1, Duration: 0:00:05']);
    expect(text('-z', 'web', '-z', 'idle').split('\n').slice(4).map((l) => l.trim().split(' ')[0])).toEqual(['[total]', '[system]', 'web', 'idle', '', '']);
  });
  test('processor sets: the cap and the shares of each zone', () => {
    expect(text('-r', 'psets')).toBe(block(`
Interval: 1, Duration: 0:00:05
PROCESSOR_SET                   TYPE  ONLINE/CPUS     MIN/MAX
pset_default            default-pset          1/1         1/1
                                ZONE  USED %USED   CAP  %CAP   SHRS  %SHR %SHRU
                             [total]  0.80 80.0%     -     -   4096     -     -
                            [system]  0.10 10.0%     -     -      -     -     -
                                 web  0.50 50.0%  0.50  100%   1024 25.0%  200%
                              global  0.40 40.0%     -     -      -     -     -
                                idle  0.00 0.00%     -     -   3072 75.0% 0.00%

PROCESSOR_SET                   TYPE  ONLINE/CPUS     MIN/MAX
db                     dedicated-cpu          1/1         1/1
                                ZONE  USED %USED   CAP  %CAP   SHRS  %SHR %SHRU
                             [total]  1.00  100%     -     -   1024     -     -
                            [system]  0.00 0.00%     -     -      -     -     -
                                  db  0.80 80.0%     -     -   1024  100% 80.0%

`));
    expect(text('-r', 'default-pset')).not.toContain('dedicated-cpu');
    expect(text('-r', 'psets', '-z', 'db')).not.toContain('pset_default');
  });
  test('lwps against max-lwps, physical memory against capped-memory', () => {
    expect(text('-r', 'lwps,physical-memory')).toBe(block(`
Interval: 1, Duration: 0:00:05
PHYSICAL-MEMORY              SYSTEM MEMORY
mem_default                          2048M
                                ZONE  USED %USED   CAP  %CAP
                             [total] 1074M 52.4%     -     -
                            [system]  100M 4.88%     -     -
                              global  514M 25.1%     -     -
                                  db  300M 14.6%     -     -
                                 web  150M 7.32%  256M 58.5%
                                idle 10.0M 0.49%     -     -

LWPS                          SYSTEM LIMIT
system-limit                          185K
                                ZONE  USED %USED   CAP  %CAP
                             [total]   300 0.16%     -     -
                            [system]     -     -     -     -
                              global   248 0.13%     -     -
                                 web    40 0.02%   300 13.3%
                                  db    10 0.01%     -     -
                                idle     2 0.00%     -     -

`));
  });
  test('network: one device per bridge, the bytes each zone received and sent', () => {
    expect(text('-r', 'network')).toBe(block(`
Interval: 1, Duration: 0:00:05
NETWORK-DEVICE                  SPEED        STATE        TYPE
zsbr0                             n/a           up   etherstub
                    ZONE TOBYTE  MAXBW %MAXBW PRBYTE %PRBYTE POBYTE %POBYTE
                     web   255K      -      -   250K       -   5000       -

`));
  });
  test('a report: its header, then the resources', () => {
    const r = formatReport(reportOf('high', [u, u]), req('-R', 'high', '-z', 'web', '5', '1'), { ...ctx, label: 'report-high', count: 2, seconds: 10 });
    expect(r.split('\n').slice(0, 4)).toEqual(['Report: High Usage', `    Start: ${formatTimestamp(before.wallMs, 'd')}`, `      End: ${formatTimestamp(after.wallMs, 'd')}`, '    Intervals: 2, Duration: 0:00:10']);
    expect(r).toContain('                web  0.50 50.0%  150M 7.32%  150M 4.88%  255K 0.00%\n');
  });
});

describe('-p and --json', () => {
  test('-p: header, the summary with its cap columns, processor sets, footer', () => {
    expect(text('-p', '-r', 'summary,psets')).toBe(block(`
interval:header:since-last-interval:20260102T030410Z:1:5
interval:summary:[resource]:2:2:2097152K:3145728K
interval:summary:[total]:1.80:90.00%:-:-:1099776K:52.44%:-:1099776K:34.96%:-:255K:0.00%
interval:summary:[system]:0.10:5.00%:-:-:102400K:4.88%:-:102400K:3.26%:-:-:-
interval:summary:db:0.80:80.00%:-:80.00%:307200K:14.65%:-:307200K:9.77%:-:-:-
interval:summary:web:0.50:50.00%:100.00%:200.00%:153600K:7.32%:58.59%:153600K:4.88%:-:255K:0.00%
interval:summary:global:0.40:40.00%:-:-:526336K:25.10%:-:526336K:16.73%:-:-:-
interval:summary:idle:0.00:0.00%:-:0.00%:10240K:0.49%:-:10240K:0.33%:-:-:-
interval:processor-set:default-pset:pset_default:[resource]:1:1:1:1:0-00-05.00
interval:processor-set:default-pset:pset_default:[total]:0.80:80.00%:-:-:4096:-:-:0-00-04.00
interval:processor-set:default-pset:pset_default:[system]:0.10:10.00%:-:-:-:-:-:0-00-00.50
interval:processor-set:default-pset:pset_default:web:0.50:50.00%:0.50:100.00%:1024:25.00%:200.00%:0-00-02.50
interval:processor-set:default-pset:pset_default:global:0.40:40.00%:-:-:-:-:-:0-00-02.00
interval:processor-set:default-pset:pset_default:idle:0.00:0.00%:-:-:3072:75.00%:0.00%:0-00-00.00
interval:processor-set:dedicated-cpu:db:[resource]:1:1:1:1:0-00-05.00
interval:processor-set:dedicated-cpu:db:[total]:1.00:100.00%:-:-:1024:-:-:0-00-05.00
interval:processor-set:dedicated-cpu:db:[system]:0.00:0.00%:-:-:-:-:-:0-00-00.00
interval:processor-set:dedicated-cpu:db:db:0.80:80.00%:-:-:1024:100.00%:80.00%:0-00-04.00
interval:footer:20260102T030410Z:5:5
`));
  });
  test('-p -P picks the lines; -T u prefixes each line', () => {
    expect(text('-p', '-P', 'zones', '-z', 'web')).toBe('interval:summary:web:0.50:50.00%:100.00%:200.00%:153600K:7.32%:58.59%:153600K:4.88%:-:255K:0.00%\n');
    expect(text('-p', '-T', 'u', '-P', 'total,header').split('\n')).toEqual([
      `${after.wallMs / 1000}:interval:header:since-last-interval:${after.wallMs / 1000}:1:5`,
      `${after.wallMs / 1000}:interval:summary:[total]:1.80:90.00%:-:-:1099776K:52.44%:-:1099776K:34.96%:-:255K:0.00%`,
      `${after.wallMs / 1000}:interval:footer:${after.wallMs / 1000}:5:5`,
      '',
    ]);
    expect(text('-p', '-r', 'network')).toContain('interval:network:zsbr0:[resource]:n/a:up:etherstub\ninterval:network:<zone view>:web:250K:5000:255K:-:-:250K:-:5000:-\n');
  });
  test('--json: one line, exact numbers, the zones -z names', () => {
    const line = formatJson(u, req('--json', '-z', 'web', '5'), ctx);
    expect(line.endsWith('}\n')).toBe(true);
    expect(line.trim().split('\n')).toHaveLength(1);
    const j = JSON.parse(line);
    expect(j).toMatchObject({ report: 'interval', interval: 1, elapsed: 5, time: '2026-01-02T03:04:10.000Z', seconds: 5, cpus: { present: 2, online: 2 } });
    expect(j.zones.map((z: { name: string }) => z.name)).toEqual(['web']);
    expect(j.zones[0].cpu).toMatchObject({ used: 0.5, cap: 0.5, pctCap: 100 });
    expect(j.zones[0].lwps).toMatchObject({ used: 40, cap: 300 });
    expect(j.total.name).toBe('[total]');
  });
});

describe('the command line', () => {
  const err = (...argv: string[]) => {
    const r = parseZonestatArgs(argv);
    return r.ok ? 'ok' : r.explicit ? 'explicit' : r.messages;
  };
  test('interval, duration and report: counts of intervals or [Nh][Nm][Ns]', () => {
    expect(req('5')).toMatchObject({ interval: 5, duration: Infinity, report: Infinity, resources: new Set(['summary']) });
    expect(req('5', '1')).toMatchObject({ interval: 5, duration: 5 });
    expect(req('10s', '3m', '3m')).toMatchObject({ interval: 10, duration: 180, report: 180 });
    expect(req('1', '3', '2')).toMatchObject({ duration: 3, report: 2 });
    expect(req('default', 'inf')).toMatchObject({ interval: 5, duration: Infinity });
    expect(parseTime('1h2m3s')).toEqual({ seconds: 3723, formatted: true });
    expect(parseTime('0x10')).toEqual({ seconds: 16, formatted: false });
    expect(parseTime('5x')).toBeUndefined();
  });
  test('resources and nicknames; -n alone asks for all', () => {
    expect([...req('-r', 'limits', '1').resources]).toEqual(['processes', 'lwps']);
    expect([...req('-r', 'memory', '-r', 'network', '1').resources]).toEqual(['physical-memory', 'virtual-memory', 'network']);
    expect(req('-n', 'mem_default', '1').resources.size).toBe(7);
    expect(req('-r', 'default-pset', '1').defaultPsetOnly).toBe(true);
    expect(req('-r', 'default-pset,psets', '1').defaultPsetOnly).toBe(false);
  });
  test('bad input: the Solaris messages, in its order', () => {
    expect(err()).toEqual(['Interval required.']);
    expect(err('0')).toEqual(['Invalid interval: "0"']);
    expect(err('x')).toEqual(['Invalid interval: "x"']);
    expect(err('1', 'y')).toEqual(['Invalid duration: "y"']);
    expect(err('1', '2', '0')).toEqual(['Invalid report period: "0"']);
    expect(err('-k', '1')).toEqual(['unrecongnized option: -k']);
    expect(err('--bogus', '1')).toEqual(['unrecongnized option: --bogus']);
    expect(err('-z')).toEqual([]); // a missing value: the usage alone
    expect(err('-T', 'x', '1')).toEqual(['Invalid -T arg "x". Must be \'u\', \'i\', or \'d\'.']);
    expect(err('-P', 'zones', '1')).toEqual(['-P requires -p']);
    expect(err('-p', '-T', 'd', '1')).toEqual(['-T d invalid with -p.  Use -T [u | i]']);
    expect(err('-q', '1')).toEqual(['-q requires -R']);
    expect(err('-r', 'cpu,bogus', '1')).toEqual(['Unknown resource: cpu', 'Unknown resource: bogus']);
    expect(err('-r', 'sem-ids', '1')).toEqual(['Resource not reported on this system: sem-ids']);
    expect(err('-R', 'low', '1')).toEqual(['Unknown -R arg: low']);
    expect(err('-p', '-P', 'foo', '1')).toEqual(['Unknown -O arg: foo']);
    expect(err('-S', 'cpu,network', '1')).toEqual(['-S: only one of "cpu", "physical-memory", "virtual-memory", or "network" permitted']);
    expect(err('-S', 'size', '1')).toEqual(['Unknown -S arg: size']);
    expect(err('-p', '--json', '1')).toEqual(['--json invalid with -p']);
    expect(err('-?')).toBe('explicit');
  });
  test('-S sorts the zones', () => {
    const names = (s: string) => s.split('\n').slice(6, 10).map((l) => l.trim().split(' ')[0]);
    expect(names(text('-S', 'name'))).toEqual(['db', 'global', 'idle', 'web']);
    expect(names(text('-S', 'physical-memory'))).toEqual(['global', 'db', 'web', 'idle']);
  });
});
