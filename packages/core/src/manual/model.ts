/**
 * A command's manual as data: what manual/roff.ts renders as a man page (man/NAME.SECTION, built
 * by `npm run build:man`) and manual/markdown.ts as its reference (docs/commands/NAME.md). The
 * pages (manual/zonecfg.ts, ...) are made of the texts the commands print (help, usage, option
 * tables, the schema), so a text lives in one place.
 *
 * Inline markup in text: `literal` (bold in roff, code in markdown) and [words](docs/path.md#anchor),
 * a repository path that markdown links to and roff prints after the words.
 */

export type Block =
  /** a paragraph of running text */
  | { readonly kind: 'para'; readonly text: string }
  /** lines printed as they are (examples, command output); tabs expand to 8 columns */
  | { readonly kind: 'pre'; readonly lines: readonly string[] }
  /** tagged items: an option or subcommand and what it does */
  | { readonly kind: 'items'; readonly items: readonly Item[] }
  /** a table: markdown renders it as one, roff as one tagged item per row */
  | { readonly kind: 'table'; readonly head: readonly string[]; readonly rows: readonly (readonly string[])[] };

export interface Item {
  /** the tag, literal (`-z zone`, `boot [-- boot_arguments]`) */
  readonly term: string;
  readonly body: readonly Block[];
}

export interface Section {
  readonly title: string;
  readonly blocks: readonly Block[];
  readonly subsections?: readonly { readonly title: string; readonly blocks: readonly Block[] }[];
}

export interface Manual {
  readonly name: string;
  /** 1 (user commands) or 8 (administration) */
  readonly section: 1 | 8;
  /** the NAME line after the dash */
  readonly summary: string;
  /** the SYNOPSIS lines, each a whole command line */
  readonly synopsis: readonly string[];
  /** DESCRIPTION, OPTIONS, ... in order (NAME and SYNOPSIS come first by themselves) */
  readonly sections: readonly Section[];
  /** where markdown puts the page, repository-relative (docs/commands/NAME.md), if it does */
  readonly markdownPath?: string;
}

export const para = (text: string): Block => ({ kind: 'para', text });
export const pre = (lines: readonly string[]): Block => ({ kind: 'pre', lines });
export const items = (list: readonly Item[]): Block => ({ kind: 'items', items: list });
export const item = (term: string, ...body: (Block | string)[]): Item => ({
  term,
  body: body.map((b) => (typeof b === 'string' ? para(b) : b)),
});

/**
 * A help text of the Solaris tools as running text: their lines are broken with a newline and a
 * tab, and sentences end with two spaces.
 */
export function reflow(text: string): string {
  return text.replace(/\s*\n\t?/g, ' ').replace(/ {2,}/g, ' ').trim();
}

/** Tabs to spaces at 8-column stops, as a terminal shows the tools' output. */
export function expandTabs(line: string): string {
  let out = '';
  for (const ch of line) out += ch === '\t' ? ' '.repeat(8 - (out.length % 8)) : ch;
  return out;
}

/** `name(section)`, how pages refer to each other. */
export const pageRef = (m: Pick<Manual, 'name' | 'section'>): string => `${m.name}(${m.section})`;

export type Inline =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'code'; readonly text: string }
  | { readonly kind: 'link'; readonly text: string; readonly target: string };

/** The inline markup of a text, in order. */
export function inline(text: string): Inline[] {
  const out: Inline[] = [];
  const re = /`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) out.push({ kind: 'text', text: text.slice(last, m.index) });
    out.push(m[1] !== undefined ? { kind: 'code', text: m[1] } : { kind: 'link', text: m[2]!, target: m[3]! });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}
