/** What every exporter of core/src/oci/ is given: the zone, checked by zoneadm/export.ts. */
import type { ZoneConfig } from '../model/types.js';
import type { IndexEntry } from '../store/index-file.js';
import type { OpContext } from '../zoneadm/sanity.js';

export interface ExportSubject {
  ctx: OpContext;
  entry: IndexEntry;
  /** The committed configuration (verified, for the exports that read the zone's files). */
  cfg: ZoneConfig;
}
