/**
 * `info --json` in the session (docs/reference.md#32-info): the same selections as `info` (whole,
 * one property, an alias, a type with filters, the resource in scope), as typed data from the walk
 * of the schema table; the word first or last; the text `info` unchanged. In memory, milliseconds.
 */
import { describe, expect, test } from '@jest/globals';
import { Session } from '../../src/lang/session.js';
import { complete } from '../../src/lang/complete.js';
import { CapturingIO, MemoryBackend } from './memory-backend.js';

async function run(text: string) {
  const io = new CapturingIO();
  const session = new Session(new MemoryBackend(), io, { zonename: 'web', mode: 'argv', fileName: 'cmds.cfg' });
  await session.run(`create; set zonepath=/zones/web; set ip-type=exclusive; set max-shm-memory=1G; add net; set physical=eth0; end; add fs; set dir=/data; set special=/srv; set type=lofs; add options [ro,nosuid]; end; ${text}\n`);
  return { out: io.stdout.map((l) => JSON.parse(l) as unknown), err: io.stderr };
}

describe('info --json', () => {
  test('the whole configuration: every global property, every alias, every resource (in info order) with every property of its row', async () => {
    const { out, err } = await run('info --json');
    expect(err).toEqual([]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      properties: { zonename: 'web', zonepath: '/zones/web', brand: 'native', autoboot: false, bootargs: null, 'ip-type': 'exclusive' },
      'rctl-aliases': { 'max-shm-memory': 1073741824, 'max-lwps': null },
      resources: [
        { type: 'inherit-pkg-dir', properties: { dir: '/usr' } },
        { type: 'fs', properties: { dir: '/data', special: '/srv', raw: null, type: 'lofs', options: ['ro', 'nosuid'] } },
        { type: 'net', properties: { address: null, 'allowed-address': null, physical: 'eth0', defrouter: null } },
        { type: 'rctl', properties: { name: 'zone.max-shm-memory', value: [{ priv: 'privileged', limit: '1073741824', action: 'deny' }] } },
      ],
    });
  });

  test('a property, an alias, a type with filters (the word first or last), the resource in scope', async () => {
    const { out, err } = await run('info --json autoboot; info max-shm-memory --json; info fs dir=/data --json; info --json fs dir=/none; select net physical=eth0; info --json; end');
    expect(err).toEqual([]);
    expect(out).toEqual([
      { properties: { autoboot: false } },
      { 'rctl-aliases': { 'max-shm-memory': 1073741824 } },
      { resources: [{ type: 'fs', properties: { dir: '/data', special: '/srv', raw: null, type: 'lofs', options: ['ro', 'nosuid'] } }] },
      { resources: [] },
      { resources: [{ type: 'net', properties: { address: null, 'allowed-address': null, physical: 'eth0', defrouter: null } }] },
    ]);
  });

  test('any other word is still the usage error, and Tab offers --json after info', async () => {
    const io = new CapturingIO();
    const session = new Session(new MemoryBackend(), io, { zonename: 'web', mode: 'argv', fileName: 'cmds.cfg' });
    await session.run('create; info --jsonx\n');
    expect(io.stderr.join('\n')).toMatch(/^usage:\ninfo \[<resource-type>/);
    expect(complete('info --j', undefined)).toEqual([['--json '], '--j']);
  });
});
