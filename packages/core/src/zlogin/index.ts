/** zlogin: checks, entering a running zone (native zenter), and the zone console. */
export {
  zloginTarget,
  zlogin,
  zenterArgs,
  zenterPath,
  loginCapabilityMask,
  ZloginError,
  zloginError,
  type ZloginTarget,
  type ZloginTargetOptions,
  type LoginSpec,
  type LoginIO,
  type ZloginErrorCode,
} from './login.js';
export { consoleSession, type ConsoleOptions } from './console.js';
export {
  parseEscapeChar,
  EscapeFilter,
  DEFAULT_ESCAPE,
  DEFAULT_CONTROL_CHARS,
  type EscapeResult,
  type ControlChars,
  type FilterResult,
} from './escape.js';
