/**
 * zoneadm's sanity_check (docs/reference.md#41-invocation, docs/reference.md#42-subcommands-and-states, zoneadm.c): who may run a state-changing
 * subcommand on which zone, in which state. The state rules are one table, keyed by subcommand, so
 * ready/boot/halt/... only add rows when the runtime arrives.
 */
import type { ZoneStore, IndexEntry } from '../store/zone-store.js';
import { GLOBAL_ZONENAME } from '../store/index-file.js';
import { stateNum, type ZoneState } from '../model/states.js';
import { inNonGlobalZone } from '../platform/proc.js';
import { ZoneadmError, type ZoneadmIO } from './errors.js';
import { opLockPath } from './paths.js';
import { lockHeldByOther } from '../store/lock.js';

export type ZoneadmCommand =
  | 'verify' | 'install' | 'uninstall' | 'clone' | 'move' | 'detach' | 'attach' | 'mark'
  | 'ready' | 'boot' | 'halt' | 'reboot' | 'shutdown' | 'apply' | 'export';

/** The state of a zone that is present in the kernel (ready, running, ...), or undefined. */
export type KernelStateLookup = (zone: string) => ZoneState | undefined;

/** What every zoneadm operation runs with. */
export interface OpContext {
  store: ZoneStore;
  /** The target zone (-z, or resolved from -u). */
  zone: string | undefined;
  io: ZoneadmIO;
  /** Running-ish zones; until the runtime exists, none. */
  kernelState?: KernelStateLookup;
  /** Effective uid (default process.geteuid()); state changes need 0. */
  uid?: number;
  /** Whether this runs inside a zone (default: platform/proc inNonGlobalZone()). */
  inZone?: boolean;
}

export const INCOMPLETE_MSG = 'zone is incomplete; uninstall required.';

interface StateRule {
  /** Refused with `<cmd> operation is invalid for <state> zones.` while the zone is in the kernel. */
  unsafeWhenRunning: boolean;
  /** A refusal message for this (persisted or kernel) state, or undefined when allowed. */
  refuse(state: ZoneState, cmd: ZoneadmCommand, force: boolean): string | undefined;
}

const notInstalledYet = (state: ZoneState): string | undefined =>
  state === 'installed' ? 'is already installed.' : state === 'incomplete' ? INCOMPLETE_MSG : undefined;

const atLeast = (min: ZoneState) => (state: ZoneState, cmd: ZoneadmCommand): string | undefined =>
  stateNum(state) < stateNum(min) ? `must be ${min} before ${cmd}.` : undefined;

/** zoneadmd's refusal of a command in a state it does not handle. */
const invalidIn = (state: ZoneState, cmd: ZoneadmCommand): string => `${cmd} operation is invalid for zones in state '${state}'`;

/** reboot/shutdown: only a running zone (not in the kernel: `not running`). */
const needsRunning = (state: ZoneState, cmd: ZoneadmCommand): string | undefined =>
  stateNum(state) < stateNum('ready') ? 'not running' : state === 'running' ? undefined : invalidIn(state, cmd);

/** zoneadm.c sanity_check, one row per subcommand (docs/reference.md#42-subcommands-and-states). */
export const STATE_RULES: Readonly<Partial<Record<ZoneadmCommand, StateRule>>> = Object.freeze({
  verify: { unsafeWhenRunning: false, refuse: (s) => (s === 'incomplete' ? INCOMPLETE_MSG : undefined) },
  install: { unsafeWhenRunning: true, refuse: notInstalledYet },
  clone: { unsafeWhenRunning: true, refuse: notInstalledYet },
  uninstall: {
    unsafeWhenRunning: true,
    refuse: (s) => (s === 'configured' ? "is already in state 'configured'." : undefined),
  },
  attach: {
    unsafeWhenRunning: true,
    refuse: (s, _c, force) =>
      s === 'installed' ? 'is already installed.' : s === 'incomplete' && !force ? INCOMPLETE_MSG : undefined,
  },
  detach: { unsafeWhenRunning: true, refuse: atLeast('installed') },
  move: { unsafeWhenRunning: true, refuse: atLeast('installed') },
  mark: { unsafeWhenRunning: true, refuse: atLeast('configured') },
  ready: { unsafeWhenRunning: false, refuse: atLeast('installed') },
  boot: {
    unsafeWhenRunning: false,
    refuse: (s, c, force) => atLeast(force ? 'incomplete' : 'installed')(s, c),
  },
  // installed (not in the kernel): `zone is already halted`, exit 0, decided by the operation.
  halt: { unsafeWhenRunning: false, refuse: (s, c) => (stateNum(s) < stateNum('installed') ? invalidIn(s, c) : undefined) },
  reboot: { unsafeWhenRunning: false, refuse: needsRunning },
  shutdown: { unsafeWhenRunning: false, refuse: needsRunning },
  apply: { unsafeWhenRunning: false, refuse: needsRunning },
  // The zone's files are read while no init changes them (as clone's source).
  export: { unsafeWhenRunning: true, refuse: atLeast('installed') },
});

