import { test, expect, describe, beforeAll, afterAll } from '@jest/globals';
import { sanityCheck, STATE_RULES, checkNoOperationInProgress, type ZoneadmCommand } from '../../src/zoneadm/sanity.js';
import { acquireOpLocks } from '../../src/zoneadm/oplock.js';
import { ZoneadmError, formatZoneadmError } from '../../src/zoneadm/errors.js';
import type { ZoneState } from '../../src/model/states.js';
import { addZone, ctxFor, makeEnv, type Env } from './helpers.js';

let env: Env;
beforeAll(() => {
  env = makeEnv();
  for (const s of ['configured', 'incomplete', 'installed'] as const) addZone(env, `z-${s}`, { state: s });
});
afterAll(() => env.cleanup());

function outcome(cmd: ZoneadmCommand, zone: string, extra: Parameters<typeof ctxFor>[2] = {}, force = false): string {
  const { ctx } = ctxFor(env, zone, extra);
  try {
    sanityCheck(ctx, cmd, { force });
    return 'ok';
  } catch (e) {
    if (e instanceof ZoneadmError) return formatZoneadmError(e, zone).trimEnd();
    throw e;
  }
}

const INC = 'zone is incomplete; uninstall required.';
// [command, configured, incomplete, installed] (docs/reference.md#42-subcommands-and-states, zoneadm.c sanity_check)
const TABLE: Array<[ZoneadmCommand, string, string, string]> = [
  ['verify', 'ok', INC, 'ok'],
  ['install', 'ok', INC, 'is already installed.'],
  ['clone', 'ok', INC, 'is already installed.'],
  ['uninstall', "is already in state 'configured'.", 'ok', 'ok'],
  ['attach', 'ok', INC, 'is already installed.'],
  ['detach', 'must be installed before detach.', 'must be installed before detach.', 'ok'],
  ['move', 'must be installed before move.', 'must be installed before move.', 'ok'],
  ['mark', 'ok', 'ok', 'ok'],
  ['ready', 'must be installed before ready.', 'must be installed before ready.', 'ok'],
  ['boot', 'must be installed before boot.', 'must be installed before boot.', 'ok'],
];

describe('state rules', () => {
  test.each(TABLE)('%s from configured / incomplete / installed', (cmd, c, i, n) => {
    const states: ZoneState[] = ['configured', 'incomplete', 'installed'];
    const got = states.map((s) => outcome(cmd, `z-${s}`));
    const want = [c, i, n].map((m, k) => (m === 'ok' ? 'ok' : `zoneadm: zone 'z-${states[k]}': ${m}`));
    expect(got).toEqual(want);
  });

  test('every state-changing subcommand has a row', () => {
    for (const c of ['verify', 'install', 'uninstall', 'clone', 'move', 'detach', 'attach', 'mark'] as const) {
      expect(STATE_RULES[c]).toBeDefined();
    }
  });

  test('attach -U (forced) of an incomplete zone; boot -f of an incomplete zone', () => {
    expect(outcome('attach', 'z-incomplete', {}, true)).toBe('ok');
    expect(outcome('boot', 'z-incomplete', {}, true)).toBe('ok');
  });

  test('running-ish zones: refused by the unsafe-when-running subcommands', () => {
    const kernelState = (z: string) => (z === 'z-installed' ? ('running' as const) : undefined);
    for (const c of ['install', 'uninstall', 'clone', 'move', 'detach', 'attach', 'mark', 'export'] as const) {
      expect(outcome(c, 'z-installed', { kernelState })).toBe(`zoneadm: zone 'z-installed': ${c} operation is invalid for running zones.`);
    }
    expect(outcome('verify', 'z-installed', { kernelState })).toBe('ok');
  });

  test('global, SUNW*, unknown, no zone, unprivileged', () => {
    expect(outcome('install', 'global')).toBe("zoneadm: zone 'global': install operation is invalid for the global zone.");
    expect(outcome('uninstall', 'SUNWfoo')).toBe("zoneadm: zone 'SUNWfoo': uninstall operation is invalid for zones starting with SUNW.");
    expect(outcome('verify', 'nosuch')).toBe('zoneadm: nosuch: No such zone configured');
    const { ctx } = ctxFor(env, undefined);
    expect(() => sanityCheck(ctx, 'install')).toThrow('no zone specified');
    expect(outcome('install', 'z-configured', { uid: 1000 })).toBe("zoneadm: zone 'z-configured': only a privileged user may install a zone.");
  });
});

describe('operation lock', () => {
  test('held by a live process: the Solaris message; released: free again', () => {
    const release = acquireOpLocks(env.root, ['z-configured']);
    // Same process: re-entrant; a second process is what contends (see the CLI tests).
    const { ctx } = ctxFor(env, 'z-configured');
    expect(() => checkNoOperationInProgress(ctx, 'z-configured')).not.toThrow();
    release();
  });
});
