/**
 * What the installers need to know about the host (the global zone): its distribution family,
 * release, architecture, apt sources, time zone and locale. Parsers are pure functions; the
 * readers take a `hostRoot` so tests can point them at a prepared tree.
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { runTool } from '../sys/tools.js';

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

// ------------------------------------------------------------------ os-release

export type OsRelease = Record<string, string>;

/** Parses os-release(5): KEY=value lines, values optionally quoted with shell escapes. */
export function parseOsRelease(text: string): OsRelease {
  const out: OsRelease = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    let v = m[2]!;
    if ((v.startsWith('"') && v.endsWith('"') && v.length >= 2) || (v.startsWith("'") && v.endsWith("'") && v.length >= 2)) {
      v = v.slice(1, -1).replace(/\\(["'$`\\])/g, '$1');
    }
    out[m[1]!] = v;
  }
  return out;
}

/** The host's os-release (`etc/os-release`, else `usr/lib/os-release`), empty if neither exists. */
export function readOsRelease(hostRoot = '/'): OsRelease {
  const text = readText(join(hostRoot, 'etc/os-release')) ?? readText(join(hostRoot, 'usr/lib/os-release'));
  return text === undefined ? {} : parseOsRelease(text);
}

export type DistroFamily = 'debian' | 'rpm' | 'unknown';

const DEBIAN_IDS = new Set(['debian', 'ubuntu']);
const RPM_IDS = new Set(['rhel', 'fedora', 'centos', 'suse', 'opensuse', 'rocky', 'almalinux', 'ol', 'amzn', 'mageia']);

/** Debian family or RPM family, from ID and ID_LIKE (`ID_LIKE="rhel centos fedora"`). */
export function distroFamily(os: OsRelease): DistroFamily {
  const ids = [os.ID ?? '', ...(os.ID_LIKE ?? '').split(/\s+/)].map((s) => s.toLowerCase()).filter(Boolean);
  if (ids.some((id) => DEBIAN_IDS.has(id))) return 'debian';
  if (ids.some((id) => RPM_IDS.has(id) || id.startsWith('opensuse'))) return 'rpm';
  return 'unknown';
}

// ------------------------------------------------------------------ apt sources

export interface AptSource {
  types: string[];
  uris: string[];
  suites: string[];
  components: string[];
  /** The file it came from, for messages. */
  file: string;
}

/** One-line style (`sources.list`): `deb [opt=val ...] URI SUITE [COMPONENT...]`. */
export function parseSourcesList(text: string, file = 'sources.list'): AptSource[] {
  const out: AptSource[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) continue;
    const m = /^(deb|deb-src)\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)(.*)$/.exec(line);
    if (!m) continue;
    out.push({ types: [m[1]!], uris: [m[2]!], suites: [m[3]!], components: m[4]!.trim().split(/\s+/).filter(Boolean), file });
  }
  return out;
}

/** deb822 style (`*.sources`): paragraphs of `Field: value` with continuation lines; honours `Enabled: no`. */
export function parseDeb822Sources(text: string, file = 'x.sources'): AptSource[] {
  const out: AptSource[] = [];
  for (const para of text.split(/\n\s*\n/)) {
    const fields: Record<string, string> = {};
    let last: string | undefined;
    for (const raw of para.split('\n')) {
      if (raw.startsWith('#')) continue;
      if (/^\s/.test(raw) && last) {
        fields[last] += ` ${raw.trim()}`;
        continue;
      }
      const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(raw);
      if (!m) continue;
      last = m[1]!.toLowerCase();
      fields[last] = m[2]!.trim();
    }
    if (!fields.types || !fields.uris || !fields.suites) continue;
    if ((fields.enabled ?? 'yes').toLowerCase() === 'no') continue;
    const words = (s: string | undefined) => (s ?? '').split(/\s+/).filter(Boolean);
    out.push({ types: words(fields.types), uris: words(fields.uris), suites: words(fields.suites), components: words(fields.components), file });
  }
  return out;
}

/** Every apt source of the host: `etc/apt/sources.list`, `sources.list.d/*.list` and `*.sources`. */
export function readAptSources(hostRoot = '/'): AptSource[] {
  const out: AptSource[] = [];
  const main = join(hostRoot, 'etc/apt/sources.list');
  const text = readText(main);
  if (text !== undefined) out.push(...parseSourcesList(text, main));
  const dir = join(hostRoot, 'etc/apt/sources.list.d');
  let names: string[] = [];
  try {
    names = readdirSync(dir).sort();
  } catch {
    /* no directory */
  }
  for (const name of names) {
    const p = join(dir, name);
    if (name.endsWith('.list')) out.push(...parseSourcesList(readText(p) ?? '', p));
    else if (name.endsWith('.sources')) out.push(...parseDeb822Sources(readText(p) ?? '', p));
  }
  return out;
}

/** The first binary (`deb`) source that serves exactly `suite` from a fetchable URI, or undefined. */
export function mirrorForSuite(sources: readonly AptSource[], suite: string): string | undefined {
  for (const s of sources) {
    if (!s.types.includes('deb') || !s.suites.includes(suite)) continue;
    const uri = s.uris.find((u) => /^(https?|ftp|file):/.test(u));
    if (uri) return uri;
  }
  return undefined;
}

// ------------------------------------------------------------------ architecture, time zone, locale

/** The host's Debian architecture (`dpkg --print-architecture`), else derived from the kernel's. */
export async function hostArch(): Promise<string> {
  try {
    const r = await runTool('dpkg', ['--print-architecture']);
    const a = r.stdout.trim();
    if (a) return a;
  } catch {
    /* not a dpkg host: fall through */
  }
  const map: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'armhf', ia32: 'i386', ppc64: 'ppc64el', s390x: 's390x', riscv64: 'riscv64' };
  return map[process.arch] ?? process.arch;
}

/** The host's IANA time zone: `etc/timezone`, else the `etc/localtime` link target, else `Etc/UTC`. */
export function hostTimezone(hostRoot = '/'): string {
  const tz = readText(join(hostRoot, 'etc/timezone'))?.trim();
  if (tz && isValidTimezone(tz)) return tz;
  try {
    const target = readlinkSync(join(hostRoot, 'etc/localtime'));
    const m = /zoneinfo\/(.+)$/.exec(target);
    if (m && isValidTimezone(m[1]!)) return m[1]!;
  } catch {
    /* not a link */
  }
  return 'Etc/UTC';
}

/** The host's system locale (`etc/default/locale` or `etc/locale.conf` LANG), else $LANG, else C.UTF-8. */
export function hostLocale(hostRoot = '/'): string {
  for (const f of ['etc/default/locale', 'etc/locale.conf']) {
    const text = readText(join(hostRoot, f));
    if (text === undefined) continue;
    const lang = parseOsRelease(text).LANG;
    if (lang && isValidLocale(lang)) return lang;
  }
  const env = process.env.LANG;
  if (env && isValidLocale(env)) return env;
  return 'C.UTF-8';
}

/** `Area/City`-style names: letters, digits, `_+-`, `/` separators, no `..`. */
export function isValidTimezone(tz: string): boolean {
  return /^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/.test(tz) && !tz.split('/').includes('..');
}

/** `C`, `POSIX`, `C.UTF-8`, `es_ES.UTF-8`, `sr_RS@latin`, ... */
export function isValidLocale(l: string): boolean {
  return /^[A-Za-z0-9_]+(\.[A-Za-z0-9-]+)?(@[A-Za-z0-9]+)?$/.test(l);
}
