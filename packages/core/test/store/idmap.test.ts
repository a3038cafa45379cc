/** The zones' blocks of host ids: where they come from, one per zone, kept, given back, reported when corrupt. */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  blockRefusal,
  blockText,
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

  test('no entry for root: the documented default range, above what useradd hands out and below 2^31', () => {
    const blocks = candidateBlocks('/', none);
    expect(blocks[0]).toEqual([1_000_000_000, 1_000_000_000]);
    expect(blocks).toHaveLength(Math.floor(DEFAULT_RANGE.count / IDS_PER_ZONE));
    const [last] = blocks[blocks.length - 1]!;
    expect(last + IDS_PER_ZONE).toBeLessThanOrEqual(2 ** 31);
    expect(blocks[0]![0]).toBeGreaterThan(600_100_000);
  });

  test('a block holding a host account is never handed out', () => {
    const blocks = candidateBlocks('/', { ...none, subuid: 'root:100000:196608\n', subgid: 'root:100000:196608\n', passwd: 'ldapuser:x:170000:100::/:/bin/sh\n' });
    expect(blocks.map(([u]) => u)).toEqual([100000, 231072]);
  });

  test("another user's subordinate range is never a zone's block (their namespaces could run as its ids)", () => {
    const subuid = 'alice:1000000000:65536\nbob:1000131072:65536\n';
    const blocks = candidateBlocks('/', { ...none, subuid, subgid: subuid });
    expect(blocks.slice(0, 2)).toEqual([
      [1000065536, 1000065536],
      [1000196608, 1000196608],
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

  test('a block given out earlier is checked again: a range or an account added since then refuses it, saying how to resolve it', () => {
    const a = new IdmapStore(root, sources).allocate('uuid-a');
    const later = (extra: Partial<typeof sources>) => () => new IdmapStore(root, { ...sources, ...extra }).allocate('uuid-a');
    expect(later({ subuid: `${sources.subuid}carol:${a.uid + 100}:10\n` })).toThrow(
      `its host uids ${a.uid}-${a.uid + 65535} meet carol's range in /etc/subuid: remove that, or the zone's line from ${idmapPath(root)} to give it a new block`,
    );
    expect(later({ subgid: `${sources.subgid}carol:${a.gid}:65536\n` })).toThrow(/host gids .* meet carol's range in \/etc\/subgid/);
    expect(later({ passwd: `svc:x:${a.uid + 7}:100::/:/bin/sh\n` })).toThrow(`hold the host's uid ${a.uid + 7} (/etc/passwd)`);
    expect(later({ group: `svc:x:${a.gid + 7}:\n` })).toThrow(`hold the host's gid ${a.gid + 7} (/etc/group)`);
    // root's own new ranges, and others' elsewhere, change nothing
    expect(later({ subuid: `${sources.subuid}root:5000000:65536\ndave:9000000:65536\n` })()).toEqual(a);
    // removing the line gives the zone a new block, clear of the new range
    writeFileSync(idmapPath(root), '');
    const extra = { subuid: `${sources.subuid}carol:${a.uid + 100}:10\n` };
    const b = new IdmapStore(root, { ...sources, ...extra }).allocate('uuid-a');
    expect(b.uid).not.toBe(a.uid);
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

describe('attach: a block that comes from another host (IdmapStore.adopt)', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'idmap-adopt-'));
    mkdirSync(join(root, 'etc/zones'), { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const sources = { ...none, subuid: 'root:100000:262144\n', subgid: 'root:100000:262144\n' };
  const block = (start: number, gid = start, count = IDS_PER_ZONE) => ({ uid: start, gid, count });
  const lines = () => readFileSync(idmapPath(root), 'utf8').split('\n').filter((l) => /^[^#]/.test(l));

  test('a free block of this host is kept, recorded under the zone in one line', () => {
    const got = new IdmapStore(root, sources).adopt('uuid-z', block(231072));
    expect(got).toEqual({ map: block(231072) });
    expect(lines()).toEqual(['uuid-z:231072:231072:65536']);
    // asked again (attach run twice, a crash between block and state): the same, nothing written
    expect(new IdmapStore(root, sources).adopt('uuid-z', block(231072))).toEqual({ map: block(231072) });
  });

  test('a block another zone holds: the next free one, and who holds it', () => {
    const s = new IdmapStore(root, sources);
    const other = s.allocate('uuid-o');
    const got = s.adopt('uuid-z', other, undefined, (k) => (k === 'uuid-o' ? 'web' : undefined));
    expect(got.refused).toBe("it is in use by zone 'web' on this system");
    expect(got.map.uid).not.toBe(other.uid);
    expect(s.lookup('uuid-z')).toEqual(got.map);
    // a block that only overlaps the other (shifted by one id) is refused too
    expect(blockRefusal(block(other.uid + 1), sources)).toMatch(/not a block of root's range in \/etc\/subuid/);
  });

  test('the zone already has a block here: it keeps it when the wanted one is taken, swaps to it when it is free', () => {
    const s = new IdmapStore(root, sources);
    const mine = s.allocate('uuid-z');
    const other = s.allocate('uuid-o');
    expect(s.adopt('uuid-z', other)).toEqual({ map: mine, refused: 'it is in use on this system' });
    const free = [100000, 165536, 231072, 296608].map((u) => block(u)).find((b) => b.uid !== mine.uid && b.uid !== other.uid)!;
    expect(s.adopt('uuid-z', free)).toEqual({ map: free });
    // the old block went back in the same write: two lines, one per zone
    expect(lines()).toHaveLength(2);
    expect(s.lookup('uuid-z')).toEqual(free);
  });

  test.each([
    ['outside root\'s range', block(5_000_000), "host uids 5000000-5065535 are not a block of root's range in /etc/subuid"],
    ['not on a block boundary', block(100001), "host uids 100001-165536 are not a block of root's range in /etc/subuid"],
    ['gids outside the range', block(100000, 7), "host gids 7-65542 are not a block of root's range in /etc/subgid"],
    ['another size', block(100000, 100000, 10), 'it has 10 ids, not 65536'],
    ['the whole 32-bit space', block(100000, 100000, 4294967295), 'it has 4294967295 ids, not 65536'],
  ])('a hand-edited block is never honoured: %s', (_what, map, why) => {
    expect(blockRefusal(map, sources)).toBe(why);
    const got = new IdmapStore(root, sources).adopt('uuid-z', map);
    expect(got.refused).toBe(`this system would not give it to a zone (${why})`);
    expect(got.map).toEqual(new IdmapStore(root, sources).lookup('uuid-z'));
    expect(blockRefusal(got.map, sources)).toBeUndefined();
  });

  test("a block holding a host account, or meeting another user's range, is refused with what it meets", () => {
    expect(blockRefusal(block(100000), { ...sources, passwd: 'svc:x:100005:100005::/:/bin/false\n' })).toBe(
      "host uids 100000-165535 hold the host's uid 100005 (/etc/passwd)",
    );
    expect(blockRefusal(block(165536), { ...sources, subuid: `${sources.subuid}carol:170000:10\n` })).toBe(
      "host uids 165536-231071 meet carol's range in /etc/subuid",
    );
  });

  test('a malformed manifest block: the zone gets its block here (or the next free one), with the reason', () => {
    const got = new IdmapStore(root, sources).adopt('uuid-z', undefined, "the manifest's id block is malformed ('idmap.uid' is not a positive integer)");
    expect(got.refused).toBe("the manifest's id block is malformed ('idmap.uid' is not a positive integer)");
    expect(lines()).toHaveLength(1);
  });

  test('blockText: one span when uids and gids agree, both otherwise', () => {
    expect(blockText(block(100000))).toBe('100000-165535');
    expect(blockText(block(100000, 200000))).toBe('uids 100000-165535, gids 200000-265535');
  });
});
