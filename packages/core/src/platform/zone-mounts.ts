/**
 * Mounts in a running zone (`zonecfg -r`): the native zenter's live-mount mode does the kernel work
 * (packages/core/native/zenter.c: a detached mount made in the host, attached in the zone's mount
 * namespace as its root); what is mounted, with which flags, is decided by the runtime.
 */
import { execFile } from 'node:child_process';
import { nativeBinPath } from './native.js';

export interface LiveMount {
  type: string;
  special: string;
  dir: string;
  /** MS_* flags (runtime/supervisor.ts fsMount). */
  flags: number;
  data: string;
  /** Idmapped to the zone's user namespace (its root owns what host root owns). */
  idmap: boolean;
}

export class ZoneMountError extends Error {
  constructor(
    message: string,
    /** Nothing was mounted at the directory (unmount). */
    readonly notMounted = false,
  ) {
    super(message);
    this.name = 'ZoneMountError';
  }
}

function zenter(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(nativeBinPath('zenter'), args, { encoding: 'utf8', timeout: 30_000 }, (err, _out, stderr) => {
      if (!err) return resolve();
      const said = stderr.trim().replace(/^zenter: /, '');
      reject(new ZoneMountError(said || err.message, (err as { code?: unknown }).code === 3));
    });
  });
}

/** Mounts `m` in the zone whose init is `pid`. */
export function mountInZone(pid: number, m: LiveMount): Promise<void> {
  return zenter(['-t', String(pid), '-M', ...(m.idmap ? ['-I'] : []), '--', m.type, m.special, m.dir, String(m.flags), m.data]);
}

/** Detaches the mount at `dir` in the zone whose init is `pid`. */
export function unmountInZone(pid: number, dir: string): Promise<void> {
  return zenter(['-t', String(pid), '-U', '--', dir]);
}
