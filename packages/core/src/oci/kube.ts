/** A Kubernetes manifest for a zone's image (docs/scale.md). */
import { ZoneadmError } from '../zoneadm/errors.js';
import type { ExportSubject } from './subject.js';

export function kubeManifest(_subject: ExportSubject, _opts: { image?: string }): string {
  throw new ZoneadmError('export -t kube is not implemented yet');
}
