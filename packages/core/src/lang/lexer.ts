/**
 * The zonecfg lexer. It follows the start-condition rules of illumos zonecfg_lex.l so that odd
 * input tokenises the way a Solaris admin has seen it behave: command words are recognised only at
 * the start of a command, resource and property names are keywords after it, `=` is always its own
 * token, `[..]` switches to list mode and `(..)` to complex-value mode, and an unterminated quote
 * runs to the end of the line (swallowing the newline, so the command continues on the next line).
 */

export type TokenKind =
  | 'command' // add, set, ... (only at the start of a command)
  | 'keyword' // a resource type or property name
  | 'word' // any other token, quoted or not
  | 'eq'
  | 'lbracket'
  | 'rbracket'
  | 'lparen'
  | 'rparen'
  | 'comma'
  | 'semicolon'
  | 'newline'
  | 'char' // a stray character no rule wants; the parser reports it
  | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  /** 1-based line the token starts on. */
  line: number;
}

export const COMMAND_WORDS = [
  'add',
  'cancel',
  'clear',
  'commit',
  'create',
  'delete',
  'end',
  'exit',
  'export',
  'help',
  'info',
  'remove',
  'revert',
  'select',
  'set',
  'verify',
] as const;
export type CommandName = (typeof COMMAND_WORDS)[number];

type State = 'initial' | 'token' | 'list' | 'complex';

const BLANK = /[ \t]/;
// Characters that end a bare token, per state (zonecfg_lex.l's TOKEN classes).
const TOKEN_STOP: Record<'token' | 'list' | 'complex', RegExp> = {
  token: /[ \t\n";=[\]()]/,
  list: /[ \t\n",;=[\]()]/,
  complex: /[ \t\n",;=()]/,
};

/**
 * The punctuation each state recognises, the token it makes and the state it moves to
 * (`outer` = back to where the `(` was seen).
 */
const PUNCTUATION: Record<'token' | 'list' | 'complex', Record<string, [TokenKind, State | 'outer' | undefined]>> = {
  token: { '[': ['lbracket', 'list'], '(': ['lparen', 'complex'] },
  list: { ']': ['rbracket', 'token'], '(': ['lparen', 'complex'], ',': ['comma', undefined] },
  complex: { ')': ['rparen', 'outer'], ',': ['comma', undefined] },
};

export interface LexerOptions {
  /** Words recognised as keywords after the command word (resource types and property names). */
  keywords: ReadonlySet<string>;
}

export function tokenize(input: string, options: LexerOptions): Token[] {
  const tokens: Token[] = [];
  let state: State = 'initial';
  // Where a `)` returns to: the state that was current when `(` was seen.
  let outer: 'token' | 'list' = 'token';
  let line = 1;
  let i = 0;
  const push = (kind: TokenKind, text: string, at = line) => tokens.push({ kind, text, line: at });

  while (i < input.length) {
    const c = input[i]!;
    if (c === ';') {
      push('semicolon', ';');
      state = 'initial';
      i++;
      continue;
    }
    if (c === '\n') {
      push('newline', '\n');
      line++;
      state = 'initial';
      i++;
      continue;
    }
    if (BLANK.test(c)) {
      i++;
      continue;
    }

    if (state === 'initial') {
      if (c === '#') {
        while (i < input.length && input[i] !== '\n') i++;
        continue;
      }
      if (c === '?') {
        push('command', 'help');
        state = 'token';
        i++;
        continue;
      }
      const word = longestCommandAt(input, i);
      if (word) {
        push('command', word);
        state = 'token';
        i += word.length;
        continue;
      }
      push('char', c);
      i++;
      continue;
    }

    if (c === '=') {
      push('eq', '=');
      i++;
      continue;
    }
    if (c === '"' && state !== 'complex') {
      // "[^"\n]*["\n]: the closing quote or the newline ends it; both are consumed.
      let j = i + 1;
      while (j < input.length && input[j] !== '"' && input[j] !== '\n') j++;
      if (j < input.length) {
        push('word', input.slice(i + 1, j));
        // illumos does not count the swallowed newline; we do, so later line numbers stay right.
        if (input[j] === '\n') line++;
        i = j + 1;
        continue;
      }
    }
    if (c === '"') {
      push('char', c);
      i++;
      continue;
    }
    const punct: [TokenKind, State | 'outer' | undefined] | undefined = PUNCTUATION[state][c];
    if (punct) {
      const kind: TokenKind = punct[0];
      const next: State | 'outer' | undefined = punct[1];
      push(kind, c);
      if (next === 'outer') {
        state = outer;
      } else if (next) {
        if (next === 'complex') outer = state as 'token' | 'list';
        state = next;
      }
      i++;
      continue;
    }

    let j = i;
    const stop = TOKEN_STOP[state];
    while (j < input.length && !stop.test(input[j]!)) j++;
    if (j === i) {
      push('char', c);
      i++;
      continue;
    }
    const text = input.slice(i, j);
    // Keywords exist in token and complex mode only; a list element is always a plain word.
    push(state !== 'list' && options.keywords.has(text) ? 'keyword' : 'word', text);
    i = j;
  }
  push('eof', '');
  return tokens;
}

function longestCommandAt(input: string, at: number): CommandName | undefined {
  let best: CommandName | undefined;
  for (const w of COMMAND_WORDS) {
    if (input.startsWith(w, at) && (!best || w.length > best.length)) best = w;
  }
  return best;
}
