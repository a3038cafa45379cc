/** The zone runtime: boot, ready, halt, runtime state and the console of the per-zone supervisor. */
export { bootZone, readyZone, haltZone, releaseZoneRecords, splitBootargs, type BootOptions, type BootResult } from './lifecycle.js';
export {
  zoneRuntimeInfo,
  zoneRuntimeState,
  zoneCgroupFor,
  zoneCgroupOptions,
  RUN_FILES,
  type RuntimeOptions,
  type RuntimeState,
  type ZoneRuntimeInfo,
} from './state.js';
export {
  connectConsole,
  consoleSocketPath,
  supervisorRequest,
  encodeConsoleInput,
  encodeResize,
  ConsoleBusyError,
  type ConsoleConnection,
} from './console.js';
export { zoneadmdPath, supervisorArgs } from './supervisor.js';
export { ZoneRuntimeError, type ZoneRuntimeErrorCode } from './errors.js';
