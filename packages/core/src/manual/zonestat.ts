/**
 * zonestat(1): the option table and the usage (argv/zonestat.ts). Behaviour in detail:
 * docs/reference.md#9-zonestat.
 */
import { ZONESTAT_OPTIONS, ZONESTAT_SUMMARY, zonestatUsage } from '../argv/zonestat.js';
import { differences, exitStatus, seeAlso } from './common.js';
import { item, items, para, pre, type Manual } from './model.js';
import { optionItems } from './options.js';

/** The synopsis lines of zonestat's usage, as it indents them. */
function synopsis(usage: string): string[] {
  const lines = usage.split('\n');
  return lines.slice(1, lines.indexOf('')).map((l) => l.replace(/^ {4}/, ''));
}

/** The lines of the usage that explain one option (`-r` and the lines under it), as printed. */
function usageLines(usage: string, char: string): string[] {
  const lines = usage.split('\n');
  const at = lines.findIndex((l) => l.startsWith(`    -${char} `));
  if (at === -1) return [];
  const end = lines.findIndex((l, i) => i > at && /^    \S/.test(l));
  return lines.slice(at + 1, end === -1 ? undefined : end).filter((l) => l.trim() !== '');
}

/** What the usage says of `--json` (ours, not Solaris'). */
function jsonLine(usage: string): string {
  const line = usage.split('\n').find((l) => l.trim().startsWith('--json'));
  return line ? line.trim().replace(/^--json\s+/, '') : '';
}

export function zonestatManual(): Manual {
  const usage = zonestatUsage();
  const more = Object.fromEntries(
    ZONESTAT_OPTIONS.map((o) => {
      const lines = usageLines(usage, o.char);
      return [o.char, lines.length > 0 ? [pre(lines.map((l) => l.replace(/^\t/, '')))] : []];
    }),
  );
  return {
    name: 'zonestat',
    section: 1,
    summary: 'report active zone statistics',
    synopsis: synopsis(usage).map((l) => l.replace(/^( *)interval/, '$1[--json] interval')),
    markdownPath: 'docs/commands/zonestat.md',
    sections: [
      {
        title: 'Description',
        blocks: [
          para(`${ZONESTAT_SUMMARY} Every \`interval\` it prints what each running zone used of the CPU, memory, processes, lwps and network in that interval, against its caps and shares, for \`duration\` (default: until interrupted); \`report\` prints the \`-R\` reports every so often.`),
          para('Times are seconds, or `[Nh][Nm][Ns]`; `default` is 5 seconds, `inf` runs on. The exact behaviour: [docs/reference.md](docs/reference.md#9-zonestat).'),
        ],
      },
      {
        title: 'Options',
        blocks: [
          items([
            ...optionItems(ZONESTAT_OPTIONS, usage, more),
            item('--json', jsonLine(usage)),
          ]),
        ],
      },
      exitStatus([
        ['0', 'Success.'],
        ['1', 'An error occurred while sampling.'],
        ['2', 'A usage error: the message, then the usage.'],
      ]),
      { title: 'Environment', blocks: [items([item('ZONES_ROOT', 'The directory the zones\' files hang off (default `/`).')])] },
      {
        title: 'Examples',
        blocks: [
          para('Every 5 seconds for a minute, with a summary of the highest use at the end:'),
          pre(['$ zonestat -R high 5 1m']),
          para('Memory of two zones, parsable, once:'),
          pre(['$ zonestat -z web01,web02 -r memory -p 1 1']),
        ],
      },
      seeAlso(['zonecfg', 'zoneadm', 'zlogin'], ['docs/resource-controls.md']),
      differences(),
    ],
  };
}
