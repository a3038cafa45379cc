/**
 * zps(1), zpgrep(1), zpkill(1), zprstat(1): each tool's option table and usage (argv/zps.ts,
 * argv/zpgrep.ts, argv/zprstat.ts). Behaviour in detail: docs/reference.md#8-process-tools.
 */
import type { OptionSpec } from '../argv.js';
import { ZPGREP_OPTIONS, ZPGREP_USAGE, ZPKILL_OPTIONS, ZPKILL_USAGE } from '../argv/zpgrep.js';
import { ZPRSTAT_OPTIONS, ZPRSTAT_USAGE } from '../argv/zprstat.js';
import { ZPS_OPTIONS, ZPS_USAGE } from '../argv/zps.js';
import { differences, exitStatus, seeAlso } from './common.js';
import { item, items, para, pre, type Block, type Manual } from './model.js';
import { optionItems } from './options.js';

const TOOLS = ['zps', 'zpgrep', 'zpkill', 'zprstat'];

/** A usage's command lines without `usage:`, continuation lines indented. */
function synopsis(usage: string): string[] {
  const lines = usage.split('\n');
  const end = lines.findIndex((l, i) => i > 0 && !/^\t/.test(l));
  return lines.slice(0, end === -1 ? undefined : end).map((l, i) => (i === 0 ? l.replace(/^usage:\s*/i, '').trim() : `    ${l.trim()}`));
}

interface Tool {
  name: string;
  summary: string;
  solaris: string;
  usage: string;
  options: readonly OptionSpec[];
  description: string;
  operands?: Block[];
  exit: [string, string][];
  examples: string[];
  anchor: string;
}

function toolManual(t: Tool): Manual {
  const rest = usageRest(t.usage);
  return {
    name: t.name,
    section: 1,
    summary: t.summary,
    synopsis: synopsis(t.usage),
    markdownPath: `docs/commands/${t.name}.md`,
    sections: [
      {
        title: 'Description',
        blocks: [
          para(`${t.description} The counterpart of Solaris \`${t.solaris}\`, under a name of its own so that it never hides the host's procps tool. It runs only in the global zone; a process is in the zone whose cgroup holds it ([docs/process-tools.md](docs/process-tools.md)).`),
          para(`The exact options, output and messages: [docs/reference.md](docs/reference.md#${t.anchor}).`),
        ],
      },
      { title: 'Options', blocks: [items(optionItems(t.options, t.usage)), ...t.operands ?? [], ...(rest.length > 0 ? [pre(rest)] : [])] },
      exitStatus(t.exit),
      { title: 'Environment', blocks: [items([item('ZONES_ROOT', 'Whose zones are meant (default `/`), as for zoneadm(8).')])] },
      { title: 'Examples', blocks: [pre(t.examples)] },
      seeAlso([...TOOLS.filter((n) => n !== t.name), 'zoneadm'], ['docs/process-tools.md']),
      differences(),
    ],
  };
}

/** The lines of a usage after its synopsis (zps's list of format fields). */
function usageRest(usage: string): string[] {
  const lines = usage.split('\n');
  const end = lines.findIndex((l, i) => i > 0 && !/^\t/.test(l));
  return end === -1 ? [] : lines.slice(end).map((l) => l.trim());
}

const PGREP_EXIT: [string, string][] = [
  ['0', 'Some process matched.'],
  ['1', 'No process matched.'],
  ['2', 'A bad command line.'],
  ['3', 'A fatal error: in a zone, /proc unreadable (zpkill: not root of the global zone).'],
];

export function ptoolsManuals(): Manual[] {
  return [
    toolManual({
      name: 'zps',
      summary: 'report process status, with the zone of each process',
      solaris: 'ps -Z',
      usage: ZPS_USAGE,
      options: ZPS_OPTIONS,
      description: 'zps lists processes of the host and its zones, with the ZONE column (`-Z`) or the `zone` and `zoneid` fields of `-o`; `-z` selects the processes of some zones.',
      exit: [
        ['0', 'A process was listed.'],
        ['1', 'None was, or an error occurred.'],
      ],
      examples: ['$ zps -efZ', '$ zps -z web01,db01 -o zone,pid,user,args'],
      anchor: '81-zps',
    }),
    toolManual({
      name: 'zpgrep',
      summary: 'find processes by name and zone',
      solaris: 'pgrep -z',
      usage: ZPGREP_USAGE,
      options: ZPGREP_OPTIONS,
      description: 'zpgrep prints the process ids of the processes whose name matches the extended regular expression `pattern` and that every option given selects.',
      exit: PGREP_EXIT,
      examples: ['$ zpgrep -l -z web01 sshd'],
      anchor: '82-zpgrep-and-zpkill',
    }),
    toolManual({
      name: 'zpkill',
      summary: 'signal processes by name and zone',
      solaris: 'pkill -z',
      usage: ZPKILL_USAGE,
      options: ZPKILL_OPTIONS,
      description: 'zpkill sends a signal (SIGTERM unless `-signal` names another, by name or number) to the processes zpgrep(1) would list, one by one, each checked just before to be the same process; never itself or its parent. Only root of the global zone may.',
      exit: PGREP_EXIT,
      examples: ['# zpkill -HUP -z web01 -x httpd', '# zpkill -9 -z web01 sleep'],
      anchor: '82-zpgrep-and-zpkill',
    }),
    toolManual({
      name: 'zprstat',
      summary: 'report the busiest processes and zones',
      solaris: 'prstat -Z',
      usage: ZPRSTAT_USAGE,
      options: ZPRSTAT_OPTIONS,
      description: 'zprstat prints the busiest processes, and with `-Z` a line per zone, every `interval` seconds, `count` times (default: until interrupted).',
      exit: [
        ['0', 'Success.'],
        ['1', 'An error occurred, or a bad command line.'],
      ],
      examples: ['$ zprstat -Z 5', '$ zprstat -Z -n 10,3 1 1'],
      anchor: '83-zprstat',
    }),
  ];
}
