/**
 * The system-configuration answers of `zoneadm install` (hostname, timezone, locale, root
 * password): from a profile file (`-c profile.yaml`), from questions on a terminal, or the
 * brand's defaults. Validation messages name the file and the key.
 */
import { existsSync, readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import type { SystemProfile } from '../brands/types.js';
import { ZoneadmError, strerror } from './errors.js';

/** What a profile file or the questions give; every field optional (defaults fill the rest). */
export interface ProfileAnswers {
  hostname?: string;
  timezone?: string;
  locale?: string;
  /** Plain text; hashed with the brands' hashPassword before it goes anywhere. */
  rootPassword?: string;
  /** Already a crypt(3) hash. */
  rootPasswordHash?: string;
}

export const PROFILE_KEYS = ['hostname', 'timezone', 'locale', 'root_password', 'root_password_hash'] as const;

/** undefined if `h` is a valid host name (RFC 1123: dot-separated labels of letters, digits, hyphens). */
export function hostnameProblem(h: string): string | undefined {
  if (h.length === 0 || h.length > 253) return `'${h}' is not a valid host name`;
  for (const label of h.split('.')) {
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(label)) return `'${h}' is not a valid host name`;
  }
  return undefined;
}

/** undefined if `tz` names a time zone (checked against /usr/share/zoneinfo when it exists). */
export function timezoneProblem(tz: string, zoneinfo = '/usr/share/zoneinfo'): string | undefined {
  if (!/^[A-Za-z0-9_+-]+(?:\/[A-Za-z0-9_+-]+)*$/.test(tz)) return `'${tz}' is not a valid time zone`;
  if (existsSync(zoneinfo) && !existsSync(`${zoneinfo}/${tz}`)) return `unknown time zone '${tz}'`;
  return undefined;
}

/** undefined if `l` looks like a locale name (C, POSIX, en_US.UTF-8, de_DE@euro, ...). */
export function localeProblem(l: string): string | undefined {
  return /^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9-]+)?(?:@[A-Za-z0-9]+)?$/.test(l) ? undefined : `'${l}' is not a valid locale`;
}

/** undefined if `h` is usable as root's shadow password field. */
export function passwordHashProblem(h: string): string | undefined {
  if (h === '*' || h === '!' || /^!?\$[0-9a-z]+\$[./0-9A-Za-z$=,]+$/.test(h)) return undefined;
  return 'not a crypt(3) hash (expected $6$..., $y$... or *)';
}

/** Parse the text of a profile file; `name` is used in messages. */
export function parseProfile(text: string, name: string): ProfileAnswers {
  const bad = (m: string): never => {
    throw new ZoneadmError(`${name}: ${m}`);
  };
  if (text.trim() === '') return {};
  let doc: unknown;
  try {
    doc = load(text);
  } catch (e) {
    return bad((e instanceof Error ? e.message : String(e)).split('\n')[0]);
  }
  if (doc === undefined || doc === null) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) return bad('not a mapping of key: value');
  const out: ProfileAnswers = {};
  for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
    if (!(PROFILE_KEYS as readonly string[]).includes(k)) {
      bad(`unknown key '${k}' (known: ${PROFILE_KEYS.join(', ')})`);
    }
    if (typeof v !== 'string' && typeof v !== 'number') bad(`${k}: not a string`);
    const s = String(v);
    switch (k) {
      case 'hostname': {
        const p = hostnameProblem(s);
        if (p) bad(`hostname: ${p}`);
        out.hostname = s;
        break;
      }
      case 'timezone': {
        const p = timezoneProblem(s);
        if (p) bad(`timezone: ${p}`);
        out.timezone = s;
        break;
      }
      case 'locale': {
        const p = localeProblem(s);
        if (p) bad(`locale: ${p}`);
        out.locale = s;
        break;
      }
      case 'root_password':
        out.rootPassword = s;
        break;
      case 'root_password_hash': {
        const p = passwordHashProblem(s);
        if (p) bad(`root_password_hash: ${p}`);
        out.rootPasswordHash = s;
        break;
      }
    }
  }
  if (out.rootPassword !== undefined && out.rootPasswordHash !== undefined) {
    bad('root_password and root_password_hash are mutually exclusive');
  }
  return out;
}

/** Read and parse `-c profile.yaml`. */
export function readProfile(path: string): ProfileAnswers {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ZoneadmError(`could not read profile ${path}: ${strerror(e)}`);
  }
  return parseProfile(text, path);
}

/** The final profile: answers over defaults; a plain password is hashed, never kept. */
export async function buildProfile(
  defaults: SystemProfile,
  answers: ProfileAnswers,
  hashPassword: (plain: string) => Promise<string>,
): Promise<SystemProfile> {
  let rootPasswordHash = defaults.rootPasswordHash;
  if (answers.rootPasswordHash !== undefined) rootPasswordHash = answers.rootPasswordHash;
  else if (answers.rootPassword !== undefined && answers.rootPassword !== '') {
    rootPasswordHash = await hashPassword(answers.rootPassword);
  }
  return {
    hostname: answers.hostname ?? defaults.hostname,
    timezone: answers.timezone ?? defaults.timezone,
    locale: answers.locale ?? defaults.locale,
    rootPasswordHash,
  };
}
