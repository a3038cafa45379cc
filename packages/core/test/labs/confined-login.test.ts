/**
 * Lab 15's rule for what root runs for a confined account (checks/15-...ts unsafeBecause): the
 * file and every directory above it root's and writable by root alone, except that a sticky
 * directory (/tmp, where a checkout may live) is safe above a root-owned entry.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unsafeBecause } from '@zones/core/labs/checks/15-a-user-confined-to-a-zone';

const d = process.getuid?.() === 0 ? describe : describe.skip;

d('a root-run file for a confined account', () => {
  const base = mkdtempSync(join(tmpdir(), 'lab15-safe-'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));
  const make = (dirMode: number, fileMode = 0o755) => {
    const dir = join(base, `d${dirMode.toString(8)}-${fileMode.toString(8)}`);
    mkdirSync(dir);
    chmodSync(dir, dirMode);
    const f = join(dir, 'login');
    writeFileSync(f, '#!/bin/sh\n');
    chmodSync(f, fileMode);
    return f;
  };

  test('is safe in root-only directories and under a sticky world-writable one', () => {
    expect(unsafeBecause(make(0o755))).toBeUndefined();
    expect(unsafeBecause(make(0o1777))).toBeUndefined();
  });

  test('is unsafe under a world- or group-writable directory without the sticky bit, or writable itself', () => {
    expect(unsafeBecause(make(0o777))).toMatch(/is writable by everyone$/);
    expect(unsafeBecause(make(0o775))).toMatch(/is writable by its group$/);
    expect(unsafeBecause(make(0o1777, 0o757))).toMatch(/login is writable by everyone$/);
  });
});
