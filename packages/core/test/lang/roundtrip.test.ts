/**
 * Property: for any valid configuration, `export` replayed with `-f` recreates it exactly
 * (same stored form, same `info`), in memory and through the real store on disk.
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Session, type ConfigBackend } from '../../src/lang/session.js';
import { CapturingIO, MemoryBackend } from './memory-backend.js';
import { RESOURCE_TYPES } from '../../src/model/schema.js';
import type { ZoneConfig } from '../../src/model/types.js';
import { storeBackend } from '../../src/zonecfg/backend.js';
import { ZoneStore } from '../../src/store/zone-store.js';
import { tempRoot } from '../store/helpers.js';

const seg = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,8}$/);
const absPath = fc.array(seg, { minLength: 1, maxLength: 3 }).map((p) => '/' + p.join('/'));
const word = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:+-]{0,10}$/);
const text = fc.array(fc.stringMatching(/^[A-Za-z0-9_.:+,=;#()[\]-]{1,6}$/), { minLength: 1, maxLength: 3 }).map((w) => w.join(' '));
const q = (s: string) => `"${s}"`;

const fsRes = fc.record({
  special: absPath,
  type: fc.constantFrom('lofs', 'tmpfs', 'ext4'),
  raw: fc.option(absPath, { nil: undefined }),
  options: fc.array(fc.oneof(fc.constantFrom('ro', 'nodevices', 'nosuid'), fc.stringMatching(/^[a-z]{1,5}=[0-9]{1,3}$/)), { maxLength: 3 }),
});
const ipv4 = fc.tuple(fc.integer({ min: 1, max: 223 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 254 }), fc.integer({ min: 8, max: 30 }))
  .map(([a, b, c, d, l]) => `${a}.${b}.${c}.${d}/${l}`);
const rctlValue = fc.record({ limit: fc.integer({ min: 0, max: 1e9 }), action: fc.constantFrom('none', 'deny') });

const zoneArb = fc.record({
  zonepath: absPath,
  autoboot: fc.boolean(),
  bootargs: fc.option(text, { nil: undefined }),
  pool: fc.option(word.filter((w) => !w.startsWith('SUNW')), { nil: undefined }),
  limitpriv: fc.option(fc.constantFrom('default', 'default,sys_time', 'default,-file_link_any', 'default,proc_priocntl,sys_time'), { nil: undefined }),
  exclusive: fc.boolean(),
  maxLwps: fc.option(fc.integer({ min: 100, max: 100000 }), { nil: undefined }),
  ipds: fc.uniqueArray(absPath, { maxLength: 3 }),
  fs: fc.uniqueArray(fc.tuple(absPath, fsRes), { maxLength: 3, selector: ([d]) => d }),
  nets: fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z]{1,4}[0-9]$/), ipv4), { maxLength: 3, selector: ([p]) => p }),
  devices: fc.uniqueArray(fc.stringMatching(/^\/dev\/[a-z]{1,6}[0-9*]?$/), { maxLength: 2 }),
  attrs: fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9.-]{0,6}$/).filter((n) => !n.startsWith('zone')), text), { maxLength: 2, selector: ([n]) => n }),
  rctls: fc.uniqueArray(fc.tuple(fc.constantFrom('zone.max-msg-qbytes', 'zone.max-sem-nsems', 'zone.max-port-ids'), fc.array(rctlValue, { minLength: 1, maxLength: 2 })), { maxLength: 2, selector: ([n]) => n }),
  datasets: fc.uniqueArray(fc.stringMatching(/^[a-z]{1,5}\/[a-z]{1,5}$/), { maxLength: 2 }),
  cappedMemory: fc.option(fc.record({ physical: fc.constantFrom('512M', '1G', '1.5G', '2048K'), swap: fc.option(fc.constantFrom('1G', '512M'), { nil: undefined }) }), { nil: undefined }),
  cappedCpu: fc.option(fc.constantFrom('0.5', '1', '1.25', '2'), { nil: undefined }),
});

type Zone = typeof zoneArb extends fc.Arbitrary<infer T> ? T : never;

function commandsFor(z: Zone): string[] {
  const c = ['create -b', `set zonepath=${z.zonepath}`, `set autoboot=${z.autoboot}`];
  if (z.bootargs) c.push(`set bootargs=${q(z.bootargs)}`);
  if (z.pool) c.push(`set pool=${z.pool}`);
  if (z.limitpriv) c.push(`set limitpriv=${q(z.limitpriv)}`);
  c.push(`set ip-type=${z.exclusive ? 'exclusive' : 'shared'}`);
  if (z.maxLwps !== undefined) c.push(`set max-lwps=${z.maxLwps}`);
  for (const d of z.ipds) c.push('add inherit-pkg-dir', `set dir=${d}`, 'end');
  for (const [dir, f] of z.fs) {
    c.push('add fs', `set dir=${dir}`, `set special=${f.special}`, `set type=${f.type}`);
    if (f.raw) c.push(`set raw=${f.raw}`);
    for (const o of f.options) c.push(`add options ${q(o)}`);
    c.push('end');
  }
  for (const [phys, addr] of z.nets) {
    c.push('add net', `set physical=${phys}`, z.exclusive ? `set allowed-address=${addr}` : `set address=${addr}`, 'end');
  }
  for (const m of z.devices) c.push('add device', `set match=${m}`, 'end');
  for (const [n, v] of z.attrs) c.push('add attr', `set name=${n}`, 'set type=string', `set value=${q(v)}`, 'end');
  for (const [n, vals] of z.rctls) {
    c.push('add rctl', `set name=${n}`);
    for (const v of vals) c.push(`add value (priv=privileged,limit=${v.limit},action=${v.action})`);
    c.push('end');
  }
  for (const d of z.datasets) c.push('add dataset', `set name=${d}`, 'end');
  if (z.cappedMemory) {
    c.push('add capped-memory', `set physical=${z.cappedMemory.physical}`);
    if (z.cappedMemory.swap) c.push(`set swap=${z.cappedMemory.swap}`);
    c.push('end');
  }
  if (z.cappedCpu) c.push('add capped-cpu', `set ncpus=${z.cappedCpu}`, 'end');
  return c;
}

/** Where a configuration is kept: what the session talks to, and what it saved. */
interface Store {
  backend: ConfigBackend;
  exportPath: string;
  exported(): string;
  saved(): ZoneConfig;
  cleanup(): void;
}

