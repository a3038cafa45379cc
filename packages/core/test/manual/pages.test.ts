/**
 * The references in docs/commands/ are the manual pages' markdown (packages/core/src/manual/),
 * committed: each must be what the sources make today. The build writes the roff pages to man/.
 */
import { describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { manPath, manuals, renderMarkdown, renderRoff } from '../../src/manual/index.js';

const REPO = join(import.meta.dirname, '../../../..');

describe('the generated references', () => {
  test.each(manuals().filter((m) => m.markdownPath).map((m) => [m.markdownPath!, m] as const))('%s is up to date', (path, m) => {
    const file = join(REPO, path);
    const committed = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (committed !== renderMarkdown(m)) {
      throw new Error(`${path} is stale (the schema, a help text or an option table changed): run \`npm run docs:commands\` and commit it`);
    }
  });

  test('zoneadm, zlogin, zonestat and zonecfg each have one', () => {
    expect(manuals().map((m) => m.markdownPath)).toEqual(
      expect.arrayContaining(['docs/commands/zonecfg.md', 'docs/commands/zoneadm.md', 'docs/commands/zlogin.md', 'docs/commands/zonestat.md']),
    );
  });
});

describe('the build', () => {
  test.each(manuals().map((m) => [manPath(m), m] as const))('wrote %s from the sources', (path, m) => {
    const file = join(REPO, path);
    if (!existsSync(file) || readFileSync(file, 'utf8') !== renderRoff(m)) {
      throw new Error(`${path} is missing or stale: \`npm run build\` (its build:man step) writes it`);
    }
  });
});
