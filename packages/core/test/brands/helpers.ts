/** Shared pieces of the installer tests: temp dirs, contexts, the busybox fixture, a tiny tar writer. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ZoneConfig } from '../../src/model/types.js';
import type { InstallContext, InstallOptions, SystemProfile } from '../../src/brands/types.js';
import { defaultGlobals } from '../../src/model/schema.js';

const here = fileURLToPath(new URL('.', import.meta.url));
export const REPO = resolve(here, '../../../..');

/** A temp directory and its cleanup (safe to call twice). */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `zones-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function config(zonename: string, brand: string, inherit: string[] = []): ZoneConfig {
  return {
    globals: { ...defaultGlobals(zonename), zonepath: `/zones/${zonename}`, brand },
    resources: inherit.map((dir) => ({ type: 'inherit-pkg-dir' as const, props: { dir } })),
  };
}

export const PROFILE: SystemProfile = {
  hostname: 'viernes13',
  timezone: 'Europe/Madrid',
  locale: 'C.UTF-8',
  rootPasswordHash: '$6$saltsalt$0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ./0123456789abcdefghijkl',
};

export interface TestCtx extends InstallContext {
  steps: string[];
  logs: string[];
}

/** An install context whose zonepath is `<base>/<zonename>` (created, mode 0700). */
export function makeCtx(base: string, zonename: string, cfg: ZoneConfig, options: InstallOptions = {}, extra: Partial<InstallContext> = {}): TestCtx {
  const zonepath = join(base, zonename);
  mkdirSync(zonepath, { recursive: true, mode: 0o700 });
  const steps: string[] = [];
  const logs: string[] = [];
  return {
    zonename,
    zonepath,
    root: join(zonepath, 'root'),
    config: cfg,
    options,
    profile: { ...PROFILE, hostname: zonename },
    progress: { step: (m) => steps.push(m), log: (c) => logs.push(c) },
    cacheDir: join(base, 'cache'),
    hostRoot: '/',
    signal: new AbortController().signal,
    steps,
    logs,
    ...extra,
  };
}

/** Builds the busybox fixture (root dir + tar, tar.gz, tar.xz, tar.zst) into `dir`. */
export function buildBusybox(dir: string): { root: string; tar: string; gz: string; xz: string; zst: string } {
  const r = spawnSync('bash', [join(REPO, 'fixtures/build-busybox-root.sh'), dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build-busybox-root.sh failed: ${r.stderr}`);
  const a = (ext: string) => join(dir, `busybox-root.${ext}`);
  return { root: join(dir, 'root'), tar: a('tar'), gz: a('tar.gz'), xz: a('tar.xz'), zst: a('tar.zst') };
}

/** `du -sk` of a path, in KiB. */
export function duK(path: string): number {
  const r = spawnSync('du', ['-sk', path], { encoding: 'utf8' });
  return Number(r.stdout.split('\t')[0]);
}

// ------------------------------------------------------------------ a minimal ustar writer

export interface TarEntry {
  name: string;
  type: 'file' | 'dir' | 'symlink' | 'hardlink' | 'char';
  data?: string;
  link?: string;
  mode?: number;
}

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

/** Writes a plain ustar archive with exactly these member names (no normalisation, so `../x` stays). */
export function writeTar(path: string, entries: TarEntry[]): void {
  const blocks: Buffer[] = [];
  const flags = { file: '0', hardlink: '1', symlink: '2', char: '3', dir: '5' } as const;
  for (const e of entries) {
    const data = Buffer.from(e.data ?? '', 'utf8');
    const h = Buffer.alloc(512, 0);
    h.write(e.name, 0, 100, 'utf8');
    h.write(octal(e.mode ?? (e.type === 'dir' ? 0o755 : 0o644), 8), 100, 'latin1');
    h.write(octal(0, 8), 108, 'latin1');
    h.write(octal(0, 8), 116, 'latin1');
    h.write(octal(e.type === 'file' ? data.length : 0, 12), 124, 'latin1');
    h.write(octal(1_700_000_000, 12), 136, 'latin1');
    h.write('        ', 148, 'latin1');
    h.write(flags[e.type], 156, 'latin1');
    if (e.link) h.write(e.link, 157, 100, 'utf8');
    h.write('ustar\0', 257, 'latin1');
    h.write('00', 263, 'latin1');
    if (e.type === 'char') {
      h.write(octal(1, 8), 329, 'latin1');
      h.write(octal(3, 8), 337, 'latin1');
    }
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
    blocks.push(h);
    if (e.type === 'file' && data.length) {
      const padded = Buffer.alloc(Math.ceil(data.length / 512) * 512, 0);
      data.copy(padded);
      blocks.push(padded);
    }
  }
  blocks.push(Buffer.alloc(1024, 0));
  writeFileSync(path, Buffer.concat(blocks));
}

/** A minimal root as tar entries (etc/ and bin/), under `prefix`. */
export function rootEntries(prefix = './'): TarEntry[] {
  return [
    { name: prefix, type: 'dir' },
    { name: `${prefix}etc/`, type: 'dir' },
    { name: `${prefix}etc/passwd`, type: 'file', data: 'root:x:0:0:root:/root:/bin/sh\n' },
    { name: `${prefix}etc/group`, type: 'file', data: 'root:x:0:\n' },
    { name: `${prefix}bin/`, type: 'dir' },
    { name: `${prefix}bin/sh`, type: 'file', data: '#!/bin/true\n', mode: 0o755 },
    { name: `${prefix}usr/`, type: 'dir' },
  ];
}
