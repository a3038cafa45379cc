/**
 * How zoneadm operations report. Core never writes to the process streams: every operation takes a
 * ZoneadmIO (the CLI passes stdout/stderr, tests collect lines) and fails with a ZoneadmError that
 * says how its message is to be printed (zoneadm.c uses zerror, plain fprintf and
 * `execname: ...` forms side by side).
 */

/** Where an operation's output goes. Texts carry their own newlines. */
export interface ZoneadmIO {
  out(text: string): void;
  err(text: string): void;
}

/** An IO that collects both streams (tests, and callers that want the text). */
export function collectingIO(): ZoneadmIO & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out(t: string) { io.stdout += t; },
    err(t: string) { io.stderr += t; },
  };
  return io;
}

/**
 * - `zone`: `zoneadm: zone '<z>': <message>` (zerror; without the zone part when there is none)
 * - `exec`: `zoneadm: <message>`
 * - `bare`: `<message>` as is (the fprintf(stderr, ...) messages of validate_zonepath and friends)
 * - `reported`: the details were already written to the IO; print nothing more
 */
export type ErrorForm = 'zone' | 'exec' | 'bare' | 'reported';

export const EXIT_ERR = 1;
export const EXIT_USAGE = 2;

export class ZoneadmError extends Error {
  constructor(
    message: string,
    readonly form: ErrorForm = 'zone',
    readonly exitCode: number = EXIT_ERR,
    /** Lines printed (bare, on stderr) after the message. */
    readonly hints: readonly string[] = [],
  ) {
    super(message);
    this.name = 'ZoneadmError';
  }
}

/** A usage error: the CLI prints the subcommand's usage and exits 2. */
export class ZoneadmUsageError extends ZoneadmError {
  constructor(readonly subcommand: string) {
    super(`usage: ${subcommand}`, 'reported', EXIT_USAGE);
    this.name = 'ZoneadmUsageError';
  }
}

/** The text a ZoneadmError prints on stderr (with newlines), given the target zone. */
export function formatZoneadmError(e: ZoneadmError, zone: string | undefined): string {
  let s = '';
  switch (e.form) {
    case 'zone':
      s = `zoneadm: ${zone !== undefined ? `zone '${zone}': ` : ''}${e.message}\n`;
      break;
    case 'exec':
      s = `zoneadm: ${e.message}\n`;
      break;
    case 'bare':
      s = `${e.message}\n`;
      break;
    case 'reported':
      break;
  }
  for (const h of e.hints) s += `${h}\n`;
  return s;
}

/** strerror(3) text for a Node errno error (glibc wording). */
export function strerror(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const texts: Record<string, string> = {
    ENOENT: 'No such file or directory',
    EACCES: 'Permission denied',
    EPERM: 'Operation not permitted',
    EISDIR: 'Is a directory',
    ENOTDIR: 'Not a directory',
    EROFS: 'Read-only file system',
    ENOSPC: 'No space left on device',
    EBUSY: 'Device or resource busy',
    EEXIST: 'File exists',
    ENOTEMPTY: 'Directory not empty',
    EXDEV: 'Invalid cross-device link',
    ELOOP: 'Too many levels of symbolic links',
    EINVAL: 'Invalid argument',
    ENAMETOOLONG: 'File name too long',
    EIO: 'Input/output error',
  };
  if (code && texts[code]) return texts[code];
  return e instanceof Error ? e.message : String(e);
}
