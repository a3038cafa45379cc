/**
 * Fault injection, the store's part: every store file (the index, NAME.yaml, the idmap file, the
 * lock files) corrupted in each of the ways an admin or a crash can leave it, against every zonecfg
 * and zoneadm command that reads or writes it; a full disk (a small tmpfs as ZONES_ROOT) under every
 * write; a zone in the kernel under `zonecfg delete -F`. Each case asserts the rule: no stack trace,
 * no hang, a one-line message, afterwards the old state or the new one (never a mix), and the
 * recovery command works (docs/recovery.md).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZoneStore } from '../../src/store/zone-store.js';
import { blankTemplate, defaultTemplate } from '../../src/store/templates.js';
import { idmapPath } from '../../src/store/idmap.js';
import { processIdentity } from '../../src/platform/proc.js';
import { bootZone, haltZone, zoneadmdPath, zoneRuntimeState } from '../../src/runtime/index.js';
import { prepareSparseRoot } from '../runtime/sparse-root.js';
import { expectClean, expectOk, expectRefused, readOr, run, strayFiles, yamlCorruptions } from './store-faults.js';

const base = mkdtempSync(join(tmpdir(), 'zones-fault-store-'));
chmodSync(base, 0o755);
let n = 0;
/** A fresh ZONES_ROOT with zone `z` configured (zonepath under base/zones). */
function freshRoot(): { root: string; store: ZoneStore; zonepath: string } {
  const root = join(base, `r${++n}`);
  const store = new ZoneStore(root);
  const cfg = defaultTemplate('z');
  const zonepath = join(base, 'zones', `z${n}`);
  cfg.globals.zonepath = zonepath;
  store.save(cfg);
  return { root, store, zonepath };
}
afterAll(() => rmSync(base, { recursive: true, force: true }));

const isRoot = process.getuid?.() === 0;

function corrupt(path: string, content: string | Buffer | 'directory'): void {
  rmSync(path, { recursive: true, force: true });
  if (content === 'directory') mkdirSync(path);
  else writeFileSync(path, content);
}

describe('a corrupt NAME.yaml', () => {
  const good = (() => {
    const { store } = freshRoot();
    return readFileSync(store.configPath('z'), 'utf8');
  })();

  // Every command goes through one loader, so the whole command matrix runs on a few corruptions
  // (an unparseable file, unreadable globals, a bad resource, not a file at all); every other
  // corruption runs one command of each kind and the ways out.
  const everyCommand = new Set(['truncated', 'binary', 'globals: [1,2]', 'rctl value: garbage', 'a directory']);
  const some = <T,>(what: string, all: T[]): T[] => (everyCommand.has(what) ? all : all.slice(0, 1));

  test.each(yamlCorruptions(good))('%s: every command says so in one line; delete -F and create -F get out', (what, content) => {
    const { root, store } = freshRoot();
    const file = store.configPath('z');
    corrupt(file, content);
    const index = readFileSync(store.indexPath, 'utf8');
    const invalid = new RegExp(`^z: Invalid document: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .+`);
    for (const args of some(what, [['info'], ['export'], ['verify'], ['set autoboot=true'], ['set zonename=z2'], ['delete']])) {
      expectRefused(run(root, 'zonecfg', ['-z', 'z', ...args]), invalid);
    }
    // The interactive shell (commands from a pipe) reports it and goes on.
    if (everyCommand.has(what)) expectClean(run(root, 'zonecfg', ['-z', 'z'], {}, 20_000));
    for (const args of some(what, [['verify'], ['install'], ['boot'], ['attach'], ['detach'], ['move', '/tmp/x']])) {
      const r = run(root, 'zoneadm', ['-z', 'z', ...args]);
      expectRefused(r, /^zoneadm: zone 'z': /);
    }
    expectRefused(run(root, 'zoneadm', ['-z', 'z', 'verify']), /^zoneadm: zone 'z': Invalid document: /);
    for (const args of some(what, [['list', '-cv'], ['list', '-cp'], ['-z', 'z', 'list', '-v']])) {
      const r = run(root, 'zoneadm', args);
      expectClean(r);
      // list reads only the globals: a file whose globals read is listed, any other is a warning
      expect(r.stderr).toMatch(/^$|^zoneadm: z: could not get brand name: Invalid document: [^\n]+\n$/);
    }
    // Nothing above wrote anything: the old state, exactly.
    expect(readFileSync(store.indexPath, 'utf8')).toBe(index);
    expect(strayFiles(root)).toEqual([]);

    // The ways out: delete -F, or create -F over it.
    expectOk(run(root, 'zonecfg', ['-z', 'z', 'delete', '-F']));
    expect(store.get('z')).toBeUndefined();
    expect(existsSync(file)).toBe(false);
    expectOk(run(root, 'zonecfg', ['-z', 'z', `create; set zonepath=${join(base, 'zones/again')}`]));
    corrupt(file, content);
    const c = run(root, 'zonecfg', ['-z', 'z', `create -F; set zonepath=${join(base, 'zones/over')}`]);
    expectClean(c);
    expect([c.status, c.stdout]).toEqual([0, 'Zone z already exists; overwriting.\n']);
    expect(store.load('z')!.globals.zonepath).toBe(join(base, 'zones/over'));
    expect(store.get('z')!.zonepath).toBe(join(base, 'zones/over'));
    expect(strayFiles(root)).toEqual([]);
  });

  (isRoot ? test : test.skip)('an installed zone with a corrupt file: uninstall -F, then delete -F', () => {
    const { root, store, zonepath } = freshRoot();
    mkdirSync(join(zonepath, 'root/etc'), { recursive: true, mode: 0o700 });
    chmodSync(zonepath, 0o700);
    store.setState('z', 'installed');
    corrupt(store.configPath('z'), 'globals: [1,2]\n');
    expectRefused(run(root, 'zoneadm', ['-z', 'z', 'boot']), /^zoneadm: zone 'z': Invalid document: /);
    const c = run(root, 'zonecfg', ['-z', 'z', 'create -F']);
    expectClean(c);
    expect(c.stderr).toBe('Zone z already installed; create not allowed.\n');
    expectOk(run(root, 'zoneadm', ['-z', 'z', 'uninstall', '-F']));
    expect(store.get('z')!.state).toBe('configured');
    expect(existsSync(join(zonepath, 'root'))).toBe(false);
    expectOk(run(root, 'zonecfg', ['-z', 'z', 'delete', '-F']));
    expect(store.list()).toEqual([]);
  });

  test('an index line whose file is gone: reported, and delete -F removes it', () => {
    const { root, store } = freshRoot();
    unlinkSync(store.configPath('z'));
    expectRefused(run(root, 'zonecfg', ['-z', 'z', 'info']), /^z: No such zone configured$/);
    expectOk(run(root, 'zonecfg', ['-z', 'z', 'delete', '-F']));
    expect(store.list()).toEqual([]);
  });
});

