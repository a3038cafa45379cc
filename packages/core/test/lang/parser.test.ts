import { describe, expect, test } from '@jest/globals';
import { tokenize } from '../../src/lang/lexer.js';
import { parse, type Vocabulary } from '../../src/lang/parser.js';

const vocab: Vocabulary = {
  resourceTypes: new Set(['fs', 'net', 'rctl', 'capped-memory', 'dedicated-cpu', 'inherit-pkg-dir', 'attr']),
  propertyNames: new Set(['zonepath', 'zonename', 'autoboot', 'bootargs', 'dir', 'special', 'type', 'options', 'name', 'value', 'priv', 'limit', 'action', 'physical', 'address', 'limitpriv', 'brand']),
  singletonTypes: new Set(['capped-memory', 'dedicated-cpu']),
};
const kw = new Set([...vocab.resourceTypes, ...vocab.propertyNames]);
const kinds = (s: string) => tokenize(s, { keywords: kw }).map((t) => `${t.kind}:${t.text}`);

describe('lexer', () => {
  test('= is its own token with or without blanks', () => {
    expect(kinds('set zonepath=/z')).toEqual(kinds('set zonepath = /z'));
    expect(kinds('set zonepath=/z')).toEqual(['command:set', 'keyword:zonepath', 'eq:=', 'word:/z', 'eof:']);
  });
  test('command words only at the start of a command', () => {
    expect(kinds('set name=add')).toEqual(['command:set', 'keyword:name', 'eq:=', 'word:add', 'eof:']);
    expect(kinds('foo')[0]).toBe('char:f');
  });
  test('? is help', () => {
    expect(kinds('?')[0]).toBe('command:help');
  });
  test('comments at the start of a command', () => {
    expect(kinds('# hello; world\ncommit')).toEqual(['newline:\n', 'command:commit', 'eof:']);
  });
  test('quotes make one token with blanks, ; and =', () => {
    expect(kinds('set bootargs="-m verbose; x=1"')).toEqual(['command:set', 'keyword:bootargs', 'eq:=', 'word:-m verbose; x=1', 'eof:']);
  });
  test('an unterminated quote runs to the end of the line and swallows it', () => {
    expect(kinds('set bootargs="abc\ncommit')).toEqual(['command:set', 'keyword:bootargs', 'eq:=', 'word:abc', 'word:commit', 'eof:']);
  });
  test('lists and complex values', () => {
    expect(kinds('set options=[ro,nodevices]')).toEqual(['command:set', 'keyword:options', 'eq:=', 'lbracket:[', 'word:ro', 'comma:,', 'word:nodevices', 'rbracket:]', 'eof:']);
    expect(kinds('add value (priv=privileged,limit=5,action=deny)')).toEqual([
      'command:add', 'keyword:value', 'lparen:(', 'keyword:priv', 'eq:=', 'word:privileged', 'comma:,',
      'keyword:limit', 'eq:=', 'word:5', 'comma:,', 'keyword:action', 'eq:=', 'word:deny', 'rparen:)', 'eof:',
    ]);
  });
  test('line numbers', () => {
    const t = tokenize('create\n\nset zonepath=/z', { keywords: kw });
    expect(t.find((x) => x.text === 'set')!.line).toBe(3);
  });
});

