/**
 * zlogin -C's replay after waiting for a boot, against a stand-in supervisor socket: output that
 * is both in the log and sent live (it arrived after the client was attached) must show once, and
 * zoneadmd's notice comes first. With a real zone that overlap is a race; here it is forced.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { consoleLogPath, logDir, runDir } from '../../src/store/paths.js';
import { consoleSession } from '../../src/zlogin/console.js';

const root = mkdtempSync(join(tmpdir(), 'zones-con-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('console replay after waiting for the boot', () => {
  test('the notice, the boot output up to the attach offset, then live output, nothing twice', async () => {
    const name = 'cz';
    const log = consoleLogPath(name, root);
    mkdirSync(logDir(root), { recursive: true });
    mkdirSync(runDir(name, root), { recursive: true });
    writeFileSync(log, 'OLD-BOOT\r\n'); // before zlogin started waiting: not shown

    let out = '';
    const stdout = new Writable({ write: (c, _e, cb) => ((out += c.toString()), cb()) }) as unknown as NodeJS.WriteStream;
    const stdin = new PassThrough() as unknown as NodeJS.ReadStream;
    const session = consoleSession({ name, root, state: 'installed', cgroupPaths: [] }, { stdin, stdout, pollMs: 10 });
    await new Promise((r) => setTimeout(r, 50)); // waiting: no socket yet

    appendFileSync(log, 'BOOT-LINE\r\n');
    const server = createServer((sock) => {
      sock.once('data', () => {
        const offset = statSync(log).size;
        appendFileSync(log, 'LIVE-LINE\r\n'); // logged before the client reads the log...
        sock.write(`OK ${offset} running -i /bin/sh\n`);
        sock.write('LIVE-LINE\r\n'); // ...and sent live
      });
    });
    await new Promise<void>((r) => server.listen(join(runDir(name, root), 'console.sock'), r));
    try {
      for (let i = 0; i < 200 && !out.includes('LIVE-LINE'); i++) await new Promise((r) => setTimeout(r, 10));
      (stdin as unknown as PassThrough).write('~.');
      expect(await session).toBe(0);
    } finally {
      server.close();
    }
    expect(out).not.toContain('OLD-BOOT');
    expect(out.match(/BOOT-LINE/g)).toHaveLength(1);
    expect(out.match(/LIVE-LINE/g)).toHaveLength(1);
    expect(out.indexOf('[NOTICE: Zone booting up with arguments: -i /bin/sh]')).toBeLessThan(out.indexOf('BOOT-LINE'));
    expect(out.startsWith(`[Connected to zone '${name}' console]\n`)).toBe(true);
  });
});
