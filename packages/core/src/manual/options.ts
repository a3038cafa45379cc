/** A tool's option table (argv/<tool>.ts) as manual items. */
import type { OptionSpec } from '../argv.js';
import { item, type Block, type Item } from './model.js';

/**
 * What an option's value is called: the word after it in the tool's own usage (`-e cmdchar`,
 * `-z <zone>`, `-T u | d | i`), else its long name.
 */
export function valueName(o: OptionSpec, usage: string): string {
  const m = new RegExp(`-${o.char}\\s+((?:<[^>]+>|[^\\s\\]\\[|]+)(?:\\s*\\|\\s*[^\\s\\]\\[|]+)*)`).exec(usage);
  return m ? m[1]!.replace(/\s*\|\s*/g, ' | ') : o.name;
}

/** `-z <zone>` or `-c`. */
export function optionTerm(o: OptionSpec, usage: string): string {
  return o.value ? `-${o.char} ${valueName(o, usage)}` : `-${o.char}`;
}

/** The options `--help` lists (not the hidden ones), with their `--help` line and any more to say. */
export function optionItems(specs: readonly OptionSpec[], usage: string, more: Partial<Record<string, readonly Block[]>> = {}): Item[] {
  return specs
    .filter((o) => !o.hidden)
    .map((o) => item(optionTerm(o, usage), ...(o.description ? [sentence(o.description)] : []), ...(more[o.char] ?? [])));
}

/** An option table's line as a sentence: capital first letter, final period. */
export function sentence(text: string): string {
  const t = text.trim();
  return `${t.charAt(0).toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? '' : '.'}`;
}
