/**
 * zonecfg's bundle (scripts/bundle.mjs) holds its command line only: the rest of core loads as the
 * package, once, and finds its npm packages (js-yaml) from core, not from the bundle.
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const bundle = resolve(here, '../dist/bundle/main.js');
const coreSrc = resolve(here, '../../core/src');

const specifiers = (text: string, re: RegExp) => [...text.matchAll(re)].map((m) => m[1]!);

/** The core modules (by id: `lang/help`) that `ids` import, directly or not. */
function reached(ids: string[]): Set<string> {
  const seen = new Set<string>();
  const todo = [...ids];
  while (todo.length > 0) {
    const id = todo.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const file = join(coreSrc, `${id}.ts`);
    for (const s of specifiers(readFileSync(file, 'utf8'), /(?:from |import\()'(\.[^']+)\.js'/g)) todo.push(relative(coreSrc, resolve(file, '..', s)));
  }
  return seen;
}

describe('zonecfg bundle', () => {
  const text = readFileSync(bundle, 'utf8');
  const imports = specifiers(text, /(?:from|import\()\s*"([^"]+)"/g);
  // esbuild heads each module it inlined with a `// path` line
  const inlined = specifiers(text, /^\/\/ packages\/core\/dist\/(.+)\.js$/gm);

  test('imports only node: built-ins and @zones/core modules', () => {
    expect(imports.length).toBeGreaterThan(5);
    expect(imports.filter((s) => !s.startsWith('node:') && !s.startsWith('@zones/core/'))).toEqual([]);
    expect(text).not.toContain('createRequire');
  });

  test('what it loads from core never imports a module it holds (that one would be loaded twice)', () => {
    const outside = reached(imports.filter((s) => s.startsWith('@zones/core/')).map((s) => s.slice('@zones/core/'.length)));
    expect(outside.size).toBeGreaterThan(10);
    expect(inlined).toContain('zonecfg/main');
    expect(inlined.filter((id) => outside.has(id))).toEqual([]);
  });
});
