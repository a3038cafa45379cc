/**
 * The examples of zonecfg(8) (packages/core/src/manual/zonecfg.ts) are command lines a reader
 * copies: each runs as it is written, with zonecfg's bin, under a temporary ZONES_ROOT. The live
 * one (`-r`) needs a running zone and is left to the live reconfiguration tests.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { zonecfgManual } from '@zones/core/manual/zonecfg';
import { tempRoot } from '../../core/test/store/helpers.js';

const BIN_DIR = join(import.meta.dirname, '../../../bin');

/** The commands of the examples: a `# ` line starts one, the lines after it continue it. */
function exampleCommands(): string[] {
  const examples = zonecfgManual().sections.find((s) => s.title === 'Examples')!;
  const commands: string[] = [];
  for (const b of examples.blocks) {
    if (b.kind !== 'pre') continue;
    for (const line of b.lines) {
      if (line.startsWith('# ')) commands.push(line.slice(2));
      else commands[commands.length - 1] += `\n${line}`;
    }
  }
  return commands;
}

const t = tempRoot();
afterAll(() => t.cleanup());

describe("zonecfg(8)'s examples", () => {
  const commands = exampleCommands();

  test('there are some, and one of them is live', () => {
    expect(commands.length).toBeGreaterThan(3);
    expect(commands.some((c) => c.includes(' -r '))).toBe(true);
  });

  test.each(commands.filter((c) => !c.includes(' -r ')))('%s', (command) => {
    const r = spawnSync('sh', ['-c', command], {
      cwd: t.root,
      encoding: 'utf8',
      env: { ...process.env, ZONES_ROOT: t.root, PATH: `${BIN_DIR}:${process.env.PATH}` },
    });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  });
});
