/** Random input never throws out of the session and never prints a stack trace. */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { Session } from '../../src/lang/session.js';
import { CapturingIO, MemoryBackend } from './memory-backend.js';

const zonecfgish = fc.array(
  fc.oneof(
    fc.constantFrom('add', 'set', 'select', 'remove', 'info', 'end', 'cancel', 'commit', 'clear', 'create', 'export', 'verify', 'revert', 'exit', 'delete', 'help'),
    fc.constantFrom('fs', 'net', 'rctl', 'capped-memory', 'capped-cpu', 'dedicated-cpu', 'attr', 'inherit-pkg-dir', 'zonepath', 'dir', 'value', 'options', 'physical', 'ncpus'),
    fc.constantFrom('=', ';', '\n', '[', ']', '(', ')', ',', '"', '#', '-F', '-b', '-f', '/z', 'priv=privileged', 'limit=5', 'action=deny'),
    fc.string({ maxLength: 6 }),
  ),
  { maxLength: 40 },
).map((words) => words.join(' '));

describe('fuzz', () => {
  test('arbitrary text and command-like word salad', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 200 }), fc.fullUnicodeString({ maxLength: 100 }), zonecfgish), fc.constantFrom('argv', 'file', 'stdin'), async (text, mode) => {
        const io = new CapturingIO();
        const session = new Session(new MemoryBackend(), io, { zonename: 'fz', mode: mode as 'argv', fileName: 'f' });
        await session.run(text + '\n');
        const status = await session.finish();
        expect([0, 1]).toContain(status);
        for (const l of [...io.stdout, ...io.stderr]) expect(l).not.toMatch(/^\s+at .+:\d+:\d+\)?$/);
      }),
      { numRuns: 400 },
    );
  });
});
