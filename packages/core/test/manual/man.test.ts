/**
 * The man pages as man-db shows them: `man --warnings -l` on each page has nothing to say (groff's
 * warnings), and each page lists every subcommand and option of the table it is made from.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OptionSpec } from '../../src/argv.js';
import { GLOBAL_OPTIONS, SUBCOMMAND_NAMES, SUBCOMMANDS } from '../../src/argv/zoneadm.js';
import { ZLOGIN_OPTIONS } from '../../src/argv/zlogin.js';
import { ZONECFG_OPTIONS } from '../../src/argv/zonecfg.js';
import { ZONESTAT_OPTIONS } from '../../src/argv/zonestat.js';
import { ZPGREP_OPTIONS, ZPKILL_OPTIONS } from '../../src/argv/zpgrep.js';
import { ZPRSTAT_OPTIONS } from '../../src/argv/zprstat.js';
import { ZPS_OPTIONS } from '../../src/argv/zps.js';
import { COMMAND_WORDS } from '../../src/lang/lexer.js';
import { SCHEMA } from '../../src/model/schema.js';
import { manuals, renderRoff, type Manual } from '../../src/manual/index.js';

const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const canRun = have('man') && have('groff');
if (!canRun) console.warn('man.test.ts: skipped, needs man (man-db) and groff (groff-base): scripts/install-deps.sh');
const d = canRun ? describe : describe.skip;

const dir = mkdtempSync(join(tmpdir(), 'zones-man-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pageFile(m: Manual): string {
  const file = join(dir, `${m.name}.${m.section}`);
  writeFileSync(file, renderRoff(m));
  return file;
}

/** What groff says while man formats the page (its warnings go to stderr). */
function warnings(file: string): string {
  const r = spawnSync('man', ['--warnings', '-E', 'UTF-8', '-l', file], { encoding: 'utf8', env: { ...process.env, MANWIDTH: '80', MAN_KEEP_FORMATTING: '' } });
  return `${r.stderr}${r.status === 0 ? '' : `exit ${r.status}`}`;
}

/** The page as a reader sees it, without overstriking, one line each. */
function formatted(file: string): string[] {
  const text = execFileSync('man', ['-P', 'cat', '-E', 'UTF-8', '-l', file], { encoding: 'utf8', env: { ...process.env, MANWIDTH: '200' } });
  return text.replace(/.\x08/g, '').split('\n');
}

/** The lines of one section (a heading at column 0 starts the next). */
function section(lines: readonly string[], title: string): string[] {
  const at = lines.indexOf(title);
  if (at === -1) return [];
  const end = lines.findIndex((l, i) => i > at && /^[A-Z]/.test(l));
  return lines.slice(at + 1, end === -1 ? undefined : end);
}

/** Some line of `lines` is tagged with `term` (a .TP tag: the term starts the line, after the indent). */
const tagged = (lines: readonly string[], term: string) => lines.some((l) => l.trimStart() === term || l.trimStart().startsWith(`${term} `));

const visible = (specs: readonly OptionSpec[]) => specs.filter((o) => !o.hidden).map((o) => `-${o.char}`);

const byName = (name: string) => manuals().find((m) => m.name === name)!;

d('man --warnings -l', () => {
  test.each(manuals().map((m) => [`${m.name}(${m.section})`, m] as const))('%s: no warning', (_n, m) => {
    expect(warnings(pageFile(m))).toBe('');
  });

  test('a page with a mistake in it is warned about (the check can fail)', () => {
    const file = join(dir, 'broken.8');
    writeFileSync(file, `${renderRoff(byName('zoneadm'))}.XX not a macro\n`);
    expect(warnings(file)).toMatch(/warning/);
  });
});

d('each page has every entry of its table', () => {
  test('zoneadm(8): every subcommand, the global options and each subcommand\'s options', () => {
    const lines = formatted(pageFile(byName('zoneadm')));
    expect(visible(GLOBAL_OPTIONS).filter((o) => !tagged(section(lines, 'OPTIONS'), o))).toEqual([]);
    const subs = section(lines, 'SUBCOMMANDS');
    expect(SUBCOMMAND_NAMES.filter((s) => !tagged(subs, s))).toEqual([]);
    for (const name of SUBCOMMAND_NAMES) {
      // the subcommand's own lines: from its tag to the next subcommand's
      const at = subs.findIndex((l) => l.trimStart().startsWith(name));
      const next = subs.findIndex((l, i) => i > at && /^ {7}\S/.test(l));
      const own = subs.slice(at, next === -1 ? undefined : next);
      expect([name, visible(SUBCOMMANDS[name].options).filter((o) => !tagged(own, o))]).toEqual([name, []]);
    }
  });

  test('zonecfg(8): every option, subcommand, global property, alias, resource type and property', () => {
    const lines = formatted(pageFile(byName('zonecfg')));
    expect(visible(ZONECFG_OPTIONS).filter((o) => !tagged(section(lines, 'OPTIONS'), o))).toEqual([]);
    expect(COMMAND_WORDS.filter((c) => !tagged(section(lines, 'SUBCOMMANDS'), c))).toEqual([]);
    const res = section(lines, 'RESOURCES AND PROPERTIES');
    expect(SCHEMA.globals.map((g) => g.name).filter((g) => !tagged(res, g))).toEqual([]);
    expect(SCHEMA.aliases.map((a) => a.alias).filter((a) => !tagged(res, a))).toEqual([]);
    for (const r of SCHEMA.resources) {
      const at = res.findIndex((l) => l.trim() === `Resource type ${r.type}`);
      const next = res.findIndex((l, i) => i > at && /^ {3}\S/.test(l));
      const own = at === -1 ? [] : res.slice(at, next === -1 ? undefined : next);
      expect([r.type, at, r.props.map((p) => p.name).filter((p) => !tagged(own, p))]).toEqual([r.type, expect.any(Number), []]);
      expect(at).toBeGreaterThan(-1);
    }
  });

  test.each([
    ['zlogin', ZLOGIN_OPTIONS],
    ['zonestat', ZONESTAT_OPTIONS],
    ['zps', ZPS_OPTIONS],
    ['zpgrep', ZPGREP_OPTIONS],
    ['zpkill', ZPKILL_OPTIONS],
    ['zprstat', ZPRSTAT_OPTIONS],
  ] as const)('%s: every option', (name, specs) => {
    const lines = formatted(pageFile(byName(name)));
    expect(visible(specs).filter((o) => !tagged(section(lines, 'OPTIONS'), o))).toEqual([]);
  });
});
