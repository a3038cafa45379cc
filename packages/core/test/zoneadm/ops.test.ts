import { test, expect, describe, beforeEach, afterEach } from '@jest/globals';
import {
  chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { installZone } from '../../src/zoneadm/install.js';
import { uninstallZone, markZone } from '../../src/zoneadm/uninstall.js';
import { cloneZone } from '../../src/zoneadm/clone.js';
import { moveZone } from '../../src/zoneadm/move.js';
import { attachZone, detachZone, hostFacts, parseManifest } from '../../src/zoneadm/detach.js';
import { removeTree, MountPointError } from '../../src/zoneadm/fsutil.js';
import { ZoneadmError, ZoneadmUsageError } from '../../src/zoneadm/errors.js';
import { installLogPath } from '../../src/zoneadm/paths.js';
import { moveJournalPath, writeMoveJournal } from '../../src/zoneadm/move-journal.js';
import { verifyZone } from '../../src/zoneadm/verify.js';
import { giveIdentity } from '../../src/zoneadm/identity.js';
import { bootZone } from '../../src/runtime/lifecycle.js';
import { addZone, ctxFor, dirInstaller, makeEnv, PROFILE, runOp, type Env } from './helpers.js';

let env: Env;
beforeEach(() => { env = makeEnv(); });
afterEach(() => env.cleanup());

const state = (z: string) => env.store.get(z)?.state;

/** Run an operation; '' on success, else what zoneadm prints on stderr for the error. */
const run = (zone: string, fn: (ctx: ReturnType<typeof ctxFor>['ctx']) => unknown) => runOp(env, zone, fn);

async function install(zone: string, hooks: Parameters<typeof dirInstaller>[1] = {}, source?: string) {
  return run(zone, (ctx) => installZone(ctx, { options: { source }, profile: { ...PROFILE, hostname: zone }, installerFor: dirInstaller(env, hooks) }));
}

function mount(dir: string): void {
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'mode=0755', 'zonetest', dir]);
}

describe('install', () => {
  test('configured -> incomplete during the work -> installed; root, log, Solaris lines', async () => {
    const zp = addZone(env, 'z1');
    let during: string | undefined;
    const r = await install('z1', { before: () => { during = state('z1'); } });
    expect(r.err).toBe('');
    expect(during).toBe('incomplete');
    expect(state('z1')).toBe('installed');
    expect(statSync(zp).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(zp, 'root/etc/hostname'), 'utf8')).toBe('z1\n');
    const log = installLogPath('z1', env.root);
    expect(r.stdout).toBe(
      `Preparing to install zone <z1>.\nCopying ${env.template}\nZone z1 is initialized.\nThe file ${log} contains a log of the zone installation.\n`,
    );
    expect(readFileSync(log, 'utf8')).toContain(`copied ${env.template}\n`);
    expect((await install('z1')).err).toBe("zoneadm: zone 'z1': is already installed.\n");
  });

  test('an installer failure leaves the zone incomplete; install refused; uninstall -F; configured', async () => {
    addZone(env, 'z2');
    const r = await install('z2', { fail: 'debootstrap failed (exit status 1)' });
    expect(r.err).toBe(
      `zoneadm: zone 'z2': debootstrap failed (exit status 1)\nThe file ${installLogPath('z2', env.root)} contains a log of the zone installation.\n`,
    );
    expect(state('z2')).toBe('incomplete');
    expect((await install('z2')).err).toBe("zoneadm: zone 'z2': zone is incomplete; uninstall required.\n");
    expect((await run('z2', (ctx) => uninstallZone(ctx, { force: true }))).err).toBe('');
    expect(state('z2')).toBe('configured');
    expect((await install('z2')).err).toBe('');
  });

  test('an abort (Ctrl-C/SIGTERM) leaves the zone incomplete', async () => {
    addZone(env, 'z3');
    const ac = new AbortController();
    const r = await run('z3', (ctx) =>
      installZone(ctx, {
        options: {}, profile: PROFILE, signal: ac.signal,
        installerFor: dirInstaller(env, { before: () => ac.abort(new Error('SIGINT')) }),
      }));
    expect(r.err.split('\n')[0]).toBe("zoneadm: zone 'z3': installation interrupted (SIGINT); the zone is incomplete.");
    expect(state('z3')).toBe('incomplete');
  });

  test('verify failures stop install before any state change', async () => {
    const zp = addZone(env, 'z4');
    mkdirSync(zp, { mode: 0o755 });
    const r = await install('z4');
    expect(r.stderr).toContain(`${zp} must not be group readable.`);
    expect(r.stderr.endsWith('zoneadm: zone z4 failed to verify\n')).toBe(true);
    expect(state('z4')).toBe('configured');
  });
});

