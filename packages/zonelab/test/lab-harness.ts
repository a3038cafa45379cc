/**
 * Every lab's test, the same three steps (docs/labs/README.md#how-the-labs-are-tested):
 * `zonelab check NN` fails on an untouched host (a fresh ZONES_ROOT), the lab's own solution
 * (docs/labs/solutions/NN-slug.sh) runs as a student would type it, and then the check passes and
 * `zonelab list` shows the lab done. Afterwards the solution's `cleanup` ends what it made on the
 * host (terminals, links, users), every zone of the root is halted by name, and the root removed,
 * also when a step failed.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZoneStore } from '@zones/core/store/zone-store';
import { zoneadmdPath } from '@zones/core/runtime/index';
import { zenterPath } from '@zones/core/zlogin/login';
import { traceLines } from '../../core/test/faults/trace.js';

const here = fileURLToPath(new URL('.', import.meta.url));
export const REPO = resolve(here, '../../..');
const ZONELAB = join(REPO, 'bin', 'zonelab');
const ZONEADM = join(REPO, 'bin', 'zoneadm');
const SOLUTIONS = join(REPO, 'docs', 'labs', 'solutions');

export const canRunLabs = process.getuid?.() === 0 && existsSync(zoneadmdPath()) && existsSync(zenterPath());

export interface LabRun {
  root: string;
  env: NodeJS.ProcessEnv;
  /** `zonelab ARGS` in this lab's root. */
  zonelab(args: string[]): SpawnSyncReturns<string>;
}

/** The solution script of lab `nn` (`01`). */
export function solutionOf(nn: string): string {
  const f = readdirSync(SOLUTIONS).find((n) => n.startsWith(`${nn}-`) && n.endsWith('.sh'));
  if (!f) throw new Error(`no solution for lab ${nn} in docs/labs/solutions`);
  return join(SOLUTIONS, f);
}

function haltAll(root: string, env: NodeJS.ProcessEnv): void {
  if (!existsSync(join(root, 'etc', 'zones', 'index'))) return;
  for (const e of new ZoneStore(root).list()) spawnSync(ZONEADM, ['-z', e.name, 'halt'], { env, encoding: 'utf8', timeout: 60_000 });
}

/**
 * The bootstrap cache the debootstrap tests share (docs/brands.md#fixtures-and-tests): a lab whose
 * solution installs whole-root zones links its root's cache to it, as bench/systemd.js does, so a
 * machine pays the ~30 s bootstrap once and every later run unpacks the cached root (~1 s).
 */
function shareBootstrapCache(root: string): void {
  const shared = process.env.ZONES_TEST_CACHE ?? '/var/cache/zones-test';
  mkdirSync(shared, { recursive: true, mode: 0o755 });
  mkdirSync(join(root, 'var', 'cache'), { recursive: true, mode: 0o755 });
  symlinkSync(shared, join(root, 'var', 'cache', 'zones'));
}

/**
 * The three steps of lab `id` as one describe block. `solutionMs`: how long the solution may take
 * (installs, boots); `bootstrapCache`: the solution installs whole-root zones, from the shared
 * bootstrap cache; `extra(run)` adds the lab's own tests after the check passed.
 */
export function labSuite(id: number, opts: { solutionMs?: number; bootstrapCache?: boolean; extra?: (run: () => LabRun) => void } = {}): void {
  const nn = String(id).padStart(2, '0');
  const d = canRunLabs ? describe : describe.skip;
  if (!canRunLabs) console.warn(`lab ${nn} skipped: needs root and the native helpers (npm run build:native)`);
  const base = mkdtempSync(join(tmpdir(), `lab${nn}-`));
  const root = join(base, 'zr');
  const tag = `l${process.pid % 100000}`;
  const env: NodeJS.ProcessEnv = { ...process.env, ZONES_ROOT: root, LAB_TAG: tag, PATH: `${join(REPO, 'bin')}:${process.env.PATH ?? ''}` };
  const zonelab = (args: string[]) => {
    const r = spawnSync(ZONELAB, args, { env, encoding: 'utf8', timeout: 120_000 });
    expect(traceLines(r.stdout + r.stderr)).toEqual([]);
    return r;
  };
  const run: LabRun = { root, env, zonelab };
  const solution = solutionOf(nn);

  d(`lab ${nn}`, () => {
    afterAll(() => {
      spawnSync('bash', [solution, 'cleanup'], { env, encoding: 'utf8', timeout: 120_000 });
      haltAll(root, env);
      rmSync(base, { recursive: true, force: true });
    }, 300_000);

    test('the check fails on an untouched host and says what is missing', () => {
      const r = zonelab(['check', nn]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/\[missing\]/);
      expect(r.stdout).not.toMatch(/is done\./);
    });

    test("the lab's solution runs, then the check passes and list shows the lab done", () => {
      if (opts.bootstrapCache) shareBootstrapCache(root);
      const s = spawnSync('bash', [solution], { env, encoding: 'utf8', timeout: opts.solutionMs ?? 120_000 });
      if (s.status !== 0) throw new Error(`solution ${solution} failed (${s.status ?? s.signal}):\n${s.stdout}\n${s.stderr}`);
      const r = zonelab(['check', nn]);
      if (r.status !== 0) throw new Error(`zonelab check ${nn} after the solution:\n${r.stdout}${r.stderr}`);
      expect(r.stdout).toMatch(new RegExp(`Lab ${nn} is done\\.`));
      expect(r.stdout).not.toMatch(/\[missing\]/);
      const l = zonelab(['list', '--json']);
      expect(l.status).toBe(0);
      const rows = JSON.parse(l.stdout) as { id: number; status: string }[];
      expect(rows.find((x) => x.id === id)?.status).toBe('done');
    }, (opts.solutionMs ?? 120_000) + 60_000);

    opts.extra?.(() => run);
  });
}
