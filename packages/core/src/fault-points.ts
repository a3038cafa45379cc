/**
 * Named points inside zoneadm's long-running operations where a crash is worth testing (between
 * two steps that change the disk or the kernel). In production each is a no-op: nothing here
 * reads the environment or loads code. A test bin of the test tree
 * (`packages/zoneadm/test/fixtures/zoneadm-faults.mjs`) installs a handler before it runs the
 * real zoneadm, and the fault suite (`packages/core/test/faults/kill.fault.test.ts`) kills the
 * process while the handler holds it at one point. The handler lives on `globalThis`, not in this
 * module, because zoneadm's fast paths run from bundles that carry their own copy of core.
 */

/** Every fault point, by operation; the suite checks that each one is reached. */
export const FAULT_POINTS = Object.freeze({
  install: ['install:verified', 'install:incomplete', 'install:installed-files'],
  uninstall: ['uninstall:incomplete', 'uninstall:removed'],
  clone: ['clone:verified', 'clone:incomplete', 'clone:copied', 'clone:identity'],
  move: ['move:journal', 'move:emptied-target', 'move:after-rename', 'move:after-copy', 'move:saved'],
  detach: ['detach:manifest'],
  attach: ['attach:installed'],
  'export -t oci-image': ['export:image-layer'],
  ready: ['boot:rundir', 'boot:cgroup', 'boot:started'],
  boot: ['boot:rundir', 'boot:cgroup', 'boot:started'],
  halt: ['halt:killed', 'halt:cleaned'],
  reboot: ['reboot:halted'],
  shutdown: ['shutdown:signalled'],
} as const);

export type FaultPointName = (typeof FAULT_POINTS)[keyof typeof FAULT_POINTS][number];

/** Called at each point with its name; may block (a test then kills the process there). */
export type FaultHandler = (point: FaultPointName) => void;

const KEY = Symbol.for('@zones/core/fault-points');
type Holder = { [KEY]?: FaultHandler };

/** Installs (or, with undefined, removes) the handler for this process. Test bins only. */
export function setFaultHandler(handler: FaultHandler | undefined): void {
  (globalThis as Holder)[KEY] = handler;
}

/** A fault point: calls the test handler if one is installed, else does nothing. */
export function faultPoint(point: FaultPointName): void {
  const h = (globalThis as Holder)[KEY];
  if (h) h(point);
}
