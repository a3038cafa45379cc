/** `zlogin ZONE CMD` in a lab's ZONES_ROOT, stdin closed: what the labs' extra tests run inside their zones. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO, type LabRun } from './lab-harness.js';

export function zlogin(run: LabRun, zone: string, cmd: string): { code: number | null; out: string; err: string } {
  const r = spawnSync(join(REPO, 'bin', 'zlogin'), [zone, cmd], { env: run.env, encoding: 'utf8', input: '', timeout: 20_000 });
  return { code: r.status, out: r.stdout.trim(), err: r.stderr.trim() };
}