/** The zone's index entry, or the exact "No such zone configured" error. */
export function zoneEntry(store: ZoneStore, zone: string): IndexEntry {
  const e = store.get(zone);
  if (!e) throw new ZoneadmError(`${zone}: No such zone configured`, 'exec');
  return e;
}

/** What sanity_check says inside a non-global zone: the zone's own tools for its own lifecycle. */
const OWN_TOOL: Partial<Record<ZoneadmCommand, string>> = { halt: 'halt(1M)', shutdown: 'shutdown(1M)', reboot: 'reboot(1M)' };

/** Checks 1-4 of sanity_check: the global zone, privilege, a zone, not global, not SUNW*. Returns the zone name. */
export function checkTarget(ctx: OpContext, cmd: ZoneadmCommand): string {
  if (ctx.inZone ?? inNonGlobalZone()) {
    const tool = OWN_TOOL[cmd];
    throw new ZoneadmError(tool ? `use ${tool} to ${cmd} this zone.` : `must be in the global zone to ${cmd} a zone.`);
  }
  const uid = ctx.uid ?? (typeof process.geteuid === 'function' ? process.geteuid() : 0);
  if (uid !== 0) throw new ZoneadmError(`only a privileged user may ${cmd} a zone.`);
  return checkZoneName(ctx.zone, cmd);
}

/** global / SUNW* / missing zone checks, shared with clone's source zone. */
export function checkZoneName(zone: string | undefined, cmd: ZoneadmCommand): string {
  if (zone === undefined || zone === '') throw new ZoneadmError('no zone specified');
  if (zone === GLOBAL_ZONENAME) throw new ZoneadmError(`${cmd} operation is invalid for the global zone.`);
  if (zone.startsWith('SUNW')) throw new ZoneadmError(`${cmd} operation is invalid for zones starting with SUNW.`);
  return zone;
}

/**
 * The whole of sanity_check for `cmd`: target checks, then the kernel (running-ish) check, then
 * the state row of STATE_RULES. Returns the zone's index entry.
 */
export function sanityCheck(ctx: OpContext, cmd: ZoneadmCommand, opts: { force?: boolean } = {}): IndexEntry {
  const zone = checkTarget(ctx, cmd);
  const entry = zoneEntry(ctx.store, zone);
  checkState(ctx, cmd, entry, opts.force ?? false);
  return entry;
}

/** The state part of sanity_check alone (re-run under the operation lock). */
export function checkState(ctx: OpContext, cmd: ZoneadmCommand, entry: IndexEntry, force = false): void {
  const rule = STATE_RULES[cmd];
  if (!rule) return;
  const kstate = ctx.kernelState?.(entry.name);
  if (kstate !== undefined && rule.unsafeWhenRunning) {
    throw new ZoneadmError(`${cmd} operation is invalid for ${kstate} zones.`);
  }
  const msg = rule.refuse(kstate ?? entry.state, cmd, force);
  if (msg !== undefined) throw new ZoneadmError(msg);
}

export const LOCK_MSG = 'another zoneadm may have an operation in progress.';

/**
 * Fails with the lock message if another live process holds the zone's operation lock. Used
 * before questions are asked (uninstall, install profile), so a second zoneadm learns at once
 * that the first is busy instead of reporting the state that first one has just set.
 */
export function checkNoOperationInProgress(ctx: OpContext, zone: string): void {
  if (lockHeldByOther(opLockPath(zone, ctx.store.root))) throw new ZoneadmError(LOCK_MSG);
}

/**
 * sanity_check for the start of a state-changing operation: target checks, then "another zoneadm
 * may have an operation in progress" if a live process holds the zone's lock (before the state is
 * looked at: that process may be the one that made the state what it is), then the state rules.
 */
export function precheck(ctx: OpContext, cmd: ZoneadmCommand, opts: { force?: boolean } = {}): IndexEntry {
  const zone = checkTarget(ctx, cmd);
  const entry = zoneEntry(ctx.store, zone);
  checkNoOperationInProgress(ctx, zone);
  checkState(ctx, cmd, entry, opts.force ?? false);
  return entry;
}
