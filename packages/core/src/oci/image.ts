/** An OCI image layout from an installed zone (docs/scale.md). */
import { ZoneadmError } from '../zoneadm/errors.js';
import type { ExportSubject } from './subject.js';

export async function writeImage(_subject: ExportSubject, _dir: string): Promise<void> {
  throw new ZoneadmError('export -t oci-image is not implemented yet');
}
