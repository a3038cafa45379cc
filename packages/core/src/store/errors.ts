/**
 * Store errors carry a code and the exact libzonecfg wording (zonecfg_strerror); the CLI decides
 * how to prefix them and which exit status to use.
 */

export type ZoneStoreErrorCode =
  | 'Z_NO_ZONE'
  | 'Z_NAME_IN_USE'
  | 'Z_INVALID_STATE'
  | 'Z_BAD_ZONE_NAME'
  | 'Z_BAD_CONFIG'
  | 'Z_LOCKED';

/** libzonecfg's text for each code. */
export const ZONE_STORE_MESSAGES: Readonly<Record<ZoneStoreErrorCode, string>> = Object.freeze({
  Z_NO_ZONE: 'No such zone configured',
  Z_NAME_IN_USE: 'Zone name already in use',
  Z_INVALID_STATE: 'Zone state is invalid for the requested operation',
  Z_BAD_ZONE_NAME: 'Invalid zone name',
  Z_BAD_CONFIG: 'Invalid configuration file',
  Z_LOCKED: 'another operation may be in progress',
});

export class ZoneStoreError extends Error {
  /**
   * @param code    what went wrong
   * @param zone    the zone concerned, if any
   * @param detail  extra text (file and parser message for Z_BAD_CONFIG); the message is
   *                `<Solaris text>` or `<Solaris text>: <detail>`
   */
  constructor(readonly code: ZoneStoreErrorCode, readonly zone?: string, readonly detail?: string) {
    super(detail ? `${ZONE_STORE_MESSAGES[code]}: ${detail}` : ZONE_STORE_MESSAGES[code]);
    this.name = 'ZoneStoreError';
  }

  /** The bare Solaris text for the code (without detail). */
  get solarisText(): string {
    return ZONE_STORE_MESSAGES[this.code];
  }
}

export function isZoneStoreError(e: unknown): e is ZoneStoreError {
  return e instanceof ZoneStoreError;
}
