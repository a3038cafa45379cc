/** zps (ptools/ps.ts, argv/zps.ts) on fixed process tables: selection, the listings' exact layout, the errors ps gives. */
import { describe, expect, test } from '@jest/globals';
import { parseZpsArgs } from '../../src/argv/zps.js';
import { runZps, type ZpsRequest, type ZpsResult } from '../../src/ptools/ps.js';
import { ACCOUNTS, proc, snapshot } from './table.js';

const PTS0 = (136 << 8) | 0;
const TABLE = snapshot([
  proc(1, 'global', 0, { comm: 'init', argv: ['/sbin/init', 'splash'], ppid: 0 }),
  proc(100, 'web', 1, { euid: 100000, ruid: 100000, utime: 6100, stime: 100 }),
  proc(200, 'db', 2, { comm: 'postgres', argv: ['/usr/lib/postgresql/bin/postgres', '-D', '/var/lib/pg'] }),
  proc(300, 'global', 0, { comm: 'bash', argv: ['-bash'], ttyNr: PTS0, euid: 1000, ruid: 1000 }),
  proc(301, 'global', 0, { comm: 'defunctkid', argv: [], state: 'Z', ppid: 300, sid: 300, ttyNr: PTS0, euid: 1000 }),
  proc(400, undefined, undefined, { comm: 'other', argv: ['other'] }),
]);
const CALLER = { ttyNr: PTS0, euid: 1000 };

function zps(args: string[], caller = CALLER): Partial<ZpsResult> & { parseError?: unknown } {
  const parsed = parseZpsArgs(args, TABLE.host.pidMax);
  if (!parsed.ok) return { parseError: parsed };
  return runZps(parsed.request, TABLE, ACCOUNTS, caller);
}

describe('zps selection', () => {
  test('-z selects the processes of the zones named (names or ids), no others', () => {
    expect(zps(['-z', 'web'])).toEqual({ lines: ['   PID TTY         TIME CMD', '  100 ?           1:02 sleep'], errors: [], usage: false, status: 0 });
    expect(zps(['-o', 'pid', '-z', 'web,2']).lines?.slice(1)).toEqual(['  100', '  200']);
    expect(zps(['-o', 'pid', '-z', '0']).lines?.slice(1)).toEqual(['    1', '  300', '  301']);
  });

  test('-e lists every process; one in another ZONES_ROOT\'s zone shows zone "-"', () => {
    expect(zps(['-e', '-o', 'zone,zoneid,pid,comm']).lines).toEqual([
      '    ZONE ZONEID   PID COMMAND',
      '  global     0     1 /sbin/init',
      '     web     1   100 sleep',
      '      db     2   200 /usr/lib/postgresql/bin/postgres',
      '  global     0   300 -bash',
      '  global     0   301 <defunct>',
      '       -     -   400 other',
    ]);
  });

  test('-e wins over the other selections, as in ps.c', () => {
    expect(zps(['-z', 'web', '-e', '-o', 'pid']).lines?.length).toBe(7);
  });

  test('without a selection: the live processes of our terminal and effective uid; none without a terminal', () => {
    expect(zps(['-o', 'pid,tty,s']).lines).toEqual(['  PID TT      S', '  300 pts/0   S']);
    expect(zps([], { ttyNr: 0, euid: 0 })).toEqual({ lines: [], errors: ['no controlling terminal'], usage: false, status: 1 });
  });

  test('-u, -p and the zone list are ORed, as in ps.c', () => {
    expect(zps(['-o', 'pid', '-u', 'alongusername', '-p', '200']).lines?.slice(1)).toEqual(['  200', '  300', '  301']);
  });

  test('nothing selected: exit 1 with the header alone', () => {
    expect(zps(['-p', '999'])).toEqual({ lines: ['   PID TTY         TIME CMD'], errors: [], usage: false, status: 1 });
  });
});

