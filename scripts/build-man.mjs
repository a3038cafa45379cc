#!/usr/bin/env node
// Writes the manual pages of packages/core/src/manual/ from tsc's output (run `tsc -b` first):
// roff to man/NAME.SECTION (`npm run build:man`, part of the build; `man -l man/zoneadm.8`),
// and with --docs the markdown references to docs/commands/ (`npm run docs:commands`; committed,
// and core/test/manual/pages.test.ts fails when they are stale).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const { manuals, manPath, renderMarkdown, renderRoff } = await import(join(repo, 'packages/core/dist/manual/index.js'));

const write = (rel, text) => {
  const path = join(repo, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
};

const docs = process.argv.includes('--docs');
for (const m of manuals()) {
  if (docs) {
    if (m.markdownPath) write(m.markdownPath, renderMarkdown(m));
  } else write(manPath(m), renderRoff(m));
}
