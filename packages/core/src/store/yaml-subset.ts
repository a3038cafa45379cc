/**
 * A reader for the YAML that the store itself writes (js-yaml `dump` of plain data: block
 * mappings and sequences indented by two, plain or single-quoted scalars, `[]` and `{}`).
 * Loading js-yaml and warming its parser costs ~20 ms, more than the rest of a `zoneadm boot`; this
 * reads the store's own files in well under a millisecond. It returns undefined for anything
 * outside that subset (comments, double quotes, anchors, flow collections, block scalars, tabs,
 * plain scalars YAML would read as numbers, booleans, nulls or dates...), and the caller then
 * parses with js-yaml: a hand-edited file is read by the real parser, never guessed at.
 */

export type YamlValue = string | YamlValue[] | { [key: string]: YamlValue };

const KEY = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const SINGLE_QUOTED = /^'(?:[^']|'')*'$/;
/** Plain scalars js-yaml's default schema resolves to something other than a string. */
const NOT_A_STRING =
  /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|<<|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|[-+]?[0-9._][0-9a-fA-FxXoObB._:+-]*|\d{4}-\d\d?-\d\d?.*)$/;
/** First characters a plain scalar cannot start with (YAML indicators), or that we leave to js-yaml. */
const BAD_START = /^[-?:,[\]{}#&*!|>'"%@`\s]/;

/** One scalar as the store writes it, or undefined when js-yaml should decide. */
export function subsetScalar(raw: string): string | undefined {
  if (raw.startsWith("'")) return SINGLE_QUOTED.test(raw) ? raw.slice(1, -1).replace(/''/g, "'") : undefined;
  if (raw === '') return undefined;
  // `-x` is a plain scalar (only `- ` starts a sequence entry)
  if (BAD_START.test(raw) && !/^-[^\s-]/.test(raw)) return undefined;
  if (/\s$/.test(raw) || raw.includes(': ') || raw.includes(' #') || raw.endsWith(':') || /[\t\r]/.test(raw)) return undefined;
  if (NOT_A_STRING.test(raw)) return undefined;
  return raw;
}

class Bail extends Error {}
const bail = (): never => {
  throw new Bail();
};

/** Parses `text` if it is entirely in the store's subset; undefined otherwise. */
export function parseYamlSubset(text: string): YamlValue | undefined {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0 || lines.some((l) => l === '' || l.includes('\t'))) return undefined;
  try {
    const [value, next] = block(lines, 0, 0);
    return next === lines.length ? value : undefined;
  } catch (e) {
    if (e instanceof Bail) return undefined;
    throw e;
  }
}

function indentOf(line: string): number {
  let n = 0;
  while (line.charCodeAt(n) === 32) n++;
  return n;
}

/** The block (mapping or sequence) whose lines start at `i` with exactly `indent` spaces. */
function block(lines: string[], i: number, indent: number): [YamlValue, number] {
  if (i >= lines.length || indentOf(lines[i]!) !== indent) bail();
  return lines[i]!.startsWith('- ', indent) ? sequence(lines, i, indent) : mapping(lines, i, indent);
}

function sequence(lines: string[], i: number, indent: number): [YamlValue[], number] {
  const out: YamlValue[] = [];
  while (i < lines.length && indentOf(lines[i]!) === indent && lines[i]!.startsWith('- ', indent)) {
    const rest = lines[i]!.slice(indent + 2);
    if (/^[^'\s][^:]*:(?: |$)/.test(rest)) {
      // `- key: value`: a mapping whose first line shares the dash's line
      lines[i] = ' '.repeat(indent + 2) + rest;
      const [m, next] = mapping(lines, i, indent + 2);
      out.push(m);
      i = next;
    } else {
      out.push(inline(rest) ?? bail());
      i++;
    }
  }
  return [out, i];
}

function mapping(lines: string[], i: number, indent: number): [Record<string, YamlValue>, number] {
  const out: Record<string, YamlValue> = {};
  while (i < lines.length && indentOf(lines[i]!) === indent && !lines[i]!.startsWith('- ', indent)) {
    const line = lines[i]!.slice(indent);
    const colon = line.indexOf(':');
    const key = colon > 0 ? line.slice(0, colon) : bail();
    if (!KEY.test(key) || Object.hasOwn(out, key) || key === '__proto__') bail();
    const rest = line.slice(colon + 1);
    if (rest === '') {
      // the value is the block below: a mapping two deeper, a sequence at the same or two deeper
      const next = lines[i + 1];
      if (next === undefined) bail();
      const n = indentOf(next!);
      const seq = next!.startsWith('- ', n);
      if (!(n === indent + 2 || (seq && n === indent))) bail();
      const [v, after] = block(lines, i + 1, n);
      out[key] = v;
      i = after;
    } else {
      if (!rest.startsWith(' ')) bail();
      out[key] = inline(rest.slice(1)) ?? bail();
      i++;
    }
  }
  return [out, i];
}

function inline(raw: string): YamlValue | undefined {
  if (raw === '[]') return [];
  if (raw === '{}') return {};
  return subsetScalar(raw);
}
