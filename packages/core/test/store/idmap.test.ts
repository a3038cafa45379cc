/** The zones' blocks of host ids: where they come from, one per zone, kept, given back, reported when corrupt. */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  candidateBlocks,
  DEFAULT_RANGE,
  IDS_PER_ZONE,
  IdmapError,
  IdmapStore,
  idmapKey,
  idmapPath,
  rootRanges,
} from '../../src/store/idmap.js';
import { ZoneStore } from '../../src/store/zone-store.js';
import { blankTemplate } from '../../src/store/templates.js';
import { storeBackend } from '../../src/zonecfg/backend.js';

const ZONECFG = fileURLToPath(new URL('../../../../bin/zonecfg', import.meta.url));

const none = { subuid: '', subgid: '', passwd: '', group: '' };

describe('where the blocks come from', () => {
  test("root's entries in /etc/subuid, by name or by uid; other users' are not ours", () => {
    expect(rootRanges('# c\nalice:100000:65536\nroot:200000:131072\n0:500000:65536\nroot:bad:1\n')).toEqual([
      { start: 200000, count: 131072 },
      { start: 500000, count: 65536 },
    ]);
  });

  test('whole blocks of 65536 only, uid block k paired with gid block k', () => {
    const blocks = candidateBlocks('/', { ...none, subuid: 'root:100000:200000\n', subgid: 'root:300000:196608\n' });
    expect(blocks).toEqual([
      [100000, 300000],
      [165536, 365536],
      [231072, 431072],
    ]);
  });

  test('no entry for root: the documented default range', () => {
    const blocks = candidateBlocks('/', none);
    expect(blocks[0]).toEqual([DEFAULT_RANGE.start, DEFAULT_RANGE.start]);
    expect(blocks).toHaveLength(Math.floor(DEFAULT_RANGE.count / IDS_PER_ZONE));
  });

  test('a block holding a host account is never handed out', () => {
    const blocks = candidateBlocks('/', { ...none, subuid: 'root:100000:196608\n', subgid: 'root:100000:196608\n', passwd: 'ldapuser:x:170000:100::/:/bin/sh\n' });
    expect(blocks.map(([u]) => u)).toEqual([100000, 231072]);
  });

  test("another user's subordinate range is never a zone's block (their namespaces could run as its ids)", () => {
    const subuid = 'alice:1000000:65536\nbob:1131072:65536\n';
    const blocks = candidateBlocks('/', { ...none, subuid, subgid: subuid });
    expect(blocks.slice(0, 2)).toEqual([
      [1065536, 1065536],
      [1196608, 1196608],
    ]);
  });

  test('a store other than the real one starts elsewhere in the range, the same place every time', () => {
    const real = candidateBlocks('/', none)[0];
    const a = candidateBlocks('/tmp/zones-a', none)[0];
    expect(a).not.toEqual(real);
    expect(candidateBlocks('/tmp/zones-a', none)[0]).toEqual(a);
    expect(candidateBlocks('/tmp/zones-b', none)[0]).not.toEqual(a);
  });
});

describe('allocation in the store', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'idmap-'));
    mkdirSync(join(root, 'etc/zones'), { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const sources = { ...none, subuid: 'root:100000:196608\n', subgid: 'root:100000:196608\n' };

  test('a zone keeps its block; two zones never share one; the pool runs out with a clear message', () => {
    const s = new IdmapStore(root, sources);
    const a = s.allocate('uuid-a');
    expect(s.allocate('uuid-a')).toEqual(a);
    const b = s.allocate('uuid-b');
    expect(b.uid).not.toBe(a.uid);
    expect(b.gid).not.toBe(a.gid);
    expect([a, b].every((m) => m.count === IDS_PER_ZONE)).toBe(true);
    s.allocate('uuid-c');
    expect(() => s.allocate('uuid-d')).toThrow(
      'no free block of 65536 host ids for the zone\'s user namespace: give root a larger range in /etc/subuid and /etc/subgid',
    );
    // what is recorded, and where
    expect(readFileSync(idmapPath(root), 'utf8')).toMatch(/^uuid-a:\d+:\d+:65536$/m);
    expect(new IdmapStore(root, sources).lookup('uuid-b')).toEqual(b);
  });

  test('blocks given out before /etc/subuid changed are avoided by range, not only by start', () => {
    writeFileSync(idmapPath(root), 'uuid-old:100000:100000:65536\n');
    // now root's range starts 4096 ids later: its first whole block would overlap uuid-old's
    const s = new IdmapStore(root, { ...none, subuid: 'root:104096:196608\n', subgid: 'root:104096:196608\n' });
    const got = s.allocate('uuid-new');
    expect([169632, 235168]).toContain(got.uid);
    expect(got.uid >= 165536 || got.uid + 65536 <= 100000).toBe(true);
  });

  test('deleting the zone gives its block back; a rename keeps it (the key is the uuid)', () => {
    const store = new ZoneStore(root);
    const cfg = blankTemplate('web');
    cfg.globals.zonepath = join(root, 'zones/web');
    store.save(cfg);
    const key = idmapKey(store.get('web')!);
    const ids = new IdmapStore(root).allocate(key);
    store.save({ ...cfg, globals: { ...cfg.globals, zonename: 'www' } }, { previousName: 'web' });
    expect(idmapKey(store.get('www')!)).toBe(key);
    expect(new IdmapStore(root).lookup(key)).toEqual(ids);
    store.remove('www');
    expect(new IdmapStore(root).lookup(key)).toBeUndefined();
  });

  test('a hand-corrupted file is reported with its line, never guessed at; delete still works', () => {
    writeFileSync(idmapPath(root), '# header\nuuid-a:100000:100000:65536\nuuid-b:oops\n');
    expect(() => new IdmapStore(root).allocate('x')).toThrow(new IdmapError(`${idmapPath(root)}:3: malformed line 'uuid-b:oops'`));
    const store = new ZoneStore(root);
    const cfg = blankTemplate('z');
    cfg.globals.zonepath = '/z';
    store.save(cfg);
    expect(() => store.remove('z')).not.toThrow();
  });

  test('zonecfg info shows the block once the zone has one, export never', () => {
    const store = new ZoneStore(root);
    const cfg = blankTemplate('web');
    cfg.globals.zonepath = join(root, 'zones/web');
    store.save(cfg);
    const backend = storeBackend(root);
    expect(backend.lookup('web')!.idmap).toBeUndefined();
    const zonecfg = (cmd: string) => execFileSync(ZONECFG, ['-z', 'web', cmd], { env: { ...process.env, ZONES_ROOT: root }, encoding: 'utf8' });
    expect(zonecfg('info')).not.toContain('uid-map');
    const ids = new IdmapStore(root).allocate(idmapKey(store.get('web')!));
    expect(backend.lookup('web')!.idmap).toEqual(ids);
    const info = zonecfg('info').split('\n');
    expect(info).toContain(`[uid-map: 0 ${ids.uid} 65536]`);
    expect(info).toContain(`[gid-map: 0 ${ids.gid} 65536]`);
    // after the global properties and aliases, before the resources
    expect(info.indexOf(`[uid-map: 0 ${ids.uid} 65536]`)).toBeGreaterThan(info.findIndex((l) => l.startsWith('fs-allowed:')));
    expect(zonecfg('export')).not.toMatch(/[ug]id-map/);
  });
});