describe('uninstall', () => {
  test('symlinks to host paths inside the zone root are removed as links; the host is untouched', async () => {
    const hostDir = join(env.base, 'host-dir');
    mkdirSync(join(hostDir, 'sub'), { recursive: true });
    writeFileSync(join(hostDir, 'sub/keep'), 'keep');
    writeFileSync(join(env.base, 'host-file'), 'precious');
    const tpl = join(env.base, 'evil-template');
    mkdirSync(join(tpl, 'etc'), { recursive: true });
    symlinkSync('/etc', join(tpl, 'etc/evil'));
    symlinkSync('/', join(tpl, 'escape'));
    symlinkSync(hostDir, join(tpl, 'hostdir'));
    symlinkSync(join(env.base, 'host-file'), join(tpl, 'hostfile'));
    symlinkSync('../../../../../../..', join(tpl, 'etc/up'));
    const zp = addZone(env, 'ev');
    expect((await install('ev', {}, tpl)).err).toBe('');
    expect(readlinkSync(join(zp, 'root/escape'))).toBe('/');
    writeFileSync(join(zp, 'userdata'), 'mine');

    const r = await run('ev', (ctx) => uninstallZone(ctx, { force: true }));
    expect(r.err).toBe('');
    expect(r.stderr).toBe(
      `WARNING: Unable to completely remove ${zp}\nbecause it contains additional user data.  Only the standard directory\nentries have been removed.\n`,
    );
    expect(state('ev')).toBe('configured');
    expect(readdirSync(zp)).toEqual(['userdata']);
    expect(readFileSync(join(hostDir, 'sub/keep'), 'utf8')).toBe('keep');
    expect(readFileSync(join(env.base, 'host-file'), 'utf8')).toBe('precious');
    expect(existsSync('/etc/passwd')).toBe(true);
    expect(existsSync(env.template)).toBe(true);
  });

  test('questions: no terminal without -F; "no" leaves everything; "yes" uninstalls', async () => {
    const zp = addZone(env, 'q');
    await install('q');
    expect((await run('q', (ctx) => uninstallZone(ctx, { force: false }))).err).toBe(
      "zoneadm: zone 'q': Input not from terminal and -F not specified: uninstall not done.\n",
    );
    const asked: string[] = [];
    const no = await run('q', (ctx) => uninstallZone(ctx, { force: false, confirm: async (q) => { asked.push(q); return false; } }));
    expect([no.err, state('q'), existsSync(join(zp, 'root'))]).toEqual(['', 'installed', true]);
    expect(asked).toEqual(['Are you sure you want to uninstall zone q (y/[n])? ']);
    await run('q', (ctx) => uninstallZone(ctx, { force: false, confirm: async () => true }));
    expect([state('q'), readdirSync(zp)]).toEqual(['configured', []]);
    expect((await run('q', (ctx) => uninstallZone(ctx, { force: true }))).err).toBe("zoneadm: zone 'q': is already in state 'configured'.\n");
  });

  test('a file system mounted inside the zonepath: refused before anything is removed', async () => {
    const zp = addZone(env, 'm');
    await install('m');
    mount(join(zp, 'root/mnt'));
    writeFileSync(join(zp, 'root/mnt/inside'), 'x');
    const r = await run('m', (ctx) => uninstallZone(ctx, { force: true }));
    expect(r.err).toBe(`zoneadm: zone 'm': These file systems are mounted on subdirectories of ${zp}.\n  ${zp}/root/mnt\n`);
    expect(state('m')).toBe('installed');
    expect(readFileSync(join(zp, 'root/mnt/inside'), 'utf8')).toBe('x');
    expect(existsSync(join(zp, 'root/etc/hostname'))).toBe(true);
  });

  test('removeTree stops at another device instead of recursing into it', () => {
    const t = join(env.base, 'tree');
    mount(join(t, 'a/mnt'));
    writeFileSync(join(t, 'a/mnt/f'), 'x');
    expect(() => removeTree(t)).toThrow(MountPointError);
    expect(readFileSync(join(t, 'a/mnt/f'), 'utf8')).toBe('x');
  });
});