describe('zps listings', () => {
  test('-Z puts ZONE first; -f adds UID, PPID, C and STIME and the arguments', () => {
    const r = zps(['-Zf', '-z', 'web,db']) as { lines: string[] };
    const stime = (pid: number) => {
      const d = new Date((TABLE.host.bootTime + (100_000 + pid) / 100) * 1000);
      return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
    };
    expect(r.lines).toEqual([
      '    ZONE     UID   PID  PPID   C    STIME TTY         TIME CMD',
      `     web 0100000   100     1   1 ${stime(100)} ?           1:02 sleep 600`,
      `      db     root   200     1   0 ${stime(200)} ?           0:00 /usr/lib/postgresql/bin/postgres -D /var/lib/pg`,
    ]);
  });

  test('-j adds PGID and SID; a zombie is <defunct>; CMD without -f is the name, 8 columns', () => {
    expect(zps(['-j', '-p', '200,301']).lines).toEqual([
      '   PID  PGID   SID TTY         TIME CMD',
      '  200   200   200 ?           0:00 postgres',
      '  301   301   300 ?           0:00 <defunct>',
    ]);
  });

  test('-o name=header sets the header and the width; an all-empty header prints no header line', () => {
    expect(zps(['-o', 'pid=PROCESS', '-p', '1']).lines).toEqual(['PROCESS', '      1']);
    expect(zps(['-o', 'zone=', '-o', 'pid=', '-p', '100']).lines).toEqual(['     web   100']);
  });

  test('the other -o fields', () => {
    expect(zps(['-o', 'user,ruser,uid,group,nice,pri,nlwp,vsz,rss,pcpu,time,etime,fname', '-p', '100,300']).lines).toEqual([
      '    USER    RUSER   UID    GROUP NI PRI NLWP  VSZ  RSS %CPU        TIME     ELAPSED COMMAND',
      '  100000   100000 100000     root 20  19    1 2000 1000  0.3       01:02    02:29:59 sleep',
      'alongusername alongusername  1000     root 20  19    1 2000 1000  0.0       00:00    02:29:57 bash',
    ]);
  });
});

test("a process's name and arguments lose what a terminal would act on (ESC, C1 controls, newlines)", () => {
  const t = snapshot([proc(7, 'web', 1, { comm: 'x\x1b]0;pwned\x07', argv: ['a\nb', '\u009b2J', 'c\x1b[2J'] })]);
  const parsed = parseZpsArgs(['-e', '-o', 'fname,args'], 32768);
  expect(parsed.ok && runZps(parsed.request, t, ACCOUNTS, CALLER).lines).toEqual(['COMMAND  COMMAND', 'x]0;pwne ab 2J c[2J']);
});

describe('zps errors (exit 1)', () => {
  const err = (args: string[]) => zps(args).parseError;

  test('getopt errors and operands: the usage', () => {
    expect(err(['-q'])).toEqual({ ok: false, messages: ['illegal option -- q'], usage: true });
    expect(err(['-o'])).toEqual({ ok: false, messages: ['option requires an argument -- o'], usage: true });
    expect(err(['-e', 'extra'])).toEqual({ ok: false, messages: [], usage: true });
  });

  test('-o names a field ps does not have; -p/-g/-s take numbers in range', () => {
    expect(err(['-o', 'pid,taskid,bogus'])).toEqual({ ok: false, messages: ['unknown output format: -o taskid', 'unknown output format: -o bogus'], usage: true });
    expect(err(['-p', '12,x'])).toEqual({ ok: false, messages: ['x is an invalid non-numeric argument for -p option'], usage: true });
    expect(err(['-s', '99999999'])).toEqual({ ok: false, messages: ['99999999 exceeds valid range for -s option'], usage: true });
  });

  test('a zone not in the kernel: "unknown zone" and the usage; an unknown user: no usage', () => {
    expect(zps(['-z', 'web,nosuch'])).toEqual({ lines: [], errors: ['unknown zone nosuch'], usage: true, status: 1 });
    expect(zps(['-u', 'nosuch', '-U', '4242'])).toEqual({ lines: [], errors: ['unknown user nosuch', 'unknown user 4242'], usage: false, status: 1 });
    expect(zps(['-G', 'nogroup'])).toEqual({ lines: [], errors: ['unknown group nogroup'], usage: false, status: 1 });
  });
});

test('a request is plain data', () => {
  const parsed = parseZpsArgs(['-Zef', '-z', 'a, b', '-o', 'pid'], 32768);
  expect(parsed).toEqual({
    ok: true,
    request: { every: true, allTerminals: false, notLeaders: false, full: true, jobs: false, zoneColumn: true, zones: ['a', 'b'], format: [{ name: 'pid', header: 'PID', width: 0 }] } satisfies ZpsRequest,
  });
});