describe('a corrupt index', () => {
  const cases: Array<[string, (path: string) => void, boolean]> = [
    ['a directory', (p) => corrupt(p, 'directory'), true],
    ['a symlink loop', (p) => { rmSync(p, { force: true }); symlinkSync('index', p); }, true],
    ['garbage lines', (p) => writeFileSync(p, `${readFileSync(p, 'utf8')}this is no index line\n::::::\nz2:bogus-state:/x:y\n`), false],
    ['binary', (p) => writeFileSync(p, Buffer.concat([readFileSync(p), Buffer.from([0, 0xff, 0x0a, 0x80, 0x3a, 0x3a, 0x0a])])), false],
    ['truncated', (p) => writeFileSync(p, readFileSync(p, 'utf8').slice(0, -20)), false],
  ];
  test.each(cases)('%s: every command ends cleanly', (_what, apply, unreadable) => {
    const { root, store } = freshRoot();
    apply(store.indexPath);
    const commands: Array<[('zonecfg' | 'zoneadm'), string[]]> = [
      ['zoneadm', ['list', '-cv']],
      ['zoneadm', ['list', '-p']],
      ['zoneadm', ['-z', 'z', 'verify']],
      ['zoneadm', ['-z', 'z', 'install']],
      ['zoneadm', ['-z', 'z', 'uninstall', '-F']],
      ['zoneadm', ['-z', 'z', 'boot']],
      ['zonecfg', ['-z', 'z', 'info']],
      ['zonecfg', ['-z', 'z', 'set autoboot=true']],
      ['zonecfg', ['-z', 'n', `create; set zonepath=${join(base, 'zones/n')}`]],
      ['zonecfg', ['-z', 'z', 'delete', '-F']],
    ];
    for (const [tool, args] of commands) {
      const r = run(root, tool, args);
      if (unreadable) expectRefused(r, /Miscellaneous file system error: \S+\/etc\/zones\/index: /);
      else expectClean(r);
    }
    if (unreadable) {
      // The way out is by hand (the index is the registry of every zone): remove what is in its place.
      rmSync(store.indexPath, { recursive: true, force: true });
      expectOk(run(root, 'zoneadm', ['list', '-c']));
    }
    expect(strayFiles(root)).toEqual([]);
  });
});