describe('mark', () => {
  test('configured or installed -> incomplete; uninstall -F -> configured', async () => {
    addZone(env, 'k');
    await install('k');
    await run('k', (ctx) => markZone(ctx, 'incomplete'));
    expect(state('k')).toBe('incomplete');
    await run('k', (ctx) => uninstallZone(ctx, { force: true }));
    expect(state('k')).toBe('configured');
    await run('k', (ctx) => markZone(ctx, 'incomplete'));
    expect(state('k')).toBe('incomplete');
  });
});

describe('clone', () => {
  function inodes(dir: string, out = new Map<string, number>()): Map<string, number> {
    for (const n of readdirSync(dir)) {
      const p = join(dir, n);
      const st = lstatSync(p);
      if (st.isDirectory()) inodes(p, out);
      else if (st.isFile()) out.set(p.slice(dir.length), st.ino);
    }
    return out;
  }

  test('a copy that shares no file with its source, with its own identity', async () => {
    const szp = addZone(env, 'src');
    await install('src');
    const tzp = addZone(env, 'dst');
    const r = await run('dst', (ctx) => cloneZone(ctx, { source: 'src', method: 'copy' }));
    expect(r.err).toBe('');
    expect(r.stdout).toBe(`Copying ${szp}...\n`);
    expect(state('dst')).toBe('installed');
    expect(statSync(tzp).mode & 0o777).toBe(0o700);

    // No inode of the clone is an inode of the source.
    const si = new Set(inodes(szp).values());
    for (const ino of inodes(tzp).values()) expect(si.has(ino)).toBe(false);
    // Hard links inside the tree stay links between the copies.
    expect(statSync(join(tzp, 'root/usr/bin/tool')).ino).toBe(statSync(join(tzp, 'root/usr/bin/tool-link')).ino);

    writeFileSync(join(tzp, 'root/usr/bin/tool'), 'changed in the clone\n');
    writeFileSync(join(tzp, 'root/etc/new'), 'x');
    expect(readFileSync(join(szp, 'root/usr/bin/tool'), 'utf8')).toBe('#!/bin/sh\necho tool\n');
    expect(existsSync(join(szp, 'root/etc/new'))).toBe(false);

    expect(readFileSync(join(tzp, 'root/etc/hostname'), 'utf8')).toBe('dst\n');
    expect(readFileSync(join(szp, 'root/etc/hostname'), 'utf8')).toBe('src\n');
    const mid = readFileSync(join(tzp, 'root/etc/machine-id'), 'utf8');
    expect(mid).toMatch(/^[0-9a-f]{32}\n$/);
    expect(mid).not.toBe(readFileSync(join(szp, 'root/etc/machine-id'), 'utf8'));
  });

  test('identity files that are symlinks to the host are replaced, never written through', async () => {
    const hostName = join(env.base, 'host-hostname');
    writeFileSync(hostName, 'the-host\n');
    const tpl = join(env.base, 'tpl2');
    mkdirSync(join(tpl, 'etc'), { recursive: true });
    symlinkSync(hostName, join(tpl, 'etc/hostname'));
    symlinkSync('/etc/machine-id', join(tpl, 'etc/machine-id'));
    const hostMid = existsSync('/etc/machine-id') ? readFileSync('/etc/machine-id', 'utf8') : undefined;
    addZone(env, 's2');
    await run('s2', (ctx) => installZone(ctx, {
      options: { source: tpl }, profile: PROFILE,
      installerFor: (_b, _c, o) => ({ async install(ctx) { execFileSync('cp', ['-a', `${o.source}/.`, ctx.root]); } }),
    }));
    const tzp = addZone(env, 't2');
    expect((await run('t2', (ctx) => cloneZone(ctx, { source: 's2' }))).err).toBe('');
    expect(readFileSync(hostName, 'utf8')).toBe('the-host\n');
    if (hostMid !== undefined) expect(readFileSync('/etc/machine-id', 'utf8')).toBe(hostMid);
    expect(lstatSync(join(tzp, 'root/etc/hostname')).isFile()).toBe(true);
    expect(readFileSync(join(tzp, 'root/etc/hostname'), 'utf8')).toBe('t2\n');
  });

  test('refusals', async () => {
    addZone(env, 'cs');
    addZone(env, 'ct');
    expect((await run('ct', (ctx) => cloneZone(ctx, { source: 'cs' }))).err).toBe('zoneadm: zone cs is configured; installed is required.\n');
    await install('cs');
    addZone(env, 'deb', { brand: 'debian' });
    expect((await run('deb', (ctx) => cloneZone(ctx, { source: 'cs' }))).err).toBe("zoneadm: Zones 'cs' and 'deb' have different brand types.\n");
    expect((await run('ct', (ctx) => cloneZone(ctx, { source: 'global' }))).err).toBe("zoneadm: zone 'ct': clone operation is invalid for the global zone.\n");
    expect((await run('ct', (ctx) => cloneZone(ctx, { source: 'nosuch' }))).err).toBe('zoneadm: nosuch: could not get state: No such zone configured\n');
    const { ctx } = ctxFor(env, 'ct');
    await expect(cloneZone(ctx, { source: 'cs', method: 'zfs' })).rejects.toBeInstanceOf(ZoneadmUsageError);
    expect((await run('cs', (c) => cloneZone(c, { source: 'ct' }))).err).toBe("zoneadm: zone 'cs': is already installed.\n");
    expect(state('ct')).toBe('configured');
  });
});

