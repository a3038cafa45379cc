/** System profile, account filters, host facts (os-release, apt sources), installer selection. */
import { test, expect, describe, beforeAll, afterAll } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArchiveInstaller } from '../../src/brands/archive.js';
import { DebootstrapInstaller } from '../../src/brands/debootstrap.js';
import {
  distroFamily,
  hostLocale,
  hostTimezone,
  mirrorForSuite,
  parseDeb822Sources,
  parseOsRelease,
  parseSourcesList,
  readAptSources,
} from '../../src/brands/host.js';
import { defaultProfile, hashPassword, installerFor } from '../../src/brands/index.js';
import { RinseInstaller } from '../../src/brands/rinse.js';
import { SparseInstaller } from '../../src/brands/sparse.js';
import {
  accountPolicy,
  applyProfile,
  filterGroup,
  filterPasswd,
  filterShadow,
  hostsFile,
  isValidHostname,
  setRootHash,
  validateProfile,
} from '../../src/brands/sysconfig.js';
import { InstallError } from '../../src/brands/types.js';
import { findTool, MissingToolError } from '../../src/sys/tools.js';
import { config, PROFILE, tempDir } from './helpers.js';

let t: ReturnType<typeof tempDir>;
beforeAll(() => {
  t = tempDir('sysconfig');
});
afterAll(() => t.cleanup());

const MIRROR = 'http://mirror.example.org/debian';

describe('accounts', () => {
  const policy = accountPolicy('UID_MIN\t\t\t 1000\nGID_MIN 1000\n');
  test('passwd, group and shadow keep system accounts and nobody', () => {
    const p = filterPasswd('root:x:0:0::/root:/bin/sh\nu:x:1000:1000::/home/u:/bin/sh\nnobody:x:65534:65534::/:/bin/false\nbad line\n', policy);
    expect(p.text).toBe('root:x:0:0::/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n');
    expect(filterGroup('adm:x:4:u,root\nu:x:1000:\nnogroup:x:65534:\n', policy, p.users).text).toBe('adm:x:4:root\nnogroup:x:65534:\n');
    expect(filterShadow('root:$6$a$b:1::::::\nu:$6$c$d:1::::::\nnobody::1::::::\n', p.users)).toBe('root:*:1::::::\nnobody:*:1::::::\n');
  });
  test('login.defs limits', () => {
    expect(accountPolicy('UID_MIN 500\nGID_MIN 600')).toEqual({ uidMin: 500, gidMin: 600 });
    expect(accountPolicy(undefined)).toEqual({ uidMin: 1000, gidMin: 1000 });
  });
  test('root hash', () => {
    expect(setRootHash('root:*:1:0:99999:7:::\n', '$6$s$h')).toBe('root:$6$s$h:1:0:99999:7:::\n');
    expect(setRootHash('', '*')).toMatch(/^root:\*:\d+:0:99999:7:::\n$/);
  });
});