describe('a corrupt idmap file', () => {
  const cases: Array<[string, string | Buffer | 'directory']> = [
    ['a garbage line', 'not:an:idmap:line:at all\n'],
    ['binary', Buffer.from([0, 1, 2, 0xff, 0x0a])],
    ['a directory', 'directory'],
  ];
  test.each(cases)('%s: info and delete -F still work; boot refuses in one line', async (_what, content) => {
    const { root, store, zonepath } = freshRoot();
    corrupt(idmapPath(root), content);
    const info = run(root, 'zonecfg', ['-z', 'z', 'info', 'zonepath']);
    expectOk(info);
    if (isRoot) {
      prepareSparseRoot(zonepath);
      store.setState('z', 'installed');
      const b = run(root, 'zoneadm', ['-z', 'z', 'boot']);
      try {
        expectRefused(b, /^zoneadm: zone 'z': .*idmap/);
      } finally {
        if (zoneRuntimeState('z', { root })) await haltZone('z', { root });
      }
      expectOk(run(root, 'zoneadm', ['-z', 'z', 'uninstall', '-F']));
    }
    expectOk(run(root, 'zonecfg', ['-z', 'z', 'delete', '-F']));
    expect(store.list()).toEqual([]);
  });
});

describe('lock files', () => {
  let sleeper: ReturnType<typeof spawn> | undefined;
  beforeAll(() => {
    sleeper = spawn('sleep', ['120'], { stdio: 'ignore' });
  });
  afterAll(() => {
    sleeper?.kill('SIGKILL');
  });
  const bootIdOf = () => processIdentity(process.pid)!.split(' ')[1];

  const contents: Array<[string, () => string, number]> = [
    ['a live but unrelated (reused) pid', () => `${sleeper!.pid} 1 ${bootIdOf()}\n`, 0],
    ['a pid-only lock older than its live process', () => `${sleeper!.pid}\n`, 60_000],
    ['garbage, written a while ago', () => 'garbage\n', 60_000],
    ['empty, written a while ago', () => '', 60_000],
  ];
  test.each(contents)('%s: commits and zoneadm operations go through at once', (_what, text, ageMs) => {
    const { root, store } = freshRoot();
    const locks = [join(root, 'etc/zones/z.lock'), join(root, 'etc/zones/index.lock'), join(root, 'var/run/zones/.z.zoneadm.lock')];
    mkdirSync(join(root, 'var/run/zones'), { recursive: true });
    for (const l of locks) {
      writeFileSync(l, text());
      if (ageMs) utimesSync(l, new Date(Date.now() - ageMs), new Date(Date.now() - ageMs));
    }
    const t0 = Date.now();
    expectOk(run(root, 'zonecfg', ['-z', 'z', 'set autoboot=true']));
    expectRefused(run(root, 'zoneadm', ['-z', 'z', 'boot']), /^zoneadm: zone 'z': must be installed before boot\.$/);
    expect(Date.now() - t0).toBeLessThan(8000);
    expect(store.load('z')!.globals.autoboot).toBe('true');
  });

  test('a lock file that is a directory: one line, and nothing half-written', () => {
    const { root, store } = freshRoot();
    const before = readFileSync(store.configPath('z'), 'utf8');
    mkdirSync(join(root, 'etc/zones/z.lock'));
    const r = run(root, 'zonecfg', ['-z', 'z', 'set autoboot=true']);
    expectClean(r);
    expect([r.status, r.stderr]).toEqual([1, expect.stringMatching(/^z: Miscellaneous file system error: lock file \S+z\.lock: Is a directory\nConfiguration not saved\.\n$/)]);
    expect(readFileSync(store.configPath('z'), 'utf8')).toBe(before);
    rmSync(join(root, 'etc/zones/z.lock'), { recursive: true });
    expectOk(run(root, 'zonecfg', ['-z', 'z', 'set autoboot=true']));
  });
});

