/**
 * docs/differences-from-solaris.md cannot silently rot: every section of the other pages that
 * says it "differs from Solaris" (or "Differences from Solaris", "differs from illumos": the
 * marker those pages use for a place where Linux forces another behaviour) is linked from it, and
 * every entry of it links to a section that exists (links.test.ts checks that each link resolves).
 */
import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { links, proseLines, sectionsByLine } from './markdown.js';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
const DOCS = join(REPO, 'docs');
const LIST = 'differences-from-solaris.md';
const MARKER = /\bdiffer(?:s|ences)? from (?:Solaris|illumos)\b/i;

/** `page#section` of every section of `text` whose prose carries the marker. */
export function markedSections(page: string, text: string): string[] {
  const section = sectionsByLine(text);
  const prose = new Map<string, string>();
  for (const { text: l, line } of proseLines(text)) {
    const s = section.get(line) ?? '';
    prose.set(s, `${prose.get(s) ?? ''} ${l.replace(/`[^`]*`/g, '')}`);
  }
  return [...prose].filter(([, t]) => MARKER.test(t.replace(/\s+/g, ' '))).map(([s]) => `${page}#${s}`);
}

/** `page#section` of every link of the list into docs/ (`reference.md#5-zlogin`). */
function listed(): Set<string> {
  return new Set(links(readFileSync(join(DOCS, LIST), 'utf8')).map((l) => l.target).filter((t) => t.includes('#')));
}

describe('docs/differences-from-solaris.md', () => {
  const pages = readdirSync(DOCS).filter((n) => n.endsWith('.md') && n !== LIST && n !== 'README.md');

  test('lists every section the other pages mark as differing from Solaris', () => {
    const all = listed();
    const marked = pages.flatMap((p) => markedSections(p, readFileSync(join(DOCS, p), 'utf8')));
    expect(marked.length).toBeGreaterThan(10);
    expect(marked.filter((m) => !all.has(m))).toEqual([]);
  });

  test('every entry of a table links to the section with the detail', () => {
    const rows = proseLines(readFileSync(join(DOCS, LIST), 'utf8')).filter((l) => /^\| [^-|]/.test(l.text) && !/^\| what \|/.test(l.text));
    expect(rows.length).toBeGreaterThan(30);
    expect(rows.filter((r) => !/^\| \[[^\]]+\]\([a-z-]+\.md#[^)]+\) \|/.test(r.text)).map((r) => r.line)).toEqual([]);
  });

  test('a marked section that the list leaves out is found', () => {
    const text = '# P\n## A\nthis one differs from\nSolaris in a way\n## B\nnothing\n## C\n`differs from Solaris` in code only\n';
    expect(markedSections('p.md', text)).toEqual(['p.md#a']);
  });
});
