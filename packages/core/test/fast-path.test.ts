/** fastPathModule: the bundle only when it is not older than tsc's last build; never a stale one. */
import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fastPathModule } from '../src/fast-path.js';

const cli = mkdtempSync(join(tmpdir(), 'zones-fastpath-'));
afterAll(() => rmSync(cli, { recursive: true, force: true }));
const bin = pathToFileURL(join(cli, 'bin', 'run.js')).href;
const touch = (rel: string, secs: number) => {
  writeFileSync(join(cli, rel), '');
  utimesSync(join(cli, rel), secs, secs);
};

describe('fastPathModule', () => {
  test('bundle when fresh, tsc output when the bundle is older or missing', () => {
    mkdirSync(join(cli, 'bin'));
    mkdirSync(join(cli, 'dist', 'bundle'), { recursive: true });
    const plain = pathToFileURL(join(cli, 'dist', 'main.js')).href;
    const bundled = pathToFileURL(join(cli, 'dist', 'bundle', 'main.js')).href;
    expect(fastPathModule(bin, 'main')).toBe(plain); // no bundle
    touch('dist/.tsbuildinfo', 1000);
    touch('dist/bundle/main.js', 2000);
    expect(fastPathModule(bin, 'main')).toBe(bundled);
    touch('dist/.tsbuildinfo', 3000); // tsc rebuilt after the bundle
    expect(fastPathModule(bin, 'main')).toBe(plain);
  });
});
