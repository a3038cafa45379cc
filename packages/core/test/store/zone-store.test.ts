import { test, expect, describe, beforeEach, afterEach } from '@jest/globals';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatConfigYaml, pendingPath, ZoneStore } from '../../src/store/zone-store.js';
import { processIdentity } from '../../src/platform/proc.js';
import { ZoneStoreError } from '../../src/store/errors.js';
import { ZONE_STATE_ORDER, ZONE_STATES } from '../../src/model/states.js';
import { blankTemplate, defaultTemplate, resolveTemplate } from '../../src/store/templates.js';
import { configPath, indexPath, runDir, consoleLogPath, cacheDir, zonesRoot } from '../../src/store/paths.js';
import { tempRoot } from './helpers.js';

let t: ReturnType<typeof tempRoot>;
let store: ZoneStore;
beforeEach(() => { t = tempRoot(); store = new ZoneStore(t.root); });
afterEach(() => t.cleanup());

function zone(name: string, zonepath = `/zones/${name}`) {
  const c = blankTemplate(name);
  c.globals.zonepath = zonepath;
  return c;
}

describe('paths', () => {
  test('follow ZONES_ROOT', () => {
    const old = process.env.ZONES_ROOT;
    process.env.ZONES_ROOT = '/tmp/zr';
    try {
      expect(zonesRoot()).toBe('/tmp/zr');
      expect(indexPath()).toBe('/tmp/zr/etc/zones/index');
      expect(configPath('z1')).toBe('/tmp/zr/etc/zones/z1.yaml');
      expect(runDir('z1')).toBe('/tmp/zr/var/run/zones/z1');
      expect(consoleLogPath('z1')).toBe('/tmp/zr/var/log/zones/z1.console.log');
      expect(cacheDir()).toBe('/tmp/zr/var/cache/zones');
      delete process.env.ZONES_ROOT;
      expect(indexPath()).toBe('/etc/zones/index');
    } finally {
      if (old === undefined) delete process.env.ZONES_ROOT; else process.env.ZONES_ROOT = old;
    }
  });
});

describe('states', () => {
  test('numeric order of 4.4', () => {
    expect(ZONE_STATES).toEqual(['configured', 'incomplete', 'installed', 'ready', 'running', 'shutting_down', 'down', 'mounted']);
    expect(ZONE_STATE_ORDER.installed).toBe(2);
    expect(ZONE_STATE_ORDER.mounted).toBe(7);
  });
});

