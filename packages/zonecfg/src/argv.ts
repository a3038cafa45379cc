/**
 * zonecfg's own options come first (`-z NAME`, `-f FILE`, `-R ROOT`, `-u UUID`); everything
 * after them is zonecfg command text, which may itself contain words like `-b` or `-F`
 * (`zonecfg -z z create -b`). A `--` before the first command word keeps oclif from reading
 * those as its flags.
 */
const WITH_VALUE = new Set(['-z', '-f', '-R', '-u']);

export function separateCommandWords(argv: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const a = argv[i]!;
    if (a === '--') return [...out, ...argv.slice(i)];
    if (WITH_VALUE.has(a)) {
      out.push(a);
      if (i + 1 < argv.length) out.push(argv[i + 1]!);
      i += 2;
      continue;
    }
    if (/^-[zfRu]./.test(a) || a === '-h' || a === '--help') {
      out.push(a);
      i++;
      continue;
    }
    if (a.startsWith('-')) {
      // An option zonecfg does not know: let the parser report it as a usage error.
      out.push(a);
      i++;
      continue;
    }
    break;
  }
  return i < argv.length ? [...out, '--', ...argv.slice(i)] : out;
}
