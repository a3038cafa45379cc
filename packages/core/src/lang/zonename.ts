/**
 * Zone-name rule of libzonecfg: first character alphanumeric, then alphanumerics, `_`, `-`, `.`;
 * at most 63 characters; `global` is the global zone, not a name a zone can take.
 */
const ZONE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

export function isValidZoneName(name: string): boolean {
  return ZONE_NAME.test(name) && name !== 'global';
}

/** The help printed after `Bogus zone name` (zonecfg -z with a bad name). */
export const ZONE_NAME_RULE = [
  'A zone name must begin with an alphanumeric character and contain only',
  'alphanumeric characters, hyphens (-), underscores (_) and dots (.); it can be',
  'at most 63 characters long and may not be "global".',
];
