import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh ZONES_ROOT for one test. */
export function tempRoot(): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'zones-store-'));
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
