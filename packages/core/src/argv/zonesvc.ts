/**
 * zonesvc start|stop|install|remove|status (docs/autoboot.md): the command line of the zones
 * service, Solaris' svc:/system/zones:default. Options as data, as for the other tools; each has a
 * letter and a long name (`-i sysv` and `--init sysv` or `--init=sysv` are the same).
 */
import { altRootProblem, getopt, optstring, type OptionSpec } from '../argv.js';

/** What `zonesvc stop` gives the zones' inits before halting them: 3/4 of the Solaris stop method's 100 s (docs/reference.md#45-the-zones-service). */
export const DEFAULT_STOP_TIMEOUT_S = 75;

export const INIT_SYSTEMS = ['systemd', 'sysv'] as const;
export type InitSystem = (typeof INIT_SYSTEMS)[number];

const ROOT: OptionSpec = { char: 'R', name: 'root', value: true, description: 'zones root (default $ZONES_ROOT, else /)' };
const TIMEOUT: OptionSpec = { char: 't', name: 'timeout', value: true, description: `seconds the zones get to shut down before they are halted (${DEFAULT_STOP_TIMEOUT_S})` };
const INIT: OptionSpec = { char: 'i', name: 'init', value: true, description: 'systemd (a unit) or sysv (an LSB init script); default: systemd' };
const DIR: OptionSpec = { char: 'd', name: 'dir', value: true, description: 'directory of the unit or script (/etc/systemd/system, /etc/init.d)' };

export const ZONESVC_SUBCOMMANDS = {
  start: { options: [ROOT], summary: 'boot every installed zone with autoboot=true (the host is starting)' },
  stop: { options: [ROOT, TIMEOUT], summary: 'shut down every running zone, halting those still up after the timeout (the host is stopping)' },
  install: { options: [ROOT, INIT, TIMEOUT, DIR], summary: 'write the service (systemd unit or init script) and enable it' },
  remove: { options: [INIT, DIR], summary: 'disable the service and remove it' },
  status: { options: [ROOT, DIR], summary: 'the installed service and the state of the autoboot zones' },
} as const satisfies Record<string, { options: readonly OptionSpec[]; summary: string }>;

export type ZonesvcSubcommand = keyof typeof ZONESVC_SUBCOMMANDS;

export interface ZonesvcRequest {
  subcommand: ZonesvcSubcommand;
  /** -R: the zones root, absolute (undefined: $ZONES_ROOT, else /) */
  root?: string;
  /** -t in seconds */
  timeoutS?: number;
  /** --init; undefined: systemd for install, both for remove */
  init?: InitSystem;
  /** -d */
  dir?: string;
}

export type ZonesvcArgs =
  | { ok: true; request: ZonesvcRequest }
  | { ok: true; help: true }
  /** exit 2: `zonesvc: <message>` if there is one, then the usage */
  | { ok: false; message?: string };

/** The usage, one line per subcommand. */
export function zonesvcUsage(): string {
  const lines = Object.entries(ZONESVC_SUBCOMMANDS).map(([name, s]) => {
    const opts = s.options.map((o) => (o === INIT ? `[--init ${INIT_SYSTEMS.join('|')}]` : `[-${o.char} ${o === ROOT ? 'root' : o === TIMEOUT ? 'seconds' : 'dir'}]`));
    return `zonesvc ${[name, ...opts].join(' ')}`;
  });
  return `usage:\t${lines.join('\n\t')}\n`;
}

/** `zonesvc --help`: the usage and what each subcommand and option does. */
export function zonesvcHelp(): string {
  const subs = Object.entries(ZONESVC_SUBCOMMANDS).map(([name, s]) => `  ${name.padEnd(8)} ${s.summary}`);
  const seen = new Set<OptionSpec>();
  const opts = Object.values(ZONESVC_SUBCOMMANDS)
    .flatMap((s) => s.options)
    .filter((o) => !seen.has(o) && seen.add(o))
    .map((o) => `  -${o.char}, --${o.name.padEnd(8)} ${o.description}`);
  return `${zonesvcUsage()}\nThe zones service (Solaris svc:/system/zones:default), docs/autoboot.md.\n\n${subs.join('\n')}\n\n${opts.join('\n')}\n`;
}

/** `--name value` and `--name=value` as the letter's `-c value`, for getopt. */
function shortForms(words: readonly string[], specs: readonly OptionSpec[]): string[] | { unknown: string } {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--') {
      out.push(...words.slice(i));
      break;
    }
    const m = /^--([a-z]+)(?:=(.*))?$/s.exec(w);
    if (!m) {
      out.push(w);
      continue;
    }
    const o = specs.find((s) => s.name === m[1]);
    if (!o) return { unknown: w };
    out.push(`-${o.char}`);
    if (m[2] !== undefined) out.push(m[2]);
  }
  return out;
}

/** zonesvc's command line (without the program name). */
export function parseZonesvcArgs(argv: readonly string[]): ZonesvcArgs {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h' || sub === '-?' || sub === 'help') return { ok: true, help: true };
  if (sub === undefined) return { ok: false };
  if (!Object.hasOwn(ZONESVC_SUBCOMMANDS, sub)) return { ok: false, message: `unknown subcommand: ${sub}` };
  const subcommand = sub as ZonesvcSubcommand;
  const specs: readonly OptionSpec[] = ZONESVC_SUBCOMMANDS[subcommand].options;
  if (rest.includes('--help')) return { ok: true, help: true };
  const words = shortForms(rest, specs);
  if ('unknown' in words) return { ok: false, message: `illegal option -- ${words.unknown.replace(/^--/, '').replace(/=.*/s, '')}` };
  const g = getopt(words, optstring(specs));
  if (g.error) return { ok: false, message: g.error };
  if (g.operands.length > 0) return { ok: false, message: `unexpected argument: ${g.operands[0]}` };
  const request: ZonesvcRequest = { subcommand };
  for (const { char, value } of g.options) {
    const v = value!;
    if (char === 'R') {
      const problem = altRootProblem(v);
      if (problem) return { ok: false, message: `${problem}.` };
      request.root = v;
    } else if (char === 't') {
      if (!/^\d{1,6}$/.test(v) || Number(v) < 1) return { ok: false, message: `invalid timeout: ${v} (whole seconds, at least 1)` };
      request.timeoutS = Number(v);
    } else if (char === 'i') {
      if (!(INIT_SYSTEMS as readonly string[]).includes(v)) return { ok: false, message: `invalid init system: ${v} (${INIT_SYSTEMS.join(' or ')})` };
      request.init = v as InitSystem;
    } else if (char === 'd') {
      if (!v.startsWith('/')) return { ok: false, message: `directory must be absolute: ${v}` };
      request.dir = v;
    }
  }
  return { ok: true, request };
}