/** A small tmpfs as ZONES_ROOT, filled to the last page (docs/recovery.md: a full disk). */
(isRoot ? describe : describe.skip)('a full disk (tmpfs ZONES_ROOT)', () => {
  const mnt = join(base, 'full');
  let mounted = false;
  const filler = join(mnt, 'filler');
  beforeAll(() => {
    mkdirSync(mnt, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0755', 'zones-fault-full', mnt]);
    mounted = true;
  });
  afterAll(() => {
    if (mounted) execFileSync('umount', [mnt]);
  });

  function fill(): void {
    try {
      writeFileSync(filler, Buffer.alloc(4 * 1024 * 1024));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
    }
  }
  const free = () => rmSync(filler, { force: true });
  const snapshot = (root: string) => ({
    index: readOr(join(root, 'etc/zones/index')),
    z: readOr(join(root, 'etc/zones/z.yaml')),
    i: readOr(join(root, 'etc/zones/i.yaml')),
    n: readOr(join(root, 'etc/zones/n.yaml')),
    z2: readOr(join(root, 'etc/zones/z2.yaml')),
    idmap: readOr(idmapPath(root)),
  });

  let root: string;
  beforeEach(() => {
    free();
    root = join(mnt, `r${++n}`);
    const store = new ZoneStore(root);
    for (const name of ['z', 'i']) {
      const c = blankTemplate(name);
      c.globals.zonepath = join(base, 'zones', `${name}${n}`);
      store.save(c);
    }
    mkdirSync(join(base, 'zones', `i${n}`, 'root'), { recursive: true, mode: 0o700 });
    chmodSync(join(base, 'zones', `i${n}`), 0o700);
    store.setState('i', 'installed');
  });

  const writes: Array<[string, 'zonecfg' | 'zoneadm', (root: string) => string[], (s: ReturnType<typeof snapshot>, root: string) => void]> = [
    ['a new zone', 'zonecfg', () => ['-z', 'n', `create -b; set zonepath=${join(base, 'zones/n')}`], (s) => expect(s.n).toContain('zones/n')],
    ['a new zonepath', 'zonecfg', () => ['-z', 'z', `set zonepath=${join(base, 'zones/moved')}`], (s) => expect(s.z).toContain('zones/moved')],
    ['a new resource (no index change)', 'zonecfg', () => ['-z', 'z', 'add attr; set name=a; set type=string; set value=v; end'], (s) => expect(s.z).toContain('type: attr')],
    ['a rename', 'zonecfg', () => ['-z', 'z', 'set zonename=z2'], (s) => expect([s.z, s.index]).toEqual([undefined, expect.stringContaining('\nz2:')])],
    ['delete -F', 'zonecfg', () => ['-z', 'z', 'delete', '-F'], (s) => expect([s.z, s.index]).toEqual([undefined, expect.not.stringContaining('\nz:')])],
    ['the global zone', 'zonecfg', () => ['-z', 'global', 'set cpu-shares=5'], (_s, r) => expect(readOr(join(r, 'etc/zones/global.yaml'))).toContain('cpu-shares')],
    ['install', 'zoneadm', () => ['-z', 'z', 'install'], (s) => expect(s.index).toContain('\nz:installed:')],
    ['uninstall -F', 'zoneadm', () => ['-z', 'i', 'uninstall', '-F'], (s) => expect(s.index).toContain('\ni:configured:')],
  ];

  test.each(writes)('%s: refused in one line, the old state kept; done once space is freed', (_what, tool, args, isNew) => {
    const template = join(base, 'template');
    mkdirSync(join(template, 'etc'), { recursive: true });
    const env = { ZONES_TEST_TEMPLATE: template };
    const before = snapshot(root);
    fill();
    const r = run(root, tool, args(root), env);
    expectClean(r);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/No space left on device/);
    expect(snapshot(root)).toEqual(before);
    expect(strayFiles(root)).toEqual([]);
    expectOk(run(root, 'zoneadm', ['list', '-cv']));
    free();
    const again = run(root, tool, args(root), env);
    expectClean(again);
    expect(again.status).toBe(0);
    isNew(snapshot(root), root);
    expect(strayFiles(root)).toEqual([]);
  });
});

/** A zone in the kernel: booted cheaply with bootZone and a sparse root (as runtime.test.ts does). */
const canBoot = isRoot && existsSync(zoneadmdPath());
(canBoot ? describe : describe.skip)('a zone in the kernel', () => {
  const root = join(base, 'booted');
  const store = new ZoneStore(root);
  const name = `fs${process.pid % 100000}`;
  beforeAll(async () => {
    const cfg = defaultTemplate(name);
    cfg.globals.zonepath = join(base, 'zones', name);
    store.save(cfg);
    prepareSparseRoot(cfg.globals.zonepath);
    store.setState(name, 'installed');
    await bootZone(name, { root, bootargs: ['-i', 'zsched'] });
  });
  afterAll(async () => {
    await haltZone(name, { root }).catch(() => undefined);
  });

  test('zonecfg delete -F refuses it, as illumos does; halt (even with a corrupt file) then delete -F', () => {
    expect(zoneRuntimeState(name, { root })).toBe('running');
    expectRefused(run(root, 'zonecfg', ['-z', name, 'delete', '-F']), new RegExp(`^${name}: Zone state is invalid for the requested operation$`));
    expect(store.get(name)?.state).toBe('installed');
    expect(store.load(name)).toBeDefined();
    corrupt(store.configPath(name), 'garbage: [\n');
    expectRefused(run(root, 'zonecfg', ['-z', name, 'delete', '-F']), new RegExp(`^${name}: Zone state is invalid for the requested operation$`));
    expectOk(run(root, 'zoneadm', ['-z', name, 'halt']));
    expect(zoneRuntimeState(name, { root })).toBeUndefined();
    expectOk(run(root, 'zoneadm', ['-z', name, 'uninstall', '-F']));
    expectOk(run(root, 'zonecfg', ['-z', name, 'delete', '-F']));
    expect(store.list()).toEqual([]);
  });
});
