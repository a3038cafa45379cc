/**
 * The way back from an OCI image is untrusted input (docs/oci-image.md#the-way-back): a hostile
 * label (a zonepath of /etc, the host's / mounted rw, limitpriv=all, the host's disks and links)
 * is left out line by line; a label that tries more than configuration does nothing; a layout with
 * a digest that names a path, a blob that is a link to a host file or a blob that does not match
 * is refused; and layers that write outside the root (absolute names, `..`, through a link an
 * earlier layer left, a hard link through one, a whiteout through one) are refused, while
 * whiteouts, setuid files and device nodes are handled as a zone root needs.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArchiveInstaller } from '../../src/brands/archive.js';
import { configFromImage, neutralize } from '../../src/oci/image-zonecfg.js';
import { readImage } from '../../src/oci/image-read.js';
import { LayoutError, verifyBlob } from '../../src/oci/layout.js';
import { Session } from '../../src/lang/session.js';
import { CapturingIO, MemoryBackend } from '../lang/memory-backend.js';
import { config, makeCtx, rootEntries, tempDir, type TarEntry } from '../brands/helpers.js';
import { blobFile, writeIndex, writeLayout } from './layout-fixture.js';

let t: ReturnType<typeof tempDir>;
let n = 0;
beforeAll(() => {
  t = tempDir('oci-import');
});
afterAll(() => t.cleanup());

const fresh = (name: string) => join(t.dir, `${name}-${++n}`);
const CONFIG = 'org.zones.config';

const HOSTILE = [
  'create -b',
  'set zonepath=/etc',
  'set limitpriv=all',
  'set fs-allowed=ext4',
  'set autoboot=true',
  'set max-lwps=200',
  'add dedicated-cpu; set ncpus=2; end',
  'add fs; set dir=/mnt; set special=/; set type=lofs; add options rw; end',
  'add device; set match=/dev/sda; end',
  'add net; set physical=eth0; set address=192.0.2.7; end',
  'add admin; set user=student; set auths=manage; end',
  'add inherit-pkg-dir; set dir=/usr; end',
  'add attr; set name=course; set type=string; set value=os101; end',
].join('\n');

describe('zonecfg create -o: the label', () => {
  test('a hostile label: zonepath, host mounts, devices, links, grants and privileges are left out, each said in a line', async () => {
    const dir = fresh('hostile');
    writeLayout(dir, { layers: [rootEntries()], labels: { [CONFIG]: `${HOSTILE}\n` } });
    const r = await configFromImage(dir, 'copy');
    if ('error' in r) throw new Error(r.error);
    expect(r.config.globals).toMatchObject({ zonename: 'copy', zonepath: '', limitpriv: '', 'fs-allowed': '', autoboot: 'false' });
    expect(r.config.resources.map((x) => x.type)).toEqual(['rctl', 'attr']);
    expect(r.notes).toEqual([
      'zonepath /etc not taken from the image: set a zonepath',
      'limitpriv=all not taken from the image: the zone gets the default privileges',
      'fs-allowed=ext4 not taken from the image',
      'autoboot=true not taken from the image: set it if the zone is to boot with the host',
      'the image\'s resource controls are kept: zone.max-lwps',
      'inherit-pkg-dir /usr not taken: the image carries their files',
      'dedicated-cpu not taken from the image: it takes CPUs of this host from every other zone',
      'fs dir=/mnt special=/ type=lofs not taken from the image: it mounts a file system of this host',
      "device match=/dev/sda not taken from the image: it gives the zone one of this host's devices",
      "net physical=eth0 address=192.0.2.7 not taken from the image: it names this host's network links",
      'admin user=student not taken from the image: it grants a user of this host rights on the zone',
    ]);
  });

  test('a limitpriv within the default set is kept', () => {
    const cfg = { globals: { zonename: 'x', zonepath: '', limitpriv: 'default,-sys_acct', 'ip-type': 'shared' }, resources: [] } as never;
    expect(neutralize(cfg, 'y').config.globals).toMatchObject({ limitpriv: 'default,-sys_acct', zonename: 'y' });
  });

  test('a label that writes a file (export -f) writes nothing', async () => {
    const dir = fresh('export');
    const target = join(t.dir, 'pwned');
    writeLayout(dir, { layers: [rootEntries()], labels: { [CONFIG]: `create -b\nset zonepath=/z\nexport -f ${target}\n` } });
    const r = await configFromImage(dir, 'copy');
    expect(r).toMatchObject({ config: { globals: { zonename: 'copy', zonepath: '' } } });
    expect(existsSync(target)).toBe(false);
  });

  test('a label that is not a configuration is refused in one line', async () => {
    const dir = fresh('garbage');
    writeLayout(dir, { layers: [rootEntries()], labels: { [CONFIG]: 'create -b\nset zonepath=/z\nset max-lwps=1\n' } });
    expect(await configFromImage(dir, 'copy')).toEqual({ error: `${dir}: the image's zone configuration is invalid: max-lwps property is out of range.` });
  });

  test('an image without the label starts from a blank configuration, and says so', async () => {
    const dir = fresh('foreign');
    writeLayout(dir, { layers: [rootEntries()], tag: 'v1' });
    const r = await configFromImage(`${dir}:v1`, 'copy');
    expect(r).toEqual({ config: { globals: expect.objectContaining({ zonename: 'copy', zonepath: '' }), resources: [] }, notes: [`${dir}:v1: the image carries no zone configuration; starting from a blank one`] });
    expect(await configFromImage(`${dir}:v2`, 'copy')).toEqual({ error: `${dir}:v2: not a usable OCI image layout: no image tagged 'v2' in the layout` });
  });

  test('through the session: the notes on stderr, a missing layout as an error line', async () => {
    const dir = fresh('session');
    writeLayout(dir, { layers: [rootEntries()], labels: { [CONFIG]: 'create -b\nset zonepath=/zones/a\nset max-lwps=200\n' } });
    const backend = Object.assign(new MemoryBackend(), { image: (ref: string, zone: string) => configFromImage(ref, zone) });
    const io = new CapturingIO();
    const s = new Session(backend, io, { zonename: 'copy', mode: 'argv' });
    await s.run(`create -o ${dir}; set zonepath=/zones/copy; commit`);
    expect(io.stderr).toEqual(['zonepath /zones/a not taken from the image: set a zonepath', "the image's resource controls are kept: zone.max-lwps"]);
    expect(backend.zones.get('copy')?.config.globals.zonepath).toBe('/zones/copy');
    const io2 = new CapturingIO();
    await new Session(backend, io2, { zonename: 'other', mode: 'argv' }).run(`create -o ${join(t.dir, 'nothing')}`);
    expect(io2.stderr).toEqual([`${join(t.dir, 'nothing')}: not a usable OCI image layout: oci-layout is missing`]);
  });
});

describe('reading a layout', () => {
  test('a digest that names a path is refused before it is opened', () => {
    const dir = fresh('digest');
    writeLayout(dir, { layers: [rootEntries()] });
    writeIndex(dir, [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: 'sha256:../../../../etc/passwd', size: 10 }]);
    expect(() => readImage(dir)).toThrow(new LayoutError("unsupported or malformed digest 'sha256:../../../../etc/passwd'"));
  });

  test('a blob that is a symbolic link to a host file is refused', () => {
    const dir = fresh('link');
    const d = writeLayout(dir, { layers: [rootEntries()] });
    unlinkSync(blobFile(dir, d.config));
    symlinkSync('/etc/hostname', blobFile(dir, d.config));
    expect(() => readImage(dir)).toThrow(new LayoutError('the config blob is a symbolic link'));
  });

  test('a blob that does not match its digest is refused', async () => {
    const dir = fresh('mismatch');
    const d = writeLayout(dir, { layers: [rootEntries()] });
    writeFileSync(blobFile(dir, d.layers[0]!), 'not the layer');
    const ctx = makeCtx(join(t.dir, 'zones'), `z${++n}`, config('copy', 'native'), { source: dir });
    await expect(new ArchiveInstaller().install(ctx)).rejects.toThrow(`${dir}: not a usable OCI image layout: the layer 1 of 1 blob does not match its digest`);
    expect(readdirSync(ctx.root)).toEqual([]);
  });
});

describe('a layer is used as it was checked', () => {
  test('verifyBlob with a copy: the copy is what was hashed, root\'s alone; the blob changed afterwards changes nothing', async () => {
    const dir = fresh('copy');
    const d = writeLayout(dir, { layers: [rootEntries()] });
    const original = readFileSync(blobFile(dir, d.layers[0]!));
    const layer = { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: d.layers[0]!, size: original.length };
    const copy = join(t.dir, `layer-copy-${n}`);
    expect(await verifyBlob(dir, layer, 'layer', copy)).toBe(copy);
    // the image's owner rewrites the blob after the check: what is listed and unpacked is the copy
    writeFileSync(blobFile(dir, d.layers[0]!), 'rewritten after the check');
    expect([readFileSync(copy).equals(original), lstatSync(copy).mode & 0o777]).toEqual([true, 0o600]);
    // a file already at the copy's name (a planted link) is never written through
    writeFileSync(blobFile(dir, d.layers[0]!), original);
    await expect(verifyBlob(dir, layer, 'layer', copy)).rejects.toThrow(/EEXIST/);
  });
});

describe('zoneadm install -d LAYOUT: the layers', () => {
  const install = async (layers: TarEntry[][]) => {
    const dir = fresh('layers');
    writeLayout(dir, { layers });
    const ctx = makeCtx(join(t.dir, 'zones'), `z${++n}`, config('copy', 'native'), { source: dir });
    await new ArchiveInstaller().install(ctx);
    return ctx.root;
  };
  const outside = () => {
    const d = fresh('outside');
    mkdirSync(d);
    writeFileSync(join(d, 'secret'), 'host\n');
    return d;
  };

  test.each([
    ['an absolute name', [{ name: '/etc/evil', type: 'file', data: 'x' }], "member '/etc/evil' has an absolute path"],
    ['a .. name', [{ name: './../evil', type: 'file', data: 'x' }], "member './../evil' escapes the root ('..')"],
  ] as const)('%s is refused', async (_what, extra, why) => {
    await expect(install([[...rootEntries(), ...(extra as unknown as TarEntry[])]])).rejects.toThrow(why);
  });

  test('a file written through a link an earlier layer left is refused; nothing lands outside', async () => {
    const out = outside();
    await expect(install([[...rootEntries(), { name: './lib', type: 'symlink', link: out }], [{ name: './lib/pwned', type: 'file', data: 'x' }]])).rejects.toThrow(
      "layer 2 of 2: './lib/pwned' would be written through the symbolic link 'lib' of a layer below",
    );
    expect(readdirSync(out)).toEqual(['secret']);
  });

  test('a hard link through a link an earlier layer left is refused', async () => {
    const out = outside();
    await expect(install([[...rootEntries(), { name: './lnk', type: 'symlink', link: out }], [{ name: './x', type: 'hardlink', link: 'lnk/secret' }]])).rejects.toThrow(
      "'./x' would be written through the symbolic link 'lnk' of a layer below",
    );
  });

  test('a whiteout through such a link is refused and removes nothing outside', async () => {
    const out = outside();
    await expect(install([[...rootEntries(), { name: './lnk', type: 'symlink', link: out }], [{ name: './lnk/.wh.secret', type: 'file' }]])).rejects.toThrow('symbolic link');
    expect(readFileSync(join(out, 'secret'), 'utf8')).toBe('host\n');
  });

  test('whiteouts remove what lower layers made; an opaque directory drops its old contents', async () => {
    const root = await install([
      [...rootEntries(), { name: './bin/tool', type: 'file', data: 'old' }, { name: './opt/', type: 'dir' }, { name: './opt/a', type: 'file', data: 'a' }],
      [{ name: './bin/.wh.tool', type: 'file' }, { name: './opt/.wh..wh..opq', type: 'file' }, { name: './opt/b', type: 'file', data: 'b' }],
    ]);
    expect(existsSync(join(root, 'bin/tool'))).toBe(false);
    expect(readdirSync(join(root, 'opt'))).toEqual(['b']);
    expect(existsSync(join(root, 'bin/.wh.tool'))).toBe(false);
  });

  test('a setuid file is kept (the zone ids shift it at boot); a device node is not unpacked', async () => {
    const root = await install([[...rootEntries(), { name: './bin/su', type: 'file', data: 'x', mode: 0o4755 }, { name: './dev/mem', type: 'char' }]]);
    expect(lstatSync(join(root, 'bin/su')).mode & 0o7777).toBe(0o4755);
    expect(existsSync(join(root, 'dev/mem'))).toBe(false);
  });
});
