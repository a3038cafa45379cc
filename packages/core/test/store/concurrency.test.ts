/**
 * Two real processes hammering the same store: the per-zone lock and the index lock must keep
 * every write whole and every index update (no lost entries, no torn yaml, no stray temp files).
 * The children run the built store (dist), which `npm test` builds first (pretest: tsc -b).
 */
import { test, expect } from '@jest/globals';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZoneStore } from '../../src/store/zone-store.js';
import { parseIndex, indexEntries, malformedLines } from '../../src/store/index-file.js';
import { tempRoot } from './helpers.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = resolve(here, '../../dist/store/zone-store.js');
const schemaDist = resolve(here, '../../dist/model/schema.js');

const N = 40;

function child(root: string, tag: string): Promise<number> {
  const script = `
    const { ZoneStore } = await import(${JSON.stringify(dist)});
    const { defaultGlobals } = await import(${JSON.stringify(schemaDist)});
    const s = new ZoneStore(${JSON.stringify(root)});
    const mk = (name, bootargs) => ({ globals: { ...defaultGlobals(name), zonepath: '/zones/' + name, bootargs },
      resources: Array.from({ length: 50 }, (_, i) => ({ type: 'attr', props: { name: 'a' + i, type: 'string', value: bootargs } })) });
    for (let i = 0; i < ${N}; i++) {
      s.save(mk('shared', '${tag}-' + i));
      s.save(mk('${tag}' + i, '${tag}'));
    }
  `;
  return new Promise((res, rej) => {
    const p = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'inherit', 'inherit'] });
    p.on('error', rej);
    p.on('exit', (code) => res(code ?? -1));
  });
}

test('two processes saving concurrently never interleave or lose index updates', async () => {
  const t = tempRoot();
  try {
    const codes = await Promise.all([child(t.root, 'A'), child(t.root, 'B')]);
    expect(codes).toEqual([0, 0]);
    const store = new ZoneStore(t.root);
    const idx = parseIndex(readFileSync(join(t.root, 'etc/zones/index'), 'utf8'));
    expect(malformedLines(idx)).toEqual([]);
    const names = indexEntries(idx).map((e) => e.name);
    expect(names.filter((n) => n === 'shared')).toHaveLength(1);
    expect(names).toHaveLength(1 + 1 + 2 * N); // global + shared + A0..A39 + B0..B39
    const shared = store.load('shared')!;
    const tag = shared.globals.bootargs;
    expect(tag).toMatch(/^[AB]-\d+$/);
    // the whole file comes from one write: every attr carries the same value
    expect(shared.resources.every((r) => r.props.value === tag)).toBe(true);
    const files = readdirSync(join(t.root, 'etc/zones'));
    expect(files.filter((f) => f.includes('.tmp-') || f.endsWith('.lock'))).toEqual([]);
    expect(files).toHaveLength(1 + 1 + 2 * N); // index + yamls
  } finally {
    t.cleanup();
  }
}, 60_000);
