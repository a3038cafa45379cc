/**
 * zlogin [-CEQ] [-e c] [-l user] zonename
 * zlogin [-nEQS] [-e c] [-l user] zonename utility [args...]      (zones-reference 5)
 *
 * Argument checks and their order follow illumos zlogin.c main(). Zones cannot run yet (the
 * runtime is a later issue), so after the state checks every login attempt ends with an honest
 * message and exit 1.
 */
// oclif subpath imports: the @oclif/core index costs ~30 ms more at startup.
import { Command } from '@oclif/core/command';
import * as Flags from '@oclif/core/flags';
import * as Args from '@oclif/core/args';
import { statSync } from 'node:fs';
import { ZoneStore } from '@zones/core/store/zone-store';
import { ZONE_STATE_ORDER } from '@zones/core/model/states';
import { operandsAfterStop } from '@zones/core/argv';
import { parseEscapeChar } from './escape.js';

export const USAGE = 'usage: zlogin [ -nQCES ] [ -e cmdchar ] [-l user] zonename [command [args ...] ]';

/** zlogin options that take a value (getopt `e:l:R:`). */
export const VALUE_FLAGS = ['e', 'l', 'R'];

class ZloginExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}

export default class Zlogin extends Command {
  static summary = 'Enter a zone: interactive login, a command, or the zone console.';
  static usage = '[-nQCES] [-e cmdchar] [-l user] zonename [command [args ...]]';
  static strict = false;
  static flags = {
    C: Flags.boolean({ char: 'C', description: 'connect to the zone console' }),
    E: Flags.boolean({ char: 'E', description: 'disable the escape character' }),
    Q: Flags.boolean({ char: 'Q', description: 'quiet: no connect/close banners' }),
    S: Flags.boolean({ char: 'S', description: 'safe (failsafe) login: run /sbin/sh directly' }),
    n: Flags.boolean({ char: 'n', description: 'stdin from /dev/null (non-interactive only)' }),
    e: Flags.string({ char: 'e', description: 'escape character (c, \\\\, or \\nnn octal)' }),
    l: Flags.string({ char: 'l', description: 'user to log in as (default root)' }),
    R: Flags.string({ char: 'R', description: 'alternate root', hidden: true }),
  };
  static args = {
    zonename: Args.string({ required: false }),
  };

  private zerror(msg: string): void {
    process.stderr.write(`zlogin: ${msg}\n`);
  }

  private usage(): never {
    process.stderr.write(`${USAGE}\n`);
    throw new ZloginExit(2);
  }

  private fail(msg: string, code = 1): never {
    this.zerror(msg);
    throw new ZloginExit(code);
  }

  async run(): Promise<void> {
    let parsed: { flags: Record<string, unknown>; argv: unknown[] };
    try {
      parsed = (await this.parse(Zlogin)) as never;
    } catch (err) {
      this.parsed = true; // reported here; keeps oclif from warning "did not parse its arguments"
      const bad = ((err as { flags?: string[] }).flags ?? [])[0];
      if (bad) this.zerror(`illegal option -- ${bad.replace(/^-+/, '').slice(0, 1)}`);
      else if (err instanceof Error && /expects a value/.test(err.message)) {
        this.zerror(`option requires an argument -- ${/--(\w)/.exec(err.message)?.[1] ?? '?'}`);
      }
      return this.usage();
    }
    const f = parsed.flags as {
      C: boolean; E: boolean; Q: boolean; S: boolean; n: boolean; e?: string; l?: string; R?: string;
    };
    // oclif's parsed argv reorders look-alike words; take the operands from the raw argv instead.
    const operands = operandsAfterStop(this.argv, VALUE_FLAGS);

    if (f.R !== undefined) {
      if (!f.R.startsWith('/')) this.fail('root path must be absolute.', 2);
      let dir = false;
      try { dir = statSync(f.R).isDirectory(); } catch { dir = false; }
      if (!dir) this.fail('root path must be a directory.', 2);
    }
    if (f.e !== undefined) {
      const r = parseEscapeChar(f.e);
      if (!r.ok) {
        this.zerror(r.message);
        this.usage();
      }
    }
    const lflag = f.l !== undefined;
    if (f.C) {
      if (lflag) { this.zerror('-l may not be specified for console login'); this.usage(); }
      if (f.n) { this.zerror('-n may not be specified for console login'); this.usage(); }
      if (f.S) { this.zerror('-S may not be specified for console login'); this.usage(); }
      if (f.R !== undefined) this.fail('-R may not be specified for console login', 2);
    }
    if (f.S && lflag) { this.zerror('-l may not be specified for failsafe login'); this.usage(); }

    if (operands.length === 1) {
      if (f.n) { this.zerror('-n may not be specified for interactive login'); this.usage(); }
    } else if (operands.length > 1) {
      if (f.C) { this.zerror('Commands may not be specified for console login.'); this.usage(); }
    } else {
      this.usage();
    }
    const zonename = operands[0];

    if (zonename === 'global') this.fail("'zlogin' not applicable to the global zone");
    const store = new ZoneStore(f.R);
    const entry = store.get(zonename);
    if (!entry) this.fail(`zone '${zonename}' unknown`);
    const st = entry.state;
    if (ZONE_STATE_ORDER[st] < ZONE_STATE_ORDER.installed) this.fail(`cannot login to a zone which is '${st}'`);
    if (typeof process.geteuid === 'function' && process.geteuid() !== 0) {
      this.fail('You lack sufficient privilege to run this command (all privs required)');
    }
    if (f.C) {
      this.fail(
        `cannot connect to the console of zone '${zonename}': the zone console needs the zone supervisor, ` +
          'which is not available in this version',
      );
    }
    if (st !== 'running' && st !== 'mounted') {
      this.fail(`login allowed only to running zones (${zonename} is '${st}').`);
    }
    this.fail(`cannot enter zone '${zonename}': zone runtime not available in this version`);
  }

  async catch(err: Error & { oclif?: { exit?: number } }): Promise<void> {
    if (err instanceof ZloginExit) {
      process.exitCode = err.exitCode;
      return;
    }
    this.zerror(err.message);
    process.exitCode = 1;
  }
}
