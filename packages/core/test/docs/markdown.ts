/**
 * What the docs tests read of a Markdown page: its headings as the anchors GitHub makes of them,
 * and its links. Fenced code blocks and inline code are not prose: nothing in them counts.
 */
import { readFileSync } from 'node:fs';

export interface Link {
  /** The target as written: `reference.md#5-zlogin`, `#goal`, `https://...`. */
  target: string;
  line: number;
}

/** The lines of a page outside fenced code blocks, with their 1-based numbers. */
export function proseLines(text: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let fence: string | undefined;
  text.split('\n').forEach((l, i) => {
    const m = /^\s*(```+|~~~+)/.exec(l);
    if (m) {
      if (fence === undefined) fence = m[1]![0];
      else if (m[1]![0] === fence) fence = undefined;
      return;
    }
    if (fence === undefined) out.push({ text: l, line: i + 1 });
  });
  return out;
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, blanks to hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Every anchor of a page: its headings' slugs (a repeated one gets -1, -2...) and `<a id>`s. */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const { text: l } of proseLines(text)) {
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(l);
    if (h) {
      const s = slug(h[1]!);
      const n = seen.get(s) ?? 0;
      seen.set(s, n + 1);
      out.add(n === 0 ? s : `${s}-${n}`);
    }
    for (const m of l.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) out.add(m[1]!);
  }
  return out;
}

export function anchorsOf(file: string): Set<string> {
  return anchors(readFileSync(file, 'utf8'));
}

/** The links of a page's prose, `[text](target)` and `<target>` autolinks excluded. */
export function links(text: string): Link[] {
  const out: Link[] = [];
  for (const { text: l, line } of proseLines(text)) {
    const prose = l.replace(/`[^`]*`/g, '');
    for (const m of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push({ target: m[1]!, line });
  }
  return out;
}

/** The heading (its anchor) each prose line of a page lies under; '' before the first heading. */
export function sectionsByLine(text: string): Map<number, string> {
  const out = new Map<number, string>();
  const seen = new Map<string, number>();
  let current = '';
  for (const { text: l, line } of proseLines(text)) {
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(l);
    if (h) {
      const s = slug(h[1]!);
      const n = seen.get(s) ?? 0;
      seen.set(s, n + 1);
      current = n === 0 ? s : `${s}-${n}`;
    }
    out.set(line, current);
  }
  return out;
}
