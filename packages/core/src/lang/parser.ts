/**
 * The zonecfg command grammar (after illumos zonecfg_grammar.y), as a small recursive-descent
 * parser over the lexer's tokens. One statement per terminator (`;`, newline or end of input).
 * A statement is either a command for the session to run or a parse error to report; after an
 * error the parser skips to the next terminator, as yacc's error recovery does.
 */
import { tokenize, type CommandName, type Token } from './lexer.js';

export type SimpleValue = { kind: 'simple'; text: string };
export type ComplexValue = { kind: 'complex'; pairs: Array<[string, string]> };
export type ListValue = { kind: 'list'; items: Array<SimpleValue | ComplexValue> };
export type Value = SimpleValue | ComplexValue | ListValue;

export interface Pair {
  name: string;
  value: Value;
}

export interface Command {
  name: CommandName;
  line: number;
  /** Bare words after the command: options (-F, -b, -t NAME, -f FILE) or a help subject. */
  argv: string[];
  /** add/select/remove/info: the resource type; clear/info: the property name. */
  target?: string;
  /** set: the one assignment; select/remove/info: the name=value filters. */
  pairs: Pair[];
  /** Resource scope `add options ro` / `remove value (...)`: a property and a value, no `=`. */
  propValue?: Pair;
}

/** What the grammar itself rejects. `usage` errors print the command's usage, not "syntax error". */
export type ParseError =
  | { kind: 'syntax'; near: string; line: number; atEnd: boolean }
  | { kind: 'usage'; command: CommandName; line: number; help: 'res-props' | 'props' | 'none' };

export type Statement = { command: Command } | { error: ParseError };

export interface Vocabulary {
  resourceTypes: ReadonlySet<string>;
  /** Every global, alias, resource and complex-value property name. */
  propertyNames: ReadonlySet<string>;
  /** Resource types that `select` accepts with no name=value pair. */
  singletonTypes: ReadonlySet<string>;
}

const MAX_PAIRS = 3;

class SyntaxError_ extends Error {
  constructor(readonly token: Token) {
    super('syntax');
  }
}
class UsageError_ extends Error {
  constructor(
    readonly command: CommandName,
    readonly help: 'res-props' | 'props' | 'none',
  ) {
    super('usage');
  }
}

export function parse(input: string, vocab: Vocabulary): Statement[] {
  const keywords = new Set([...vocab.resourceTypes, ...vocab.propertyNames]);
  const tokens = tokenize(input, { keywords });
  const out: Statement[] = [];
  let pos = 0;
  const isTerminator = (t: Token) => t.kind === 'semicolon' || t.kind === 'newline' || t.kind === 'eof';

  while (tokens[pos]!.kind !== 'eof') {
    const start = tokens[pos]!;
    if (isTerminator(start)) {
      pos++;
      continue;
    }
    const stream = new TokenStream(tokens, pos, vocab);
    try {
      const command = parseCommand(stream);
      const t = stream.peek();
      if (!isTerminator(t)) throw new SyntaxError_(t);
      out.push({ command });
    } catch (e) {
      if (e instanceof SyntaxError_) {
        out.push({
          error: { kind: 'syntax', near: e.token.text, line: e.token.line, atEnd: e.token.kind === 'eof' },
        });
      } else if (e instanceof UsageError_) {
        out.push({ error: { kind: 'usage', command: e.command, line: start.line, help: e.help } });
      } else {
        throw e;
      }
    }
    pos = stream.pos;
    while (!isTerminator(tokens[pos]!)) pos++;
    if (tokens[pos]!.kind !== 'eof') pos++;
  }
  return out;
}

class TokenStream {
  constructor(
    private readonly tokens: Token[],
    public pos: number,
    readonly vocab: Vocabulary,
  ) {}
  peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }
  next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  isWord(t = this.peek()): boolean {
    return t.kind === 'word';
  }
  isResourceType(t = this.peek()): boolean {
    return t.kind === 'keyword' && this.vocab.resourceTypes.has(t.text);
  }
  isPropertyName(t = this.peek()): boolean {
    return t.kind === 'keyword' && this.vocab.propertyNames.has(t.text);
  }
  isTerminator(t = this.peek()): boolean {
    return t.kind === 'semicolon' || t.kind === 'newline' || t.kind === 'eof';
  }
  expect(kind: Token['kind']): Token {
    const t = this.peek();
    if (t.kind !== kind) throw new SyntaxError_(t);
    return this.next();
  }
  fail(): never {
    throw new SyntaxError_(this.peek());
  }
}

function parseCommand(s: TokenStream): Command {
  const head = s.next();
  if (head.kind !== 'command') throw new SyntaxError_(head);
  const cmd: Command = { name: head.text as CommandName, line: head.line, argv: [], pairs: [] };
  switch (cmd.name) {
    case 'add':
      return parseAdd(s, cmd);
    case 'create':
      return takeWords(s, cmd, 3);
    case 'export':
      return takeWords(s, cmd, 2);
    case 'help':
      // A help subject may also be a keyword (`help net`); yacc only took a TOKEN, we are kinder.
      if (!s.isTerminator() && (s.isWord() || s.peek().kind === 'keyword')) cmd.argv.push(s.next().text);
      return cmd;
    case 'info':
      return parseInfo(s, cmd);
    case 'remove':
      return parseRemove(s, cmd);
    case 'select':
      return parseSelect(s, cmd);
    case 'set':
      return parseSet(s, cmd);
    case 'clear':
      if (s.isTerminator()) throw new UsageError_('clear', 'props');
      if (!s.isPropertyName()) s.fail();
      cmd.target = s.next().text;
      return cmd;
    default:
      // cancel commit delete end exit revert verify: at most one option word.
      return takeWords(s, cmd, 1);
  }
}