describe('move', () => {
  test('same file system: rename; config and index follow', async () => {
    const old = addZone(env, 'mv');
    await install('mv');
    const np = join(env.zones, 'moved');
    const r = await run('mv', (ctx) => moveZone(ctx, np));
    expect([r.err, r.stdout]).toEqual(['', '']);
    expect(existsSync(old)).toBe(false);
    expect(readFileSync(join(np, 'root/etc/hostname'), 'utf8')).toBe('mv\n');
    expect(env.store.load('mv')?.globals.zonepath).toBe(np);
    expect(env.store.get('mv')).toMatchObject({ zonepath: np, state: 'installed' });
  });

  test('refusals: not empty, not installed, overlap', async () => {
    addZone(env, 'mv2');
    expect((await run('mv2', (ctx) => moveZone(ctx, join(env.zones, 'x')))).err).toBe("zoneadm: zone 'mv2': must be installed before move.\n");
    const zp = await install('mv2').then(() => join(env.zones, 'mv2'));
    const full = join(env.zones, 'full');
    mkdirSync(full, { mode: 0o700 });
    writeFileSync(join(full, 'f'), '');
    expect((await run('mv2', (ctx) => moveZone(ctx, full))).err).toBe(`could not move zone to ${full}: directory not empty\n`);
    expect((await run('mv2', (ctx) => moveZone(ctx, join(zp, 'inner')))).err).toBe(`mv2 zonepath (${zp}/inner) and mv2 zonepath (${zp}) overlap.\n`);
    expect(state('mv2')).toBe('installed');
  });

  test('across file systems: copy, then the old zonepath is removed', async () => {
    const old = addZone(env, 'mx');
    await install('mx');
    const other = join(env.base, 'otherfs');
    mount(other);
    const np = join(other, 'mx');
    const r = await run('mx', (ctx) => moveZone(ctx, np));
    expect(r.err).toBe('');
    expect(r.stdout).toBe(
      `WARNING: ${np} is on a temporary file system.\nMoving across file systems; copying zonepath ${old}...\nCleaning up zonepath ${old}...\n`,
    );
    expect(existsSync(old)).toBe(false);
    expect(readFileSync(join(np, 'root/etc/hostname'), 'utf8')).toBe('mx\n');
    expect(env.store.get('mx')?.zonepath).toBe(np);
  });
});

