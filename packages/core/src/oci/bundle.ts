/** An OCI runtime bundle from an installed zone (docs/scale.md): config.json and rootfs. */
import { ZoneadmError } from '../zoneadm/errors.js';
import type { ExportSubject } from './subject.js';

export async function writeBundle(_subject: ExportSubject, _dir: string): Promise<void> {
  throw new ZoneadmError('export -t oci-bundle is not implemented yet');
}
