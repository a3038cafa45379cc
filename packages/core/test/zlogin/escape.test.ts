import { describe, expect, test } from '@jest/globals';
import { EscapeFilter, parseEscapeChar } from '../../src/zlogin/escape.js';
import { zenterArgs, type ZloginTarget } from '../../src/zlogin/login.js';
import { parseZloginArgs } from '../../src/argv/zlogin.js';

const feed = (f: EscapeFilter, ...chunks: string[]) =>
  chunks.map((c) => {
    const r = f.push(Buffer.from(c, 'latin1'));
    return r.disconnect ? { data: r.data.toString('latin1'), disconnect: r.disconnect.toString('latin1') } : { data: r.data.toString('latin1') };
  });

describe('EscapeFilter (illumos process_user_input rules)', () => {
  test('~. at the start of the session disconnects and echoes ~.', () => {
    expect(feed(new EscapeFilter(), '~.')).toEqual([{ data: '', disconnect: '~.' }]);
  });
  test('~. only at the beginning of a line', () => {
    expect(feed(new EscapeFilter(), 'ls ~.\r', '~.')).toEqual([{ data: 'ls ~.\r' }, { data: '', disconnect: '~.' }]);
    expect(feed(new EscapeFilter(), 'a\n~.')).toEqual([{ data: 'a\n', disconnect: '~.' }]);
  });
  test('split across reads', () => {
    expect(feed(new EscapeFilter(), 'x\r', '~', '.')).toEqual([{ data: 'x\r' }, { data: '' }, { data: '', disconnect: '~.' }]);
  });
  test('~~ sends one ~, ~x sends x', () => {
    expect(feed(new EscapeFilter(), '~~home\r~x')).toEqual([{ data: '~home\rx' }]);
  });
  test('~ EOF disconnects, echoed as ~^D', () => {
    expect(feed(new EscapeFilter(), '~\x04')).toEqual([{ data: '', disconnect: '~^D' }]);
  });
  test('kill, intr and susp characters start a line', () => {
    expect(feed(new EscapeFilter(), 'abc\x15~.')).toEqual([{ data: 'abc\x15', disconnect: '~.' }]);
    expect(feed(new EscapeFilter(), 'abc\x03~.')).toEqual([{ data: 'abc\x03', disconnect: '~.' }]);
  });
  test('-e ^ and -E', () => {
    expect(feed(new EscapeFilter(0x5e), '~.^.')).toEqual([{ data: '~.^.' }]);
    expect(feed(new EscapeFilter(0x5e), '^.')).toEqual([{ data: '', disconnect: '^.' }]);
    expect(feed(new EscapeFilter(null), '~.')).toEqual([{ data: '~.' }]);
  });
  test('parseEscapeChar', () => {
    expect(parseEscapeChar('\\176')).toEqual({ ok: true, char: 126 });
    expect(parseEscapeChar('\\q')).toEqual({ ok: false, message: 'Unrecognized escape character option \\q' });
  });
});

describe('zenterArgs', () => {
  const target: ZloginTarget = {
    name: 'z',
    root: '/',
    state: 'running',
    runtime: { state: 'running', zoneid: 1, initPid: 4242, supervisorPid: 4241, supervisorAlive: true, runDir: '/r', socket: '/r/s' },
    cgroupPaths: ['/sys/fs/cgroup/pids/zones/z', '/sys/fs/cgroup/memory/zones/z'],
  };
  const base = ['-t', '4242', '-g', '/sys/fs/cgroup/pids/zones/z', '-g', '/sys/fs/cgroup/memory/zones/z', '-c', '0x21', '-F', '/r/seccomp'];
  test('non-interactive: the words joined, run by /bin/sh -c as the user', () => {
    expect(zenterArgs(target, { command: ['echo', 'a  b', '$HOME'], user: 'nobody' }, 0x21n)).toEqual([
      ...base, '-u', 'nobody', '--', '/bin/sh', '-c', 'echo a  b $HOME',
    ]);
  });
  test('interactive: root login shell, status fd, the escape character as its byte', () => {
    expect(zenterArgs(target, { interactive: true }, 0x21n, 3)).toEqual([...base, '-u', 'root', '-i', '-s', '3', '-e', '126', '--']);
    expect(zenterArgs(target, { interactive: true, escape: null }, 0x21n)).toEqual([...base, '-u', 'root', '-i', '-E', '--']);
  });
  test('a zone with CAP_SYS_TIME hands its clock calls to the supervisor (-T its socket)', () => {
    const withTime = 0x21n | (1n << 25n);
    expect(zenterArgs(target, { command: ['date'] }, withTime)).toEqual([
      ...base.slice(0, 7), '0x2000021', '-F', '/r/seccomp', '-T', '/r/s', '-u', 'root', '--', '/bin/sh', '-c', 'date',
    ]);
  });
  test('failsafe: /bin/sh as root without a passwd lookup; -n', () => {
    expect(zenterArgs(target, { failsafe: true, interactive: true, escape: 0x5e }, 0x21n)).toEqual([...base, '-i', '-e', '94', '--', '/bin/sh']);
    expect(zenterArgs(target, { failsafe: true, nullStdin: true, command: ['ls'] }, 0x21n)).toEqual([...base, '-n', '--', '/bin/sh', '-c', 'ls']);
  });
});

describe('-e takes the first byte of its argument, as illumos set_cmdchar', () => {
  test('a character that is more than one byte in UTF-8', () => {
    expect(parseEscapeChar('é')).toEqual({ ok: true, char: 0xc3 });
  });
  test('bytes that are not UTF-8, as /proc/self/cmdline gives them', () => {
    expect(parseEscapeChar(Buffer.from([0xff]))).toEqual({ ok: true, char: 0xff });
    expect(parseEscapeChar(Buffer.from('\\377'))).toEqual({ ok: true, char: 0xff });
  });
  test('parseZloginArgs reads an -e that argv decoding lost from the raw arguments', () => {
    const raw = (...a: (string | number[])[]) => a.map((x) => Buffer.from(x as string));
    expect(parseZloginArgs(['-e', '\uFFFD', 'z'], raw('-e', [0xff], 'z'))).toMatchObject({ ok: true, request: { escape: 0xff } });
    expect(parseZloginArgs(['-Qe\uFFFD', 'z'], raw('-Qe', 'z').map((b, i) => (i === 0 ? Buffer.from([...b, 0xfe]) : b)))).toMatchObject({ ok: true, request: { escape: 0xfe, quiet: true } });
    // no raw arguments (or other ones): what the string holds
    expect(parseZloginArgs(['-e', '\uFFFD', 'z'])).toMatchObject({ ok: true, request: { escape: 0xef } });
    expect(parseZloginArgs(['-e', '\uFFFD', 'z'], raw('-e', 'x', 'z'))).toMatchObject({ ok: true, request: { escape: 0xef } });
  });
});