describe('parser', () => {
  const one = (s: string) => {
    const st = parse(s, vocab);
    expect(st).toHaveLength(1);
    return st[0]!;
  };
  test('statements split on ; and newline, blank ones skipped', () => {
    expect(parse('create; set zonepath=/z\n\ncommit;;', vocab).map((s) => ('command' in s ? s.command.name : 'error'))).toEqual(['create', 'set', 'commit']);
  });
  test('set', () => {
    expect(one('set zonepath=/z')).toEqual({ command: { name: 'set', line: 1, argv: [], pairs: [{ name: 'zonepath', value: { kind: 'simple', text: '/z' } }] } });
  });
  test('set -F zonepath', () => {
    const st = one('set -F zonepath=/z');
    expect('command' in st && st.command.argv).toEqual(['-F']);
  });
  test('set with an empty list', () => {
    const st = one('set options=[]');
    expect('command' in st && st.command.pairs[0]!.value).toEqual({ kind: 'list', items: [] });
  });
  test('keywords are accepted as values', () => {
    const st = one('set name=zonepath');
    expect('command' in st && st.command.pairs[0]!.value).toEqual({ kind: 'simple', text: 'zonepath' });
  });
  test('an unknown property is a syntax error at the = (yacc expected -F zonepath)', () => {
    expect(one('set foo=bar')).toEqual({ error: { kind: 'syntax', near: '=', line: 1, atEnd: false } });
  });
  test('an unknown command is a syntax error at its first character', () => {
    expect(one('quit')).toEqual({ error: { kind: 'syntax', near: 'q', line: 1, atEnd: false } });
  });
  test('missing value reports the terminator', () => {
    expect(one('set zonepath=\n')).toEqual({ error: { kind: 'syntax', near: '\n', line: 1, atEnd: false } });
  });
  test('bare add/remove/select/set/clear are usage errors', () => {
    for (const c of ['add', 'remove', 'select', 'set', 'clear']) {
      const st = one(c);
      expect('error' in st && st.error.kind).toBe('usage');
    }
  });
  test('select needs pairs except for singleton resources', () => {
    expect('error' in one('select fs')).toBe(true);
    expect('command' in one('select capped-memory')).toBe(true);
  });
  test('add forms', () => {
    const a = one('add fs');
    expect('command' in a && a.command.target).toBe('fs');
    const b = one('add options [ro,nodevices]');
    expect('command' in b && b.command.propValue).toEqual({ name: 'options', value: { kind: 'list', items: [{ kind: 'simple', text: 'ro' }, { kind: 'simple', text: 'nodevices' }] } });
    const c = one('add value (priv=privileged,limit=5,action=deny)');
    expect('command' in c && c.command.propValue!.value).toEqual({ kind: 'complex', pairs: [['priv', 'privileged'], ['limit', '5'], ['action', 'deny']] });
    const d = one('add bogus');
    expect('command' in d && d.command.argv).toEqual(['bogus']);
  });
  test('remove forms', () => {
    const a = one('remove -F fs');
    expect('command' in a && [a.command.argv, a.command.target]).toEqual([['-F'], 'fs']);
    const b = one('remove inherit-pkg-dir dir=/usr');
    expect('command' in b && b.command.pairs).toEqual([{ name: 'dir', value: { kind: 'simple', text: '/usr' } }]);
  });
  test('at most three pairs', () => {
    expect('error' in one('select fs dir=/a special=/b type=lofs dir=/c')).toBe(true);
    expect('command' in one('select fs dir=/a special=/b type=lofs')).toBe(true);
  });
  test('complex names must be property keywords', () => {
    expect(one('add value (prov=x)')).toEqual({ error: { kind: 'syntax', near: 'prov', line: 1, atEnd: false } });
  });
  test('create takes up to three words', () => {
    const st = one('create -F -t tpl');
    expect('command' in st && st.command.argv).toEqual(['-F', '-t', 'tpl']);
    expect('error' in one('create a b c d')).toBe(true);
  });
  test('info forms', () => {
    expect('command' in one('info')).toBe(true);
    const a = one('info zonepath');
    expect('command' in a && a.command.target).toBe('zonepath');
    const b = one('info fs dir=/a');
    expect('command' in b && b.command.pairs.length).toBe(1);
    const c = one('info bogus');
    expect('error' in c && c.error.kind).toBe('usage');
  });
  test('an error does not swallow the next statement', () => {
    const st = parse('set foo=bar; commit', vocab);
    expect(st.map((s) => ('command' in s ? s.command.name : 'error'))).toEqual(['error', 'commit']);
  });
  test('unbalanced brackets and parentheses are errors, never exceptions', () => {
    for (const s of ['set options=[ro', 'add value (priv=x', 'set options=]', 'add value )', 'set dir="', '[[[(((', 'set ']) {
      expect(() => parse(s, vocab)).not.toThrow();
      expect(parse(s, vocab).some((x) => 'error' in x)).toBe(true);
    }
  });
});
