/**
 * The zlogin escape character (docs/reference.md#5-zlogin; illumos zlogin.c set_cmdchar and
 * process_user_input). zlogin's -e is parsed here only: zenter gets the byte decided. The rules of
 * {@link EscapeFilter} serve the console (`zlogin -C`); an interactive login is relayed by zenter
 * itself, which has to apply them again in C (filter_input in packages/core/native/zenter.c says
 * why): a change to them is made in both places.
 */
export type EscapeResult = { ok: true; char: number } | { ok: false; message: string };

export const DEFAULT_ESCAPE = '~'.charCodeAt(0);

/**
 * zlogin -e argument: a literal character, `\` or `\\` for a backslash, or `\nnn` octal (0-255).
 * Anything else after a backslash is an error. As illumos set_cmdchar, the character is the
 * argument's first byte (`-e é` is 0xc3 in a UTF-8 locale); give the bytes themselves for an
 * argument that is not UTF-8 (`-e $'\xff'`), which a JavaScript string cannot hold.
 */
export function parseEscapeChar(given: string | Uint8Array): EscapeResult {
  const bytes = typeof given === 'string' ? Buffer.from(given, 'utf8') : given;
  if (bytes[0] !== 0x5c) return { ok: true, char: bytes[0] ?? 0 };
  const arg = Buffer.from(bytes).toString('latin1'); // a backslash form is ASCII, or refused as typed
  const c = arg[1];
  if (c === undefined || c === '\\') return { ok: true, char: 0x5c };
  if (c < '0' || c > '7') return { ok: false, message: `Unrecognized escape character option ${Buffer.from(bytes).toString('utf8')}` };
  const m = /^[0-7]+/.exec(arg.slice(1));
  const n = parseInt(m ? m[0] : '0', 8);
  if (n > 255) return { ok: false, message: `Octal escape character '${arg}' too large` };
  return { ok: true, char: n };
}

/** The terminal's special characters that end a line for the escape (stty defaults). */
export interface ControlChars {
  eof: number;
  kill: number;
  eol: number;
  susp: number;
  intr: number;
}

export const DEFAULT_CONTROL_CHARS: ControlChars = { eof: 0x04, kill: 0x15, eol: 0, susp: 0x1a, intr: 0x03 };

/** How a disconnect is echoed locally: the escape char, then `.` or `^D` (illumos canonify). */
function canonify(c: number): string {
  if (c >= 0x20 && c < 0x7f) return String.fromCharCode(c);
  if (c < 0x20) return `^${String.fromCharCode(c + 0x40)}`;
  return `\\${c.toString(8).padStart(3, '0')}`;
}

export interface FilterResult {
  /** Bytes to send on. */
  data: Buffer;
  /** Set when `~.` (or `~` EOF) was typed: what to echo locally; everything after it is dropped. */
  disconnect?: Buffer;
}

/**
 * Watches user input for the escape sequence. The escape character counts only at the beginning
 * of a line (the start of the session, or after CR, LF, kill, eol, susp or intr); it is swallowed
 * and the next character decides: `.` or EOF disconnects, anything else (the escape character
 * itself included) is sent as is, so `~~` sends one `~`.
 */
export class EscapeFilter {
  private bol = true;
  private pending = false;

  constructor(
    /** The escape character, or null when disabled (-E). */
    readonly escape: number | null = DEFAULT_ESCAPE,
    readonly cc: ControlChars = DEFAULT_CONTROL_CHARS,
  ) {}

  private endsLine(c: number): boolean {
    const { kill, eol, susp, intr } = this.cc;
    return c === 0x0d || c === 0x0a || [kill, eol, susp, intr].some((x) => x !== 0 && x === c);
  }

  push(chunk: Buffer): FilterResult {
    if (this.escape === null) return { data: chunk };
    const out: number[] = [];
    for (const c of chunk) {
      if (this.bol) {
        this.bol = false;
        if (c === this.escape) {
          this.pending = true;
          continue;
        }
      } else if (this.pending) {
        this.pending = false;
        if (c === 0x2e || (this.cc.eof !== 0 && c === this.cc.eof)) {
          return { data: Buffer.from(out), disconnect: Buffer.from([this.escape, ...Buffer.from(canonify(c), 'latin1')]) };
        }
      }
      out.push(c);
      this.bol = this.endsLine(c);
    }
    return { data: Buffer.from(out) };
  }
}
