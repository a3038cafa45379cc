/** Zone detection from /proc/1/environ, against /proc-like trees (the real check runs in zlogin.zone.test). */
import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inNonGlobalZone, ZONE_ENV_MARKER } from '../../src/platform/proc.js';

const base = mkdtempSync(join(tmpdir(), 'zones-proc-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

function fakeProc(name: string, environ: string | undefined): string {
  const dir = join(base, name);
  mkdirSync(join(dir, '1'), { recursive: true });
  if (environ !== undefined) writeFileSync(join(dir, '1', 'environ'), environ);
  return dir;
}

describe('inNonGlobalZone', () => {
  test("a zone's init carries the marker; a host init does not; unreadable means the global zone", () => {
    expect(inNonGlobalZone(fakeProc('zone', `PATH=/usr/bin\0${ZONE_ENV_MARKER}\0HOME=/\0`))).toBe(true);
    expect(inNonGlobalZone(fakeProc('host', 'HOME=/\0TERM=linux\0'))).toBe(false);
    expect(inNonGlobalZone(fakeProc('lxc', 'container=lxc\0'))).toBe(false);
    expect(inNonGlobalZone(fakeProc('prefix', 'xcontainer=zone\0container=zoned\0'))).toBe(false);
    expect(inNonGlobalZone(fakeProc('none', undefined))).toBe(false);
  });
});
