/** The -e argument syntax lives in core (zlogin/escape.ts); re-exported for the CLI's tests. */
export { parseEscapeChar, DEFAULT_ESCAPE, type EscapeResult } from '@zones/core/zlogin/escape';