describe('ZoneStore', () => {
  test('empty store: no zones, global exists', () => {
    expect(store.list()).toEqual([]);
    expect(store.exists('global')).toBe(true);
    expect(store.get('global')).toEqual({ name: 'global', state: 'installed', zonepath: '/', uuid: '' });
    expect(store.load('nosuch')).toBeUndefined();
  });

  test('save: new zone is configured with a uuid, index keeps order, yaml round-trips', () => {
    const c = defaultTemplate('z1');
    c.globals.zonepath = '/zones/z1';
    c.globals.autoboot = 'true';
    c.resources.push({ type: 'rctl', props: { name: 'zone.max-lwps', value: [{ priv: 'privileged', limit: '100', action: 'deny' }] } });
    store.save(c);
    store.save(zone('z2'));
    const [e1, e2] = store.list();
    expect(e1).toMatchObject({ name: 'z1', state: 'configured', zonepath: '/zones/z1' });
    expect(e1.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(e2.name).toBe('z2');
    expect(store.load('z1')).toEqual(c);
    const idx = readFileSync(join(t.root, 'etc/zones/index'), 'utf8');
    expect(idx.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual([
      'global:installed:/', `z1:configured:/zones/z1:${e1.uuid}`, `z2:configured:/zones/z2:${e2.uuid}`,
    ]);
    expect(readdirSync(join(t.root, 'etc/zones')).sort()).toEqual(['index', 'z1.yaml', 'z2.yaml']);
  });

  test('re-saving keeps state and uuid, updates zonepath', () => {
    store.save(zone('z1'));
    store.setState('z1', 'installed');
    const uuid = store.get('z1')!.uuid;
    store.save(zone('z1', '/other'));
    expect(store.get('z1')).toEqual({ name: 'z1', state: 'installed', zonepath: '/other', uuid });
  });

  test('rename keeps state and uuid, moves the yaml', () => {
    store.save(zone('a'));
    store.save(zone('b'));
    store.setState('a', 'installed');
    const uuid = store.get('a')!.uuid;
    store.save(zone('c', '/zones/a'), { previousName: 'a' });
    expect(store.list().map((e) => e.name)).toEqual(['c', 'b']);
    expect(store.get('c')).toEqual({ name: 'c', state: 'installed', zonepath: '/zones/a', uuid });
    expect(existsSync(configPath('a', t.root))).toBe(false);
    expect(store.load('c')!.globals.zonename).toBe('c');
  });

  test('rename onto an existing name fails with Zone name already in use', () => {
    store.save(zone('a'));
    store.save(zone('b'));
    let err: unknown;
    try { store.save(zone('b'), { previousName: 'a' }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ZoneStoreError);
    expect((err as ZoneStoreError).code).toBe('Z_NAME_IN_USE');
    expect((err as ZoneStoreError).message).toBe('Zone name already in use');
    expect(store.list().map((e) => e.name)).toEqual(['a', 'b']);
    expect(existsSync(configPath('a', t.root))).toBe(true);
  });

  test('rename of an incomplete zone is refused', () => {
    store.save(zone('a'));
    store.setState('a', 'incomplete');
    expect(() => store.save(zone('n'), { previousName: 'a' })).toThrow('Zone state is invalid for the requested operation');
  });

  test('remove deletes yaml and index entry; unknown zone → No such zone configured', () => {
    store.save(zone('a'));
    store.save(zone('b'));
    store.remove('a');
    expect(store.list().map((e) => e.name)).toEqual(['b']);
    expect(existsSync(configPath('a', t.root))).toBe(false);
    expect(() => store.remove('a')).toThrow('No such zone configured');
  });

  test('setState: persisted states only; unknown zone fails', () => {
    store.save(zone('a'));
    store.setState('a', 'incomplete');
    expect(store.get('a')!.state).toBe('incomplete');
    expect(() => store.setState('a', 'running')).toThrow(TypeError);
    expect(() => store.setState('x', 'installed')).toThrow('No such zone configured');
  });

  test('unsafe names are rejected', () => {
    expect(() => store.save(zone('../x'))).toThrow(ZoneStoreError);
    expect(() => store.save(zone('global'), { previousName: 'a' })).toThrow('Invalid zone name');
  });

  test('the global zone keeps its settings in global.yaml, never in the index', () => {
    store.save(zone('global', ''));
    expect(store.load('global')!.globals.zonename).toBe('global');
    expect(store.list().map((e) => e.name)).not.toContain('global');
    expect(store.get('global')).toMatchObject({ name: 'global', state: 'installed', zonepath: '/' });
  });

  test('a malformed yaml gives a clear ZoneStoreError, not a parser stack', () => {
    store.save(zone('a'));
    writeFileSync(configPath('a', t.root), 'globals: [unclosed\n');
    let err: unknown;
    try { store.load('a'); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ZoneStoreError);
    expect((err as ZoneStoreError).code).toBe('Z_INVALID_DOCUMENT');
    expect((err as Error).message).toMatch(/^Invalid document: .*a\.yaml: /);
    expect((err as Error).message).not.toMatch(/\n/);
    writeFileSync(configPath('a', t.root), '- just\n- a list\n');
    expect(() => store.load('a')).toThrow('a.yaml: not a mapping');
    writeFileSync(configPath('a', t.root), 'globals:\n  zonepath: /z\n  autoboot: true\nresources:\n  - props: {}\n');
    expect(() => store.load('a')).toThrow("resources[0]: missing 'type'");
  });

  test('hand-edited scalars are read back as strings', () => {
    store.save(zone('a'));
    writeFileSync(configPath('a', t.root), 'globals:\n  zonepath: /z\n  autoboot: true\n');
    const c = store.load('a')!;
    expect(c.globals.autoboot).toBe('true');
    expect(c.globals.brand).toBe('');
    expect(c.resources).toEqual([]);
  });

  test('malformed index lines are skipped but preserved by later writes', () => {
    store.save(zone('a'));
    const p = join(t.root, 'etc/zones/index');
    writeFileSync(p, readFileSync(p, 'utf8') + 'garbage line\n');
    store.save(zone('b'));
    expect(store.list().map((e) => e.name)).toEqual(['a', 'b']);
    expect(readFileSync(p, 'utf8')).toContain('garbage line\n');
  });

  test('readGlobals (fast scan) agrees with load().globals, falls back when unsure', () => {
    const c = zone('a', "/zones/it's: here #1");
    c.globals.bootargs = '-m verbose';
    c.globals.hostid = '1234';
    c.globals.limitpriv = 'default,!net_rawaccess';
    c.globals.pool = 'null';
    c.globals['fs-allowed'] = 'ufs, zfs';
    store.save(c);
    expect(store.readGlobals('a')).toEqual(store.load('a')!.globals);
    writeFileSync(configPath('a', t.root), 'globals:\n  zonepath: /z\n  hostid: 0x10\n  pool: ~\n  autoboot: true\n');
    expect(store.readGlobals('a')).toEqual(store.load('a')!.globals);
    expect(store.readGlobals('a')!.pool).toBe('');
    writeFileSync(configPath('a', t.root), 'globals: {brand: lx}\n');
    expect(store.readGlobals('a')!.brand).toBe('lx');
    writeFileSync(configPath('a', t.root), 'globals: [\n');
    expect(() => store.readGlobals('a')).toThrow(ZoneStoreError);
    expect(store.readGlobals('nosuch')).toBeUndefined();
  });

  test('findByUuid', () => {
    store.save(zone('a'));
    const u = store.get('a')!.uuid;
    expect(store.findByUuid(u.toUpperCase())!.name).toBe('a');
    expect(store.findByUuid('00000000-0000-0000-0000-000000000000')).toBeUndefined();
  });
});

describe('templates', () => {
  test('SUNWdefault: native, autoboot false, shared, inherit-pkg-dir for real dirs only', () => {
    const c = defaultTemplate('z');
    expect(c.globals).toMatchObject({ zonename: 'z', brand: 'native', autoboot: 'false', 'ip-type': 'shared', zonepath: '' });
    for (const r of c.resources) expect(r.type).toBe('inherit-pkg-dir');
    expect(c.resources.map((r) => r.props.dir)).toContain('/usr');
  });

  test('symlinked dirs are skipped, order /lib /lib64 /bin /sbin /usr', () => {
    for (const d of ['usr', 'sbin', 'lib']) mkdirSync(join(t.root, d));
    symlinkSync('usr/bin', join(t.root, 'bin'));
    const c = defaultTemplate('z', t.root);
    expect(c.resources).toEqual([
      { type: 'inherit-pkg-dir', props: { dir: '/lib' } },
      { type: 'inherit-pkg-dir', props: { dir: '/sbin' } },
      { type: 'inherit-pkg-dir', props: { dir: '/usr' } },
    ]);
  });

  test('resolveTemplate: SUNWdefault, SUNWblank, an existing zone (renamed copy), unknown', () => {
    expect(resolveTemplate('SUNWblank', store, 'n')).toEqual(blankTemplate('n'));
    expect(resolveTemplate('SUNWdefault', store, 'n')!.globals.zonename).toBe('n');
    const src = zone('src');
    src.resources.push({ type: 'fs', props: { dir: '/d', special: '/s', type: 'lofs' } });
    store.save(src);
    const copy = resolveTemplate('src', store, 'n')!;
    expect(copy.globals.zonename).toBe('n');
    expect(copy.globals.zonepath).toBe('/zones/src');
    expect(copy.resources).toEqual(src.resources);
    expect(resolveTemplate('nosuch', store, 'n')).toBeUndefined();
  });
});

describe('commits: the index is the commit point (zone-store.ts header)', () => {
  const held = (path: string) => writeFileSync(path, `${process.ppid} ${processIdentity(process.ppid)}\n`);
  const stray = () => readdirSync(join(t.root, 'etc/zones')).filter((f) => f.startsWith('.'));

  test('an index lock held past its wait: the old zonepath stays in both files', () => {
    store.save(zone('a'));
    const yaml = readFileSync(configPath('a', t.root), 'utf8');
    held(join(t.root, 'etc/zones/index.lock'));
    const quick = new ZoneStore(t.root, { timeoutMs: 50 });
    expect(() => quick.save(zone('a', '/moved'))).toThrow(/another operation may be in progress/);
    expect(readFileSync(configPath('a', t.root), 'utf8')).toBe(yaml);
    expect(store.get('a')!.zonepath).toBe('/zones/a');
    expect(stray()).toEqual([]);
  });

  test('a new zone whose index write fails leaves no file behind (nothing invisible)', () => {
    store.save(zone('a'));
    held(join(t.root, 'etc/zones/index.lock'));
    expect(() => new ZoneStore(t.root, { timeoutMs: 50 }).save(zone('b'))).toThrow(ZoneStoreError);
    expect(existsSync(configPath('b', t.root))).toBe(false);
    expect(stray()).toEqual([]);
  });

  test('a crash after the index write: readers apply the pending file, the next write settles it', () => {
    store.save(zone('a'));
    const next = zone('a', '/moved');
    next.globals.autoboot = 'true';
    writeFileSync(pendingPath(configPath('a', t.root)), formatConfigYaml(next));
    // before the index has it: not committed, the old configuration is read
    expect(store.load('a')!.globals.zonepath).toBe('/zones/a');
    const idx = readFileSync(indexPath(t.root), 'utf8');
    writeFileSync(indexPath(t.root), idx.replace(':/zones/a:', ':/moved:'));
    // committed: both readers see the new configuration
    expect(store.load('a')!.globals.autoboot).toBe('true');
    expect(store.readGlobals('a')!.zonepath).toBe('/moved');
    // and so does a listing's reader, which looks for pending files once for all zones
    store.save(zone('b'));
    const listing = store.globalsReader();
    expect([listing('a')!.zonepath, listing('b')!.zonepath]).toEqual(['/moved', '/zones/b']);
    store.setState('a', 'installed');
    store.save(store.load('a')!);
    expect(stray()).toEqual([]);
    expect(store.load('a')!.globals).toMatchObject({ zonepath: '/moved', autoboot: 'true' });
  });

  test('a pending file the index never committed is dropped by the next write', () => {
    store.save(zone('a'));
    writeFileSync(pendingPath(configPath('a', t.root)), formatConfigYaml(zone('a', '/never')));
    const c = zone('a');
    c.globals.autoboot = 'true';
    store.save(c);
    expect(stray()).toEqual([]);
    expect(store.load('a')!.globals).toMatchObject({ zonepath: '/zones/a', autoboot: 'true' });
  });
});
