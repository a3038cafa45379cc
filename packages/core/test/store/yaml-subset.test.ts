/**
 * The store's YAML subset reader: whatever js-yaml dumps, it either reads exactly as js-yaml
 * would, or declines (and the caller parses with js-yaml). The store's own files take the fast path.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { createRequire } from 'node:module';
import { parseYamlSubset, subsetScalar } from '../../src/store/yaml-subset.js';
import { formatConfigYaml, parseConfigYaml } from '../../src/store/zone-store.js';
import { defaultTemplate } from '../../src/store/templates.js';

const yaml = createRequire(import.meta.url)('js-yaml') as typeof import('js-yaml');

// Strings that stress YAML: indicators, quotes, colons, hashes, numbers, dates, booleans, spaces.
const atom = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9 _.:#'"\-/,=[\]{}!&*|>%@?~+]{0,12}$/),
  fc.constantFrom('true', 'False', 'null', '~', '0x1F', '1e3', '.inf', '2024-01-02', '-i zsched', '10.0.0.1/24', "it's", '- x', 'a: b', 'a #b', ' lead', 'trail ', '<<', '-1', '+2'),
);
const key = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
const propValue = fc.oneof(
  atom,
  fc.array(atom, { maxLength: 3 }),
  fc.array(fc.record({ priv: atom, limit: atom, action: atom }), { minLength: 1, maxLength: 2 }),
);
const doc = fc.record({
  globals: fc.dictionary(key, atom, { maxKeys: 6 }),
  resources: fc.array(fc.record({ type: key, props: fc.dictionary(key, propValue, { maxKeys: 4 }) }), { maxLength: 4 }),
});

describe('parseYamlSubset', () => {
  test('reads js-yaml dumps exactly as js-yaml, or declines', () => {
    let taken = 0;
    fc.assert(
      fc.property(doc, (d) => {
        const text = yaml.dump(d);
        const fast = parseYamlSubset(text);
        if (fast !== undefined) {
          taken++;
          expect(fast).toEqual(yaml.load(text));
        }
      }),
      { numRuns: 400 },
    );
    expect(taken).toBeGreaterThan(40); // the fast path is taken for a good share, not declined always
  });

  test("the store's own configs take the fast path", () => {
    const cfg = defaultTemplate('z1');
    cfg.globals.zonepath = '/zones/z1';
    cfg.globals.bootargs = '-i zsched';
    cfg.resources.push(
      { type: 'fs', props: { dir: '/mnt', special: '/srv/x y', type: 'lofs', options: ['ro', 'nosuid'] } },
      { type: 'net', props: { address: '10.0.0.1/24', physical: 'br0' } },
      { type: 'rctl', props: { name: 'zone.max-lwps', value: [{ priv: 'privileged', limit: '100', action: 'deny' }] } },
      { type: 'attr', props: { name: 'comment', type: 'string', value: "it's: a #test" } },
    );
    const text = formatConfigYaml(cfg);
    expect(parseYamlSubset(text)).toEqual(yaml.load(text));
    expect(parseConfigYaml(text, 'z1')).toEqual(parseConfigYaml(text.replace('globals:', '# hand-edited\nglobals:'), 'z1'));
  });

  test('hand-edited forms are left to js-yaml', () => {
    for (const text of [
      'globals:\n  zonename: a # comment\n',
      'globals:\n  autoboot: false\n',
      'globals:\n  zonename: "a"\n',
      'globals: {zonename: a}\n',
      'globals:\n\tzonename: a\n',
      'globals:\n  zonepath: &p /z\n',
      'globals:\n  bootargs: |\n    -s\n',
      'globals:\n  zonename: a\n\nresources: []\n',
      '---\nglobals:\n  zonename: a\n',
    ]) {
      expect([text, parseYamlSubset(text)]).toEqual([text, undefined]);
    }
  });

  test('scalars', () => {
    expect(subsetScalar("'it''s'")).toBe("it's");
    expect(subsetScalar('-m verbose')).toBe('-m verbose');
    expect(subsetScalar('/usr')).toBe('/usr');
    for (const s of ['', '123', '1.5', 'true', 'null', '~', '- x', '-', '"x"', 'a: b', 'a #b', 'x ', '2024-01-01']) expect([s, subsetScalar(s)]).toEqual([s, undefined]);
  });
});
