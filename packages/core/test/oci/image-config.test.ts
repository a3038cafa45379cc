/**
 * The image config of a zone (docs/oci-image.md#the-init): the entrypoint is the init our boot
 * would run, found inside the zone (links resolved against the zone's root, never the host's), and
 * a zone that boots only our built-in zsched gets none; the labels carry the configuration.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { imageConfig, zoneEntrypoint } from '../../src/oci/image-config.js';
import { config, tempDir } from '../brands/helpers.js';

let t: ReturnType<typeof tempDir>;
let n = 0;
beforeAll(() => {
  t = tempDir('oci-config');
});
afterAll(() => t.cleanup());

function root(files: Record<string, string | { link: string }>): string {
  const r = join(t.dir, `root${++n}`);
  for (const [p, v] of Object.entries(files)) {
    mkdirSync(join(r, p, '..'), { recursive: true });
    if (typeof v === 'string') {
      writeFileSync(join(r, p), v);
      chmodSync(join(r, p), 0o755);
    } else symlinkSync(v.link, join(r, p));
  }
  return r;
}

describe('the entrypoint', () => {
  test('/sbin/init through an absolute link inside the zone (busybox)', () => {
    const r = root({ 'bin/busybox': '#!', 'sbin/init': { link: '/bin/busybox' } });
    expect(zoneEntrypoint(r, [], '')).toEqual({ entrypoint: '/sbin/init', args: [] });
  });

  test('-i PATH picks the init; the other bootargs are its arguments', () => {
    const r = root({ 'bin/sh': '#!' });
    expect(zoneEntrypoint(r, [], '-m verbose -i /bin/sh')).toEqual({ entrypoint: '/bin/sh', args: ['-m', 'verbose'] });
  });

  test('a link that climbs out of the root or names a host-only file is not an init', () => {
    // /usr/bin/env is on the host, not in this zone: the link is read as the zone would read it.
    const r = root({ 'etc/passwd': '', 'sbin/init': { link: '../../../../../../usr/bin/env' } });
    expect(zoneEntrypoint(r, [], '')).toEqual({ args: [], why: 'the zone has no executable /sbin/init' });
  });

  test('an init under an inherit-pkg-dir is found on the host, where the zone will see it', () => {
    const pkg = root({ 'bin/init': '#!' });
    const r = root({ 'etc/passwd': '', 'sbin/init': { link: `${pkg}/bin/init` } });
    expect(zoneEntrypoint(r, [pkg], '')).toEqual({ entrypoint: '/sbin/init', args: [] });
  });

  test('-i zsched, or no init at all: no entrypoint, and why', () => {
    const r = root({ 'sbin/init': '#!' });
    expect(zoneEntrypoint(r, [], '-i zsched')).toEqual({ args: [], why: 'the zone boots the built-in zsched' });
    const cfg = imageConfig({ entry: { name: 'z', uuid: 'u' } as never, cfg: config('z', 'native'), init: { args: [] }, diffId: 'sha256:x', created: 'now', architecture: 'x86_64' });
    expect(cfg.config).not.toHaveProperty('Entrypoint');
    expect(cfg.config).toMatchObject({ Labels: { 'org.zones.init': 'zsched', 'org.zones.zonename': 'z' } });
    expect(cfg.architecture).toBe('amd64');
  });
});
