/**
 * A manual (manual/model.ts) as GitHub markdown: the references in docs/commands/, written by
 * `npm run docs:commands` and checked against the sources by core/test/manual/pages.test.ts.
 */
import { posix } from 'node:path';
import { expandTabs, inline, pageRef, type Block, type Manual } from './model.js';

/** Markdown's own characters in running text, and `<`, which would open an HTML tag. */
function escape(text: string): string {
  return text.replace(/[\\*_[\]]/g, (c) => `\\${c}`).replace(/</g, '&lt;');
}

/** A code span holding `text` (a backtick inside needs a longer fence). */
const code = (text: string) => (text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``);

function markup(text: string, from: string): string {
  return inline(text)
    .map((t) => {
      if (t.kind === 'code') return code(t.text);
      if (t.kind === 'link') {
        const [path, anchor] = t.target.split('#');
        const rel = posix.relative(posix.dirname(from), path!) || posix.basename(path!);
        return `[${escape(t.text)}](${rel}${anchor ? `#${anchor}` : ''})`;
      }
      return escape(t.text);
    })
    .join('');
}

const fence = (lines: readonly string[]) => ['```', ...lines.map(expandTabs), '```'];

const indent = (lines: string[]) => lines.map((l) => (l === '' ? '' : `  ${l}`));

function cell(text: string, from: string): string {
  return markup(text, from).replace(/\|/g, '\\|');
}

function block(b: Block, from: string): string[] {
  switch (b.kind) {
    case 'para':
      return [markup(b.text.replace(/\s+/g, ' ').trim(), from)];
    case 'pre':
      return fence(b.lines);
    case 'items':
      return b.items.flatMap((it) => {
        const [head, ...rest] = it.body;
        // a one-paragraph item stays on its bullet line
        if (head?.kind === 'para' && rest.length === 0) return [`- ${code(it.term)}: ${block(head, from)[0]}`];
        return [`- ${code(it.term)}`, '', ...indent(joined(it.body, from)), ''];
      });
    case 'table':
      return [
        `| ${b.head.map((h) => cell(h, from)).join(' | ')} |`,
        `|${b.head.map(() => '---').join('|')}|`,
        ...b.rows.map((r) => `| ${r.map((c) => cell(c, from)).join(' | ')} |`),
      ];
  }
}

/** Blocks separated by a blank line; the lines of a list stay together. */
function joined(list: readonly Block[], from: string): string[] {
  const out: string[] = [];
  for (const b of list) {
    if (out.length > 0 && out[out.length - 1] !== '') out.push('');
    out.push(...block(b, from));
  }
  while (out[out.length - 1] === '') out.pop();
  return out;
}

export function renderMarkdown(m: Manual): string {
  const from = m.markdownPath ?? `docs/commands/${m.name}.md`;
  const out = [
    `# ${pageRef(m)}`,
    '',
    '<!-- Generated from packages/core/src/manual/ by `npm run docs:commands`; do not edit. -->',
    '',
    `${m.name} - ${markup(m.summary, from)}`,
    '',
    '## SYNOPSIS',
    '',
    ...fence(m.synopsis),
  ];
  for (const s of m.sections) {
    out.push('', `## ${s.title.toUpperCase()}`, '', ...joined(s.blocks, from));
    for (const sub of s.subsections ?? []) out.push('', `### ${sub.title}`, '', ...joined(sub.blocks, from));
  }
  return `${out.join('\n')}\n`;
}
