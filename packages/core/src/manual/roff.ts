/**
 * A manual (manual/model.ts) as a man(7) page, for `man -l man/NAME.SECTION`. Plain man macros
 * only (no tbl, no mdoc), so that `man --warnings` has nothing to say about it.
 */
import { expandTabs, inline, type Block, type Manual } from './model.js';

/** Text safe on a roff line: backslashes and minus signs escaped (so `-z` copies as a hyphen-minus). */
function escape(text: string): string {
  return text.replace(/\\/g, '\\e').replace(/-/g, '\\-');
}

/** A line that starts with a control character is text only after a zero-width `\&`. */
function textLine(line: string): string {
  return /^[.']/.test(line) ? `\\&${line}` : line;
}

/** `name(N)` is a reference to another page: it reads as one without the path. */
const isPageRef = (text: string) => /^[a-z][a-z0-9-]*\([0-9]\)$/.test(text);

function markup(text: string): string {
  return inline(text)
    .map((t) => {
      if (t.kind === 'code') return `\\fB${escape(t.text)}\\fR`;
      if (t.kind === 'link') {
        if (isPageRef(t.text)) return `\\fB${escape(t.text)}\\fR`;
        // [docs/x.md](docs/x.md#part): the path once
        return t.target.startsWith(t.text) ? escape(t.target) : `${escape(t.text)} (${escape(t.target)})`;
      }
      return escape(t.text);
    })
    .join('');
}

/** Running text: one input line, filled by roff; blanks at its start would break the line. */
const running = (text: string) => textLine(markup(text.replace(/\s+/g, ' ').trim()));

function literal(lines: readonly string[]): string[] {
  return ['.nf', ...lines.map((l) => (l === '' ? '\\&' : textLine(escape(expandTabs(l))))), '.fi'];
}

/** `first`: the block opens a paragraph of its own (.PP) or continues an item's body (.IP). */
function block(b: Block, inItem: boolean, first: boolean): string[] {
  const open = inItem ? (first ? [] : ['.IP']) : ['.PP'];
  switch (b.kind) {
    case 'para':
      return [...open, running(b.text)];
    case 'pre':
      return inItem ? [...(first ? [] : ['.IP']), ...literal(b.lines)] : ['.PP', '.RS 4', ...literal(b.lines), '.RE'];
    case 'items':
      // a list inside an item's body is indented under its tag
      if (inItem) return ['.RS', ...block(b, false, true), '.RE'];
      return b.items.flatMap((it) => ['.TP', `\\fB${escape(it.term)}\\fR`, ...it.body.flatMap((x, i) => block(x, true, i === 0))]);
    case 'table':
      return b.rows.flatMap((row) => {
        const [tag, ...cells] = row;
        const lines = cells.flatMap((c, i) => (c === '' ? [] : [running(`${b.head[i + 1]}: ${c}`)]));
        // the tag is bold as a whole: its literal spans need no font of their own
        const bold = inline(tag ?? '').map((t) => escape(t.text)).join('');
        return ['.TP', `\\fB${bold}\\fR`, ...lines.flatMap((l, i) => (i === 0 ? [l] : ['.br', l]))];
      });
  }
}

const blocks = (list: readonly Block[]) => list.flatMap((b) => block(b, false, true));

export function renderRoff(m: Manual): string {
  const out = [
    `.\\" Generated from packages/core/src/manual/ by \`npm run build:man\`; do not edit.`,
    `.TH ${m.name.toUpperCase()} ${m.section} "" "zones" "${m.section === 8 ? 'System Administration Commands' : 'User Commands'}"`,
    // no hyphenation, no justification: option words and paths stay whole and copyable
    '.nh',
    '.ad l',
    '.SH NAME',
    `${escape(m.name)} \\- ${markup(m.summary)}`,
    '.SH SYNOPSIS',
    ...literal(m.synopsis),
  ];
  for (const s of m.sections) {
    out.push(`.SH "${escape(s.title.toUpperCase())}"`, ...blocks(s.blocks));
    for (const sub of s.subsections ?? []) out.push(`.SS "${escape(sub.title)}"`, ...blocks(sub.blocks));
  }
  return `${out.join('\n')}\n`;
}
