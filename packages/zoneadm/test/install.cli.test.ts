/**
 * `make install` / `make uninstall` (the repository's Makefile, docs/reference.md#11-installing) into
 * a temporary DESTDIR with a PREFIX of the test's own: every tool of bin/ as a wrapper that runs
 * this checkout (`zoneadm list` answers through it, also with a NODE_OPTIONS that would load other
 * code), the man pages of the man directory, the bash and zsh completion; uninstall then leaves
 * not a file nor a directory behind, also after an install that failed half-way.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const REPO = resolve(here, '../../..');
const TOOLS = readdirSync(join(REPO, 'bin')).sort();
const PREFIX = '/opt/zones-test';

let base: string;
const dest = () => join(base, 'dest');
const under = (...p: string[]) => join(dest(), PREFIX, ...p);

function make(...args: string[]) {
  const r = spawnSync('make', ['-s', '-C', REPO, ...args, `DESTDIR=${dest()}`, `PREFIX=${PREFIX}`], { encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file and link below `dir`, relative to it. */
function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'make-install-'));
  mkdirSync(join(base, 'man'));
  writeFileSync(join(base, 'man', 'zonecfg.8'), '.TH ZONECFG 8\n');
  writeFileSync(join(base, 'man', 'zlogin.1'), '.TH ZLOGIN 1\n');
  mkdirSync(join(base, 'zr'));
  mkdirSync(dest());
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('make install / make uninstall', () => {
  test('installs every tool, the man pages and the completion under DESTDIR/PREFIX; the wrappers run this checkout', () => {
    const r = make('install', `MANSRC=${join(base, 'man')}`);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(files(dest())).toEqual(
      [
        ...TOOLS.map((t) => `bin/${t}`),
        ...TOOLS.map((t) => `share/bash-completion/completions/${t}`),
        'share/bash-completion/completions/zones',
        'share/man/man1/zlogin.1',
        'share/man/man8/zonecfg.8',
        'share/zones/installed-files',
        'share/zsh/site-functions/_zones',
      ]
        .map((f) => join(PREFIX.slice(1), f))
        .sort(),
    );
    for (const t of TOOLS) expect(statSync(under('bin', t)).mode & 0o111).toBe(0o111);
    expect(readFileSync(under('share/bash-completion/completions/zoneadm'), 'utf8')).toBe(readFileSync(join(REPO, 'completion/zones.bash'), 'utf8'));
    expect(readFileSync(under('share/zsh/site-functions/_zones'), 'utf8')).toBe(readFileSync(join(REPO, 'completion/_zones'), 'utf8'));

    const env = { PATH: '/usr/bin:/bin', ZONES_ROOT: join(base, 'zr'), NODE_OPTIONS: `--require ${join(base, 'nowhere.cjs')}` };
    const list = spawnSync(under('bin/zoneadm'), ['list', '-c', '--json'], { encoding: 'utf8', env, timeout: 20_000 });
    expect({ code: list.status, stderr: list.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(list.stdout).zones.map((z: { zonename: string }) => z.zonename)).toEqual(['global']);
    const cfg = spawnSync(under('bin/zonecfg'), ['-z', 'web', 'create; set zonepath=/zones/web; commit'], { encoding: 'utf8', env, timeout: 20_000 });
    expect(cfg.status).toBe(0);
    expect(spawnSync(under('bin/zoneadm'), ['list', '-c'], { encoding: 'utf8', env, timeout: 20_000 }).stdout).toBe('global\nweb\n');
  });

  test("the default man directory is the checkout's man/ (what npm run build made there)", () => {
    expect(make('uninstall').code).toBe(0);
    expect(make('install')).toMatchObject({ code: 0, stderr: '' });
    const pages = existsSync(join(REPO, 'man')) ? readdirSync(join(REPO, 'man')).filter((f) => /\.[0-9]$/.test(f)) : [];
    expect(files(under('share/man')).map((f) => f.split('/')[1]).sort()).toEqual(pages.sort());
  });

  test('uninstall removes every file and every directory install made', () => {
    expect(make('uninstall')).toMatchObject({ code: 0, stderr: '' });
    expect(readdirSync(dest())).toEqual([]);
    expect(make('uninstall')).toMatchObject({ code: 0, stdout: expect.stringContaining('nothing installed') });
  });

  test('an install that stops half-way (a man page it cannot read) is undone by uninstall', () => {
    const broken = join(base, 'broken-man');
    mkdirSync(broken);
    symlinkSync(join(base, 'nowhere'), join(broken, 'zoneadm.8'));
    const r = make('install', `MANSRC=${broken}`);
    expect(r.code).not.toBe(0);
    expect(files(under('bin'))).toEqual(TOOLS);
    expect(make('uninstall')).toMatchObject({ code: 0, stderr: '' });
    expect(readdirSync(dest())).toEqual([]);
  });
});
