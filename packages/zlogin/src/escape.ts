/**
 * zlogin -e argument (illumos zlogin.c set_cmdchar): a literal character, `\` or `\\` for a
 * backslash, or `\nnn` octal (0-255). Anything else after a backslash is an error.
 */
export type EscapeResult = { ok: true; char: number } | { ok: false; message: string };

export const DEFAULT_ESCAPE = '~'.charCodeAt(0);

export function parseEscapeChar(arg: string): EscapeResult {
  if (arg[0] !== '\\') return { ok: true, char: arg.length === 0 ? 0 : arg.charCodeAt(0) };
  const c = arg[1];
  if (c === undefined || c === '\\') return { ok: true, char: 0x5c };
  if (c < '0' || c > '7') return { ok: false, message: `Unrecognized escape character option ${arg}` };
  const m = /^[0-7]+/.exec(arg.slice(1));
  const n = parseInt(m ? m[0] : '0', 8);
  if (n > 255) return { ok: false, message: `Octal escape character '${arg}' too large` };
  return { ok: true, char: n };
}
