/**
 * argv rewriting for the oclif bins. Tiny on purpose: the bins import it before anything else, so
 * it must not pull in execa, js-yaml or the store.
 */

/** Single-letter global options of zoneadm that take a value, and their long spellings. */
const GLOBAL_SHORT = new Set(['z', 'u', 'R']);
const GLOBAL_LONG = new Set(['zone', 'uuid', 'root']);

/**
 * zoneadm's global options come before the subcommand (`zoneadm -z z1 boot -s`), but oclif takes
 * the command id from argv[0]. Move the leading `-z V`, `-zV`, `--zone=V`, `--zone V` (likewise
 * `-u`/`--uuid`, `-R`/`--root`) after the subcommand words: `[...rest, ...globals]`, or just
 * before the first `--` of rest so they are still parsed as flags. A trailing option without its
 * value is left where it is (the parser then reports it).
 */
export function hoistGlobalFlags(argv: readonly string[]): string[] {
  const { globals, rest } = splitGlobalFlags(argv);
  if (globals.length === 0) return [...argv];
  const dd = rest.indexOf('--');
  if (dd === -1) return [...rest, ...globals];
  return [...rest.slice(0, dd), ...globals, ...rest.slice(dd)];
}

/**
 * Split the leading global options off argv: `globals` holds them normalised as separate words
 * (`-zV` becomes `-z`, `V`; `--zone=V` stays one word), `rest` starts at the subcommand.
 */
export function splitGlobalFlags(argv: readonly string[]): { globals: string[]; rest: string[] } {
  const globals: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const a = argv[i];
    const short = /^-([zuR])(.*)$/s.exec(a);
    const long = /^--([a-z]+)(?:=(.*))?$/s.exec(a);
    if (short && GLOBAL_SHORT.has(short[1])) {
      if (short[2] !== '') {
        globals.push(`-${short[1]}`, short[2]);
        i += 1;
      } else if (i + 1 < argv.length) {
        globals.push(a, argv[i + 1]);
        i += 2;
      } else break;
    } else if (long && GLOBAL_LONG.has(long[1])) {
      if (long[2] !== undefined) {
        globals.push(a);
        i += 1;
      } else if (i + 1 < argv.length) {
        globals.push(a, argv[i + 1]);
        i += 2;
      } else break;
    } else break;
  }
  return { globals, rest: argv.slice(i) };
}

/**
 * For zlogin: everything after the first operand (the zone name) belongs to the remote command,
 * so insert `--` right after it. Options are scanned getopt-style: `-nQ` groups, and a letter in
 * `flagsWithValues` takes the rest of its word or the next word (`-l user`, `-luser`, `-e~`).
 * If the user already wrote `--` before the first operand, argv is returned unchanged.
 */
export function stopAtFirstOperand(argv: readonly string[], flagsWithValues: readonly string[]): string[] {
  const withValue = new Set(flagsWithValues);
  let i = 0;
  while (i < argv.length) {
    const a = argv[i];
    if (a === '--') return [...argv];
    if (a.startsWith('--')) {
      i += 1;
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      let consumedNext = false;
      for (let j = 1; j < a.length; j++) {
        if (withValue.has(a[j])) {
          if (j === a.length - 1) consumedNext = true;
          break;
        }
      }
      i += consumedNext ? 2 : 1;
      continue;
    }
    // first operand
    if (i + 1 >= argv.length) return [...argv];
    return [...argv.slice(0, i + 1), '--', ...argv.slice(i + 1)];
  }
  return [...argv];
}

/**
 * The operands of a command line that went through {@link stopAtFirstOperand}: the first operand
 * and everything after it, with the `--` that stopAtFirstOperand inserted removed (a `--` the user
 * typed is kept). Options before the first operand are skipped getopt-style. Use this instead of
 * oclif's `argv`, which reorders operands that look like earlier words (`zlogin z ls -l` after
 * `-l root`).
 */
export function operandsAfterStop(argv: readonly string[], flagsWithValues: readonly string[]): string[] {
  const withValue = new Set(flagsWithValues);
  let i = 0;
  while (i < argv.length) {
    const a = argv[i];
    if (a === '--') return argv.slice(i + 1);
    if (a.startsWith('-') && a.length > 1) {
      let consumedNext = false;
      if (!a.startsWith('--')) {
        for (let j = 1; j < a.length; j++) {
          if (withValue.has(a[j])) {
            if (j === a.length - 1) consumedNext = true;
            break;
          }
        }
      }
      i += consumedNext ? 2 : 1;
      continue;
    }
    const rest = argv.slice(i + 1);
    return [a, ...(rest[0] === '--' ? rest.slice(1) : rest)];
  }
  return [];
}
