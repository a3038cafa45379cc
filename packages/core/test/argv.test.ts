import { test, expect, describe } from '@jest/globals';
import { hoistGlobalFlags, operandsAfterStop, splitGlobalFlags, stopAtFirstOperand } from '../src/argv.js';

describe('hoistGlobalFlags', () => {
  test.each([
    [['list'], ['list']],
    [['-z', 'a', 'boot', '-s'], ['boot', '-s', '-z', 'a']],
    [['-za', 'boot'], ['boot', '-z', 'a']],
    [['--zone=a', 'list', '-v'], ['list', '-v', '--zone=a']],
    [['--zone', 'a', 'list'], ['list', '--zone', 'a']],
    [['-R', '/r', '-u', 'U', '-z', 'a', 'list', '-p'], ['list', '-p', '-R', '/r', '-u', 'U', '-z', 'a']],
    [['-z', 'a', 'boot', '--', '-s', '-m', 'verbose'], ['boot', '-z', 'a', '--', '-s', '-m', 'verbose']],
    [['-z', 'a', 'mark', 'incomplete'], ['mark', 'incomplete', '-z', 'a']],
    [['-z'], ['-z']],
    [['-z', 'a', '-z'], ['-z', '-z', 'a']],
    [['list', '-z', 'a'], ['list', '-z', 'a']],
    [[], []],
  ])('%j -> %j', (input, out) => {
    expect(hoistGlobalFlags(input)).toEqual(out);
  });

  test('splitGlobalFlags', () => {
    expect(splitGlobalFlags(['-zq', '-R/x', 'help', 'list'])).toEqual({ globals: ['-z', 'q', '-R', '/x'], rest: ['help', 'list'] });
  });
});

describe('stopAtFirstOperand', () => {
  const F = ['e', 'l', 'R'];
  test.each([
    [['z', 'uname', '-s'], ['z', '--', 'uname', '-s']],
    [['-l', 'root', 'z', 'ls', '-l'], ['-l', 'root', 'z', '--', 'ls', '-l']],
    [['-lroot', 'z', 'ls'], ['-lroot', 'z', '--', 'ls']],
    [['-nQl', 'u', 'z', 'ls'], ['-nQl', 'u', 'z', '--', 'ls']],
    [['-e', '~', 'z', 'ls'], ['-e', '~', 'z', '--', 'ls']],
    [['-e~', 'z'], ['-e~', 'z']],
    [['-C', 'z'], ['-C', 'z']],
    [['--', 'z', 'ls', '-l'], ['--', 'z', 'ls', '-l']],
    [['z', 'sh', '-c', 'a -- b'], ['z', '--', 'sh', '-c', 'a -- b']],
    [[], []],
  ])('%j -> %j', (input, out) => {
    expect(stopAtFirstOperand(input, F)).toEqual(out);
  });
});

describe('operandsAfterStop', () => {
  const F = ['e', 'l', 'R'];
  test.each([
    [['-l', 'root', 'z', '--', 'ls', '-l'], ['z', 'ls', '-l']],
    [['z', '--', 'echo', 'b', 'a', 'b'], ['z', 'echo', 'b', 'a', 'b']],
    [['z', '--', '--', 'x'], ['z', '--', 'x']],
    [['--', 'z', 'ls'], ['z', 'ls']],
    [['-nQe', '^', 'z'], ['z']],
    [['-C'], []],
  ])('%j -> %j', (input, out) => {
    expect(operandsAfterStop(input, F)).toEqual(out);
  });
  test('round trip with stopAtFirstOperand', () => {
    const argv = ['-l', 'root', 'z', 'sh', '-c', 'echo -l root', '--', '-l'];
    expect(operandsAfterStop(stopAtFirstOperand(argv, F), F)).toEqual(['z', 'sh', '-c', 'echo -l root', '--', '-l']);
  });
});
