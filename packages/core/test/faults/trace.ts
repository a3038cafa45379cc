/**
 * The one rule of the fault suites that every case shares: no line of a command's output is a
 * stack trace, Node's version banner, an error class at line start or a module URL.
 */
const TRACE = [/^\s+at /, /Node\.js v\d/, /^[A-Za-z]*Error\b/, /^file:\/\//];

/** The lines of `text` that belong to a stack trace (none, for a command that behaves). */
export function traceLines(text: string): string[] {
  return text.split('\n').filter((l) => TRACE.some((re) => re.test(l)));
}