describe('profile', () => {
  test('validation', () => {
    expect(isValidHostname('viernes13')).toBe(true);
    expect(isValidHostname('a.b-c.example')).toBe(true);
    expect(isValidHostname('-bad')).toBe(false);
    expect(() => validateProfile({ ...PROFILE, hostname: 'a b' })).toThrow(InstallError);
    expect(() => validateProfile({ ...PROFILE, timezone: '../../etc/shadow' })).toThrow(/time zone/);
    expect(() => validateProfile({ ...PROFILE, locale: 'x;y' })).toThrow(/locale/);
    expect(() => validateProfile({ ...PROFILE, rootPasswordHash: 'plain:text' })).toThrow(/hash/);
    expect(() => validateProfile({ ...PROFILE, rootPasswordHash: '*' })).not.toThrow();
  });

  test('hosts file', () => {
    expect(hostsFile('web.example.org')).toMatch(/^127\.0\.1\.1\tweb\.example\.org web$/m);
  });

  test('applyProfile writes everything and follows no links', () => {
    const root = join(t.dir, 'root1');
    const outside = join(t.dir, 'outside1');
    mkdirSync(join(root, 'etc'), { recursive: true });
    mkdirSync(join(root, 'var/lib/dbus'), { recursive: true });
    writeFileSync(outside, 'untouched\n');
    symlinkSync(outside, join(root, 'etc/hostname'));
    symlinkSync(outside, join(root, 'etc/machine-id'));
    writeFileSync(join(root, 'var/lib/dbus/machine-id'), 'old\n');
    writeFileSync(join(root, 'etc/passwd'), 'root:*:0:0::/root:/bin/sh\n');
    applyProfile(root, PROFILE);
    expect(readFileSync(outside, 'utf8')).toBe('untouched\n');
    expect(readFileSync(join(root, 'etc/hostname'), 'utf8')).toBe('viernes13\n');
    expect(lstatSync(join(root, 'etc/machine-id')).mode & 0o777).toBe(0o444);
    expect(readlinkSync(join(root, 'var/lib/dbus/machine-id'))).toBe('/etc/machine-id');
    expect(readFileSync(join(root, 'etc/passwd'), 'utf8')).toBe('root:x:0:0::/root:/bin/sh\n');
    expect(readFileSync(join(root, 'etc/shadow'), 'utf8')).toMatch(/^root:\$6\$saltsalt\$/);
    expect(lstatSync(join(root, 'etc/shadow')).mode & 0o777).toBe(0o600);
  });

  test('applyProfile refuses a root whose etc/default is a link out', () => {
    const root = join(t.dir, 'root2');
    const outside = join(t.dir, 'outside2');
    mkdirSync(join(root, 'etc'), { recursive: true });
    mkdirSync(outside);
    symlinkSync(outside, join(root, 'etc/default'));
    expect(() => applyProfile(root, PROFILE)).toThrow(/refusing to follow/);
    expect(existsSync(join(outside, 'locale'))).toBe(false);
  });

  test('defaultProfile reads the host', () => {
    const host = join(t.dir, 'host-tz');
    mkdirSync(join(host, 'etc/default'), { recursive: true });
    symlinkSync('/usr/share/zoneinfo/America/Lima', join(host, 'etc/localtime'));
    writeFileSync(join(host, 'etc/default/locale'), 'LANG="es_ES.UTF-8"\n');
    expect(defaultProfile('z1', host)).toEqual({ hostname: 'z1', timezone: 'America/Lima', locale: 'es_ES.UTF-8', rootPasswordHash: '*' });
    writeFileSync(join(host, 'etc/timezone'), 'Europe/Madrid\n');
    expect(hostTimezone(host)).toBe('Europe/Madrid');
    expect(hostTimezone(join(t.dir, 'nothing'))).toBe('Etc/UTC');
    const saved = process.env.LANG;
    delete process.env.LANG;
    try {
      expect(hostLocale(join(t.dir, 'nothing'))).toBe('C.UTF-8');
    } finally {
      if (saved !== undefined) process.env.LANG = saved;
    }
  });

  test('hashPassword gives a SHA-512 crypt hash that verifies', async () => {
    const h = await hashPassword('s3cret pass');
    expect(h).toMatch(/^\$6\$[./A-Za-z0-9]+\$[./A-Za-z0-9]{86}$/);
    const salt = h.split('$')[2]!;
    expect(execFileSync('openssl', ['passwd', '-6', '-salt', salt, 's3cret pass'], { encoding: 'utf8' }).trim()).toBe(h);
    await expect(hashPassword('two\nlines')).rejects.toThrow(InstallError);
  });

  test('a missing tool is reported with its Debian package', async () => {
    expect(findTool('openssl', '')).toBeUndefined();
    const saved = process.env.PATH;
    process.env.PATH = '';
    try {
      const err = await hashPassword('x').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MissingToolError);
      expect((err as MissingToolError).debianPackage).toBe('openssl');
      expect((err as Error).message).toBe("openssl: command not found; install the Debian package 'openssl' (apt-get install openssl)");
    } finally {
      process.env.PATH = saved;
    }
  });
});