describe('detach / attach', () => {
  test('round trip: manifest written, state configured, files kept; attach validates and removes it', async () => {
    const zp = addZone(env, 'dz');
    await install('dz');
    const dry = await run('dz', (ctx) => detachZone(ctx, { dryRun: true }));
    expect(state('dz')).toBe('installed');
    const m = parseManifest(dry.stdout, 'stdout');
    expect(m).toMatchObject({ zonename: 'dz', brand: 'native', architecture: hostFacts().architecture, distribution: hostFacts().distribution });
    expect(m.config.globals.zonepath).toBe(zp);

    expect((await run('dz', (ctx) => detachZone(ctx, { dryRun: false }))).err).toBe('');
    expect(state('dz')).toBe('configured');
    expect(existsSync(join(zp, 'SUNWdetached.yaml'))).toBe(true);
    expect(readFileSync(join(zp, 'root/etc/hostname'), 'utf8')).toBe('dz\n');
    expect((await install('dz')).stderr.split('\n').slice(0, 2)).toEqual(['Cannot install detached zone.', `Use attach or remove ${zp} directory.`]);

    expect((await run('dz', (ctx) => attachZone(ctx, { force: true, dryRunPath: join(zp, 'SUNWdetached.yaml') }))).err).toBe(
      "zoneadm: zone 'dz': -F and -n flags are mutually exclusive\n",
    );
    expect((await run('dz', (ctx) => attachZone(ctx, { force: false, dryRunPath: join(zp, 'SUNWdetached.yaml') }))).err).toBe('');
    expect((await run('dz', (ctx) => attachZone(ctx, { force: false }))).err).toBe('');
    expect(state('dz')).toBe('installed');
    expect(existsSync(join(zp, 'SUNWdetached.yaml'))).toBe(false);
    expect((await run('dz', (ctx) => attachZone(ctx, { force: false }))).err).toBe("zoneadm: zone 'dz': is already installed.\n");
  });

  test('a manifest from another architecture or distribution is refused; -F attaches anyway', async () => {
    const zp = addZone(env, 'da');
    await install('da');
    await run('da', (ctx) => detachZone(ctx, { dryRun: false }));
    const mp = join(zp, 'SUNWdetached.yaml');
    const text = readFileSync(mp, 'utf8');
    const f = hostFacts();
    writeFileSync(mp, text.replace(`architecture: ${f.architecture}`, 'architecture: riscv64').replace(/\n  id: \S+/, '\n  id: fedora'));
    const r = await run('da', (ctx) => attachZone(ctx, { force: false }));
    expect(r.err).toBe(
      "zoneadm: zone 'da': the detached zone does not match this system:\n" +
        `\tthe zone was detached from a riscv64 system; this system is ${f.architecture}\n` +
        `\tthe zone was detached from fedora ${f.distribution.version_id}; this system runs ${f.distribution.id} ${f.distribution.version_id}\n`,
    );
    expect(state('da')).toBe('configured');
    const dry = await run('da', (ctx) => attachZone(ctx, { force: false, dryRunPath: mp }));
    expect(dry.err.split('\n')[0]).toBe("zoneadm: zone 'da': the detached zone does not match this system:");
    expect((await run('da', (ctx) => attachZone(ctx, { force: true }))).err).toBe('');
    expect(state('da')).toBe('installed');
  });

  test('detach and attach refusals', async () => {
    addZone(env, 'dr');
    expect((await run('dr', (ctx) => detachZone(ctx, { dryRun: false }))).err).toBe("zoneadm: zone 'dr': must be installed before detach.\n");
    expect((await run('dr', (ctx) => attachZone(ctx, { force: false }))).err).toMatch(/^zoneadm: zone 'dr': could not open manifest path .*SUNWdetached\.yaml: No such file or directory\n$/);
    expect((await run('dr', (ctx) => attachZone(ctx, { force: false, dryRunPath: '/nonexistent.yaml' }))).err).toBe(
      "zoneadm: zone 'dr': could not open manifest path /nonexistent.yaml: No such file or directory\n",
    );
  });
});