function takeWords(s: TokenStream, cmd: Command, max: number): Command {
  while (cmd.argv.length < max && s.isWord()) cmd.argv.push(s.next().text);
  return cmd;
}

function parseAdd(s: TokenStream, cmd: Command): Command {
  if (s.isTerminator()) throw new UsageError_('add', 'res-props');
  if (s.isWord()) {
    cmd.argv.push(s.next().text);
  } else if (s.isResourceType()) {
    cmd.target = s.next().text;
  } else if (s.isPropertyName()) {
    const name = s.next().text;
    cmd.propValue = { name, value: parseValue(s) };
  } else {
    s.fail();
  }
  return cmd;
}

/** `info --json`: our addition, the same selection as typed data (docs/reference.md#32-info). */
export const INFO_JSON = '--json';

function parseInfo(s: TokenStream, cmd: Command): Command {
  if (s.isWord() && s.peek().text === INFO_JSON) cmd.argv.push(s.next().text);
  if (s.isTerminator()) return cmd;
  if (s.isWord()) throw new UsageError_('info', 'res-props');
  if (s.isResourceType()) {
    cmd.target = s.next().text;
    parsePairs(s, cmd, 0);
  } else if (s.isPropertyName()) {
    cmd.target = s.next().text;
  } else {
    s.fail();
  }
  if (cmd.argv.length === 0 && s.isWord() && s.peek().text === INFO_JSON) cmd.argv.push(s.next().text);
  return cmd;
}

function parseRemove(s: TokenStream, cmd: Command): Command {
  if (s.isTerminator()) throw new UsageError_('remove', 'res-props');
  if (s.isWord()) {
    cmd.argv.push(s.next().text);
    if (!s.isResourceType()) {
      if (s.isTerminator()) throw new UsageError_('remove', 'res-props');
      s.fail();
    }
  }
  if (s.isResourceType()) {
    cmd.target = s.next().text;
    parsePairs(s, cmd, 0);
  } else if (s.isPropertyName()) {
    const name = s.next().text;
    cmd.propValue = { name, value: parseValue(s) };
  } else {
    s.fail();
  }
  return cmd;
}

function parseSelect(s: TokenStream, cmd: Command): Command {
  if (s.isTerminator()) throw new UsageError_('select', 'res-props');
  if (!s.isResourceType()) s.fail();
  cmd.target = s.next().text;
  if (s.isTerminator() && !s.vocab.singletonTypes.has(cmd.target)) throw new UsageError_('select', 'none');
  parsePairs(s, cmd, 0);
  return cmd;
}

function parseSet(s: TokenStream, cmd: Command): Command {
  if (s.isTerminator()) throw new UsageError_('set', 'props');
  if (s.isWord()) {
    // set -F zonepath=...: the only option set takes.
    cmd.argv.push(s.next().text);
    if (s.peek().kind !== 'keyword' || s.peek().text !== 'zonepath') s.fail();
  }
  if (!s.isPropertyName()) s.fail();
  const name = s.next().text;
  s.expect('eq');
  if (s.peek().kind === 'lbracket' && s.peek(1).kind === 'rbracket') {
    s.next();
    s.next();
    cmd.pairs.push({ name, value: { kind: 'list', items: [] } });
    return cmd;
  }
  cmd.pairs.push({ name, value: parseValue(s) });
  return cmd;
}

/** name=value pairs after a resource type, as many as the grammar allows (three). */
function parsePairs(s: TokenStream, cmd: Command, min: number): void {
  while (cmd.pairs.length < MAX_PAIRS && s.isPropertyName()) {
    const name = s.next().text;
    s.expect('eq');
    cmd.pairs.push({ name, value: parseValue(s) });
  }
  if (cmd.pairs.length < min) s.fail();
}

function parseValue(s: TokenStream): Value {
  const t = s.peek();
  if (t.kind === 'word' || t.kind === 'keyword') {
    s.next();
    return { kind: 'simple', text: t.text };
  }
  if (t.kind === 'lparen') return parseComplex(s);
  if (t.kind === 'lbracket') {
    s.next();
    const items: ListValue['items'] = [];
    for (;;) {
      const u = s.peek();
      if (u.kind === 'word') {
        s.next();
        items.push({ kind: 'simple', text: u.text });
      } else if (u.kind === 'lparen') {
        items.push(parseComplex(s));
      } else {
        s.fail();
      }
      if (s.peek().kind === 'comma') {
        s.next();
        continue;
      }
      s.expect('rbracket');
      return { kind: 'list', items };
    }
  }
  return s.fail();
}

function parseComplex(s: TokenStream): ComplexValue {
  s.expect('lparen');
  const pairs: Array<[string, string]> = [];
  for (;;) {
    if (!s.isPropertyName()) s.fail();
    const name = s.next().text;
    s.expect('eq');
    const v = s.peek();
    if (v.kind !== 'word' && v.kind !== 'keyword') s.fail();
    s.next();
    pairs.push([name, v.text]);
    if (s.peek().kind === 'comma') {
      s.next();
      continue;
    }
    s.expect('rparen');
    return { kind: 'complex', pairs };
  }
}