describe('host facts', () => {
  test('os-release and family', () => {
    const os = parseOsRelease('ID=rocky\nID_LIKE="rhel centos fedora"\nVERSION_CODENAME=\n# c\nNAME=\'Rocky Linux\'\n');
    expect(os.ID_LIKE).toBe('rhel centos fedora');
    expect(os.NAME).toBe('Rocky Linux');
    expect(distroFamily(os)).toBe('rpm');
    expect(distroFamily(parseOsRelease('ID=linuxmint\nID_LIKE="ubuntu debian"'))).toBe('debian');
    expect(distroFamily(parseOsRelease('ID=opensuse-tumbleweed\nID_LIKE="opensuse suse"'))).toBe('rpm');
    expect(distroFamily(parseOsRelease('ID=arch'))).toBe('unknown');
  });

  test('one-line and deb822 sources', () => {
    const list = parseSourcesList(
      `# comment\ndeb-src ${MIRROR} bookworm main\ndeb [arch=amd64 signed-by=/k.gpg] ${MIRROR} bookworm main contrib\ndeb cdrom:[Debian]/ bookworm main\n`,
    );
    expect(list.map((s) => [s.types[0], s.uris[0], s.suites[0]])).toEqual([
      ['deb-src', MIRROR, 'bookworm'],
      ['deb', MIRROR, 'bookworm'],
      ['deb', 'cdrom:[Debian]/', 'bookworm'],
    ]);
    const d = parseDeb822Sources(
      `Types: deb deb-src\nURIs: ${MIRROR}\nSuites: bookworm bookworm-updates\nComponents: main\n\n` +
        `Types: deb\nEnabled: no\nURIs: http://off.example.org/debian\nSuites: trixie\n\n` +
        `Types: deb\nURIs: http://sec.example.org/debian-security\nSuites: bookworm-security\n`,
    );
    expect(d).toHaveLength(2);
    expect(mirrorForSuite(d, 'bookworm')).toBe(MIRROR);
    expect(mirrorForSuite(d, 'bookworm-security')).toBe('http://sec.example.org/debian-security');
    expect(mirrorForSuite(d, 'trixie')).toBeUndefined();
    expect(mirrorForSuite(list, 'sid')).toBeUndefined();
  });

  test('readAptSources reads sources.list, *.list and *.sources only', () => {
    const host = join(t.dir, 'host-apt');
    mkdirSync(join(host, 'etc/apt/sources.list.d'), { recursive: true });
    writeFileSync(join(host, 'etc/apt/sources.list'), `deb http://a.example.org/debian bookworm main\n`);
    writeFileSync(join(host, 'etc/apt/sources.list.d/b.list'), `deb http://b.example.org/debian trixie main\n`);
    writeFileSync(join(host, 'etc/apt/sources.list.d/c.sources'), `Types: deb\nURIs: http://c.example.org/debian\nSuites: sid\n`);
    writeFileSync(join(host, 'etc/apt/sources.list.d/d.list.disabled'), `deb http://d.example.org/debian bullseye main\n`);
    const s = readAptSources(host);
    expect(s.map((x) => x.suites[0])).toEqual(['bookworm', 'trixie', 'sid']);
  });
});

describe('installerFor', () => {
  const host = (osRelease: string) => {
    const h = join(t.dir, `host-${Math.random().toString(36).slice(2)}`);
    mkdirSync(join(h, 'etc'), { recursive: true });
    writeFileSync(join(h, 'etc/os-release'), osRelease);
    return h;
  };
  const deb = () => host('ID=debian\nVERSION_CODENAME=bookworm\n');
  const rpm = () => host('ID=fedora\n');

  test('selection rules of docs/brands.md#which-installer', () => {
    expect(installerFor('native', config('z', 'native', ['/usr']), {}, deb())).toBeInstanceOf(SparseInstaller);
    expect(installerFor('native', config('z', 'native'), {}, deb())).toBeInstanceOf(DebootstrapInstaller);
    expect(installerFor('native', config('z', 'native'), {}, rpm())).toBeInstanceOf(RinseInstaller);
    expect(installerFor('debian', config('z', 'debian'), {}, rpm())).toBeInstanceOf(DebootstrapInstaller);
    expect(installerFor('rpm', config('z', 'rpm'), {}, deb())).toBeInstanceOf(RinseInstaller);
    for (const b of ['native', 'debian', 'rpm']) {
      expect(installerFor(b, config('z', b, ['/usr']), { source: '/x.tar' }, deb())).toBeInstanceOf(ArchiveInstaller);
    }
    expect(() => installerFor('native', config('z', 'native'), {}, host('ID=arch\n'))).toThrow(InstallError);
    expect(() => installerFor('SUNWlx', config('z', 'SUNWlx'), {})).toThrow(/unknown brand/);
  });
});