describe('a failed operation removes what it created', () => {
  test('install: the zonepath (and parents) made for a verify that then fails are removed; what existed stays', async () => {
    const open = join(env.zones, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    addZone(env, 'fi', { zonepath: join(open, 'fi') });
    const r = await install('fi');
    expect(r.stderr).toContain(`${open} must not be world writable.`);
    expect([state('fi'), existsSync(join(open, 'fi')), existsSync(open)]).toEqual(['configured', false, true]);

    const inst = addZone(env, 'inst', { state: 'installed' });
    mkdirSync(inst, { mode: 0o700 });
    addZone(env, 'fo', { zonepath: join(inst, 'new/deep/fo') });
    const o = await install('fo');
    expect(o.stderr.split('\n')[0]).toBe(`fo zonepath (${inst}/new/deep/fo) and inst zonepath (${inst}) overlap.`);
    expect(readdirSync(inst)).toEqual([]);
  });

  test('clone: a failed copy removes what it added to the target and leaves it configured', async () => {
    addZone(env, 'cf');
    await install('cf');
    const tzp = addZone(env, 'cft');
    mkdirSync(tzp, { mode: 0o700 });
    writeFileSync(join(tzp, 'keep'), 'mine');
    const r = await run('cft', (ctx) => cloneZone(ctx, { source: 'cf', identity: () => { throw new ZoneadmError('identity failed'); } }));
    expect(r.err).toBe("zoneadm: zone 'cft': identity failed\n");
    expect([state('cft'), readdirSync(tzp)]).toEqual(['configured', ['keep']]);
  });
});

describe('move: a crash at any point is recovered by the next command', () => {
  /** An installed zone `name` and the journal of a move of it to `to`, as move writes it. */
  async function crashed(name: string, mode: 'rename' | 'copy') {
    const from = addZone(env, name);
    await install(name);
    const to = join(env.zones, `${name}-new`);
    writeMoveJournal(env.root, name, { from, to, mode, toExisted: false });
    return { from, to };
  }

  test('after the rename, before the store: rolled forward by any command (detach finds the zone)', async () => {
    const { from, to } = await crashed('m1', 'rename');
    renameSync(from, to);
    const r = await run('m1', (ctx) => detachZone(ctx, { dryRun: false }));
    expect([r.err, r.stderr]).toEqual(['', `zoneadm: zone 'm1': the interrupted move to ${to} was completed.\n`]);
    expect(env.store.get('m1')).toMatchObject({ zonepath: to, state: 'configured' });
    expect(existsSync(join(to, 'SUNWdetached.yaml'))).toBe(true);
    expect(existsSync(from)).toBe(false);
    expect(existsSync(moveJournalPath(env.root, 'm1'))).toBe(false);
  });

  test('before the rename: rolled back (verify), and the move can be done again', async () => {
    const { from, to } = await crashed('m2', 'rename');
    const { ctx, io } = ctxFor(env, 'm2');
    verifyZone(ctx);
    expect(io.stderr).toBe(`zoneadm: zone 'm2': the interrupted move to ${to} was undone; the zonepath is ${from}.\n`);
    expect(env.store.get('m2')?.zonepath).toBe(from);
    expect((await run('m2', (c) => moveZone(c, to))).err).toBe('');
    expect(env.store.get('m2')?.zonepath).toBe(to);
    expect(readFileSync(join(to, 'root/etc/hostname'), 'utf8')).toBe('m2\n');
  });

  test('a partial copy is removed; a committed copy gets its old zonepath removed', async () => {
    const a = await crashed('m3', 'copy');
    mkdirSync(join(a.to, 'root/etc'), { recursive: true, mode: 0o700 });
    expect((await run('m3', (ctx) => moveZone(ctx, a.to))).err).toBe('');
    expect(env.store.get('m3')?.zonepath).toBe(a.to);
    expect(readFileSync(join(a.to, 'root/etc/hostname'), 'utf8')).toBe('m3\n');

    const b = await crashed('m4', 'copy');
    execFileSync('cp', ['-a', `${b.from}/.`, b.to]);
    const cfg = env.store.load('m4')!;
    env.store.save({ ...cfg, globals: { ...cfg.globals, zonepath: b.to } });
    const r = await run('m4', (ctx) => markZone(ctx, 'installed'));
    expect([r.err, r.stderr]).toEqual(['', `zoneadm: zone 'm4': the interrupted move to ${b.to} was completed.\n`]);
    expect([existsSync(b.from), existsSync(join(b.to, 'root/etc/hostname'))]).toEqual([false, true]);
  });

  test('a move of a zone whose zonepath is gone is refused; it does not make an empty one', async () => {
    const zp = addZone(env, 'm5', { state: 'installed' });
    const r = await run('m5', (ctx) => moveZone(ctx, join(env.zones, 'm5-new')));
    expect(r.err).toBe('zoneadm: could not stat zone path: No such file or directory\n');
    expect([existsSync(zp), existsSync(join(env.zones, 'm5-new'))]).toEqual([false, false]);
  });
});

describe('links a zone user (or a foreign zonepath) plants are never followed', () => {
  test('a zonepath root that is a symbolic link: install, move, clone, attach and boot refuse; nothing in its target', async () => {
    const victim = join(env.base, 'victim');
    mkdirSync(victim, { mode: 0o755 });
    const zp = addZone(env, 'ln');
    await install('ln');
    rmSync(join(zp, 'root'), { recursive: true });
    symlinkSync(victim, join(zp, 'root'));
    const notDir = `${zp}/root is not a directory.`;
    expect((await run('ln', (ctx) => moveZone(ctx, join(env.zones, 'ln2')))).stderr.split('\n')[0]).toBe(notDir);
    const tzp = addZone(env, 'lnc');
    expect((await run('lnc', (ctx) => cloneZone(ctx, { source: 'ln' }))).err).toBe(`${notDir}\n`);
    expect([state('lnc'), existsSync(tzp)]).toEqual(['configured', false]);
    expect((await run('ln', (ctx) => detachZone(ctx, { dryRun: false }))).stderr.split('\n')[0]).toBe(notDir);
    env.store.setState('ln', 'configured');
    expect((await install('ln')).stderr.split('\n')[0]).toBe(notDir);
    expect((await run('ln', (ctx) => attachZone(ctx, { force: true }))).stderr.split('\n')[0]).toBe(notDir);
    env.store.setState('ln', 'installed');
    await expect(bootZone('ln', { root: env.root })).rejects.toThrow(`the zone root ${zp}/root is a symbolic link`);
    expect(readdirSync(victim)).toEqual([]);
    // uninstall removes the link, not what it points to
    writeFileSync(join(victim, 'precious'), 'x');
    expect((await run('ln', (ctx) => uninstallZone(ctx, { force: true }))).err).toBe('');
    expect([existsSync(join(zp, 'root')), readdirSync(victim)]).toEqual([false, ['precious']]);
  });

  test('links planted inside a zone root: clone writes no identity through them, a move (copy) leaves their targets alone', async () => {
    const victim = join(env.base, 'victim3');
    mkdirSync(victim);
    writeFileSync(join(victim, 'hostname'), 'host\n');
    const zp = addZone(env, 'pl');
    await install('pl');
    rmSync(join(zp, 'root/etc'), { recursive: true });
    symlinkSync(victim, join(zp, 'root/etc')); // as the zone's root could do: etc -> a host directory
    symlinkSync(victim, join(zp, 'root/escape'));
    const tzp = addZone(env, 'plc');
    expect((await run('plc', (ctx) => cloneZone(ctx, { source: 'pl' }))).err).toBe('');
    expect([readdirSync(victim), readFileSync(join(victim, 'hostname'), 'utf8')]).toEqual([['hostname'], 'host\n']);
    expect(lstatSync(join(tzp, 'root/etc')).isSymbolicLink()).toBe(true);

    const other = join(env.base, 'otherfs2');
    mount(other);
    expect((await run('pl', (ctx) => moveZone(ctx, join(other, 'pl')))).err).toBe('');
    expect([existsSync(zp), readdirSync(victim)]).toEqual([false, ['hostname']]);
    expect(lstatSync(join(other, 'pl/root/escape')).isSymbolicLink()).toBe(true);
    expect((await run('pl', (ctx) => uninstallZone(ctx, { force: true }))).err).toBe('');
    expect(readdirSync(victim)).toEqual(['hostname']);
  });

  test('identity: a root that is a link is not written through', () => {
    const victim = join(env.base, 'victim2');
    mkdirSync(join(victim, 'etc'), { recursive: true });
    symlinkSync(victim, join(env.base, 'lroot'));
    expect(giveIdentity(join(env.base, 'lroot'), 'x').written).toEqual([]);
    expect(readdirSync(join(victim, 'etc'))).toEqual([]);
  });

  test('attach does not read a manifest that is a symbolic link (it could be /etc/shadow)', async () => {
    const secret = join(env.base, 'secret');
    writeFileSync(secret, 'root:$6$secret:1:0:99999:7:::\n');
    const zp = addZone(env, 'am');
    await install('am');
    await run('am', (ctx) => detachZone(ctx, { dryRun: false }));
    rmSync(join(zp, 'SUNWdetached.yaml'));
    symlinkSync(secret, join(zp, 'SUNWdetached.yaml'));
    const r = await run('am', (ctx) => attachZone(ctx, { force: false }));
    expect(r.err).toBe(`zoneadm: zone 'am': could not open manifest path ${zp}/SUNWdetached.yaml: Too many levels of symbolic links\n`);
    expect(r.err + r.stderr).not.toContain('secret');
    expect(state('am')).toBe('configured');
  });
});
