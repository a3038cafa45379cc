/**
 * Every lab in core's registry has what docs/labs/README.md promises: its sheet with every section,
 * a row in the index, a solution script and an end-to-end test; the answers file round-trips.
 */
import { describe, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LABS, findLab } from '@zones/core/labs/registry';
import { labNumber } from '@zones/core/labs/lab';
import { answerProblem, answersPath, readAnswers, recordAnswer } from '@zones/core/labs/answers';
import { formatReport } from '@zones/core/labs/run';
import { REPO } from './lab-harness.js';

const LABS_DIR = join(REPO, 'docs', 'labs');
const SECTIONS = ['## Goal', '## Steps', '## Expected output', '## Underneath', '## Check'];

describe('the lab registry and its sheets', () => {
  test('the eighteen labs are numbered 1 to 18, and slugs are file names', () => {
    expect(LABS.map((l) => l.id)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    for (const l of LABS) expect(l.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  test.each(LABS.map((l) => [labNumber(l.id), l] as const))('lab %s has its sheet, index row, solution and test', (nn, lab) => {
    const sheet = join(LABS_DIR, `${nn}-${lab.slug}.md`);
    expect(existsSync(sheet)).toBe(true);
    const text = readFileSync(sheet, 'utf8');
    expect(text.startsWith(`# Lab ${nn}: `)).toBe(true);
    for (const s of SECTIONS) expect(text).toContain(`\n${s}\n`);
    expect(text).toContain(`zonelab check ${nn}`);
    expect(readFileSync(join(LABS_DIR, 'README.md'), 'utf8')).toContain(`(${nn}-${lab.slug}.md)`);
    expect(existsSync(join(LABS_DIR, 'solutions', `${nn}-${lab.slug}.sh`))).toBe(true);
    expect(existsSync(join(REPO, 'packages', 'zonelab', 'test', `lab-${nn}.e2e.test.ts`))).toBe(true);
  });

  test('a lab is found by number or by name', () => {
    const l = LABS[0]!;
    expect(findLab(String(l.id))).toBe(l);
    expect(findLab(labNumber(l.id))).toBe(l);
    expect(findLab(l.slug)).toBe(l);
    expect(findLab('99')).toBeUndefined();
  });
});

describe('answers', () => {
  test('are recorded, replaced and read back; a hand-corrupted line is skipped', () => {
    const root = mkdtempSync(join(tmpdir(), 'lab-answers-'));
    try {
      expect(readAnswers(root, 2)).toEqual({});
      recordAnswer(root, 2, 'init-pid', ' 1234 ');
      recordAnswer(root, 2, 'cgroup', '/zones/red');
      recordAnswer(root, 2, 'init-pid', '99');
      expect(readAnswers(root, 2)).toEqual({ 'init-pid': '99', cgroup: '/zones/red' });
      writeFileSync(answersPath(root, 2), 'garbage\n=x\nBad=1\nok=yes\n');
      expect(readAnswers(root, 2)).toEqual({ ok: 'yes' });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('names and values are checked', () => {
    expect(answerProblem('init-pid', '12')).toBeUndefined();
    expect(answerProblem('Init', '12')).toMatch(/not an answer name/);
    expect(answerProblem('a', 'x\ny')).toMatch(/one line/);
  });
});

test('a report says done, or how many items are done', () => {
  const lab = LABS[0]!;
  const text = formatReport({ lab, limits: ['no RPM mirror'], done: false, items: [{ what: 'a', done: true }, { what: 'b', done: false, detail: 'do b' }] });
  expect(text).toBe(`Lab ${labNumber(lab.id)}: ${lab.title}\n  [host]    no RPM mirror\n  [done]    a\n  [missing] b: do b\n1 of 2 done.\n`);
});
