/** A booted zone's run files as the e2e suites read them (docs/architecture.md, "Supervisor protocol"). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FILES } from '@zones/core/runtime/run-files';

export function zoneRunFiles(root: string) {
  const runFile = (z: string, f: string): string | undefined => {
    try {
      return readFileSync(join(root, 'var/run/zones', z, f), 'utf8').trim();
    } catch {
      return undefined;
    }
  };
  return {
    runFile,
    initPid: (z: string) => Number(runFile(z, RUN_FILES.initPid)),
    supervisorPid: (z: string) => Number(runFile(z, RUN_FILES.supervisorPid)),
  };
}
