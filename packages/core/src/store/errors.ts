/**
 * Store errors carry a code and the exact libzonecfg wording (zonecfg_strerror); the CLI decides
 * how to prefix them and which exit status to use.
 */

export type ZoneStoreErrorCode =
  | 'Z_NO_ZONE'
  | 'Z_NAME_IN_USE'
  | 'Z_INVALID_STATE'
  | 'Z_BAD_ZONE_NAME'
  | 'Z_INVALID_DOCUMENT'
  | 'Z_MISC_FS'
  | 'Z_SAVING_FILE'
  | 'Z_UPDATING_INDEX'
  | 'Z_LOCKED';

/** libzonecfg's text for each code. */
export const ZONE_STORE_MESSAGES: Readonly<Record<ZoneStoreErrorCode, string>> = Object.freeze({
  Z_NO_ZONE: 'No such zone configured',
  Z_NAME_IN_USE: 'Zone name already in use',
  Z_INVALID_STATE: 'Zone state is invalid for the requested operation',
  Z_BAD_ZONE_NAME: 'Invalid zone name',
  // A configuration file that does not parse or has the wrong shape (zonecfg_get_handle_impl).
  Z_INVALID_DOCUMENT: 'Invalid document',
  // The index (or another store file) cannot be read: a directory, a symlink loop, an I/O error.
  Z_MISC_FS: 'Miscellaneous file system error',
  Z_SAVING_FILE: 'Problem saving file',
  Z_UPDATING_INDEX: 'Problem updating index file',
  Z_LOCKED: 'another operation may be in progress',
});

export class ZoneStoreError extends Error {
  /**
   * @param code    what went wrong
   * @param zone    the zone concerned, if any
   * @param detail  extra text (file and parser message for Z_INVALID_DOCUMENT, file and errno text for the others); the message is
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
