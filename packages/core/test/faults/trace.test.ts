/** The fault suites' trace rule catches what a crashing bin really prints, and nothing a Solaris message says. */
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { traceLines } from './trace.js';

describe('traceLines', () => {
  test("finds an uncaught error's trace and Node's banner", () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', "throw new TypeError('values.find is not a function')"], { encoding: 'utf8' });
    const found = traceLines(r.stderr);
    expect(found.some((l) => /^\s+at /.test(l))).toBe(true);
    expect(found.some((l) => /Node\.js v\d/.test(l))).toBe(true);
    expect(found.some((l) => l.startsWith('TypeError'))).toBe(true);
  });

  test('passes the tools’ own one-line messages', () => {
    const lines = [
      "zoneadm: zone 'z': Invalid document: /r/etc/zones/z.yaml: not a mapping",
      'z: Zone state is invalid for the requested operation',
      'zlogin: Could not connect to zone: Connection refused',
      'zonecfg: write error: No space left on device',
    ];
    expect(traceLines(lines.join('\n'))).toEqual([]);
  });
});