function memoryStore(): Store {
  const backend = new MemoryBackend();
  return {
    backend,
    exportPath: '/out',
    exported: () => backend.files.get('/out')!,
    saved: () => backend.zones.get('rt')!.config,
    cleanup: () => {},
  };
}

function diskStore(): Store {
  const t = tempRoot();
  const exportPath = join(t.root, 'out');
  return {
    backend: storeBackend(t.root),
    exportPath,
    exported: () => readFileSync(exportPath, 'utf8'),
    saved: () => new ZoneStore(t.root).load('rt')!,
    cleanup: t.cleanup,
  };
}

async function build(store: Store, text: string, mode: 'argv' | 'file') {
  const io = new CapturingIO();
  const session = new Session(store.backend, io, { zonename: 'rt', mode, fileName: 'exported.cfg' });
  await session.run(text);
  const status = await session.finish();
  return { io, status };
}

const TYPE_ORDER = RESOURCE_TYPES.map((r) => r.type as string);
function byType(cfg: ZoneConfig): ZoneConfig {
  const resources = [...cfg.resources].sort((a, b) => TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type));
  return { ...cfg, resources };
}

async function infoOf(store: Store) {
  const io = new CapturingIO();
  const s = new Session(store.backend, io, { zonename: 'rt', mode: 'argv' });
  await s.run('info\n');
  return io.stdout;
}

describe.each([
  ['the memory backend', memoryStore],
  ['the real store on disk', diskStore],
] as const)('export round trip through %s', (_, open) => {
  test('random valid configurations survive export and replay with -f', async () => {
    await fc.assert(
      fc.asyncProperty(zoneArb, async (z) => {
        const [a, b] = [open(), open()];
        try {
          const first = await build(a, commandsFor(z).join('\n') + `\nexport -f ${a.exportPath}\n`, 'argv');
          expect(first.io.stderr).toEqual([]);
          expect(first.status).toBe(0);
          const second = await build(b, a.exported(), 'file');
          expect(second.io.stderr).toEqual([]);
          expect(second.status).toBe(0);
          // export groups resources by type; within a type the order is kept.
          expect(byType(b.saved())).toEqual(byType(a.saved()));
          expect(await infoOf(b)).toEqual(await infoOf(a));
        } finally {
          a.cleanup();
          b.cleanup();
        }
      }),
      { numRuns: 150 },
    );
  });
});
