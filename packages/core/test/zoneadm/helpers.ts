/**
 * Fixtures for the zoneadm tests: a fresh ZONES_ROOT and a zones directory (root-owned, 0755)
 * under one temporary directory, zones configured through the real store, and a small real
 * installer that builds a zone root by copying a directory the test prepares.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { ZoneStore } from '../../src/store/zone-store.js';
import { blankTemplate } from '../../src/store/templates.js';
import type { ZoneState } from '../../src/model/states.js';
import type { Resource } from '../../src/model/types.js';
import { InstallError, type Installer, type InstallOptions } from '../../src/brands/types.js';
import { collectingIO, formatZoneadmError, ZoneadmError } from '../../src/zoneadm/errors.js';
import type { OpContext } from '../../src/zoneadm/sanity.js';
import type { BrandsApi } from '../../src/zoneadm/install.js';

export interface Env {
  base: string;
  root: string;
  zones: string;
  store: ZoneStore;
  /** A template root: etc/hostname, etc/hosts, etc/machine-id, bin/sh-like file, a hard link. */
  template: string;
  cleanup(): void;
}

export function makeEnv(): Env {
  const base = mkdtempSync(join(tmpdir(), 'zoneadm-test-'));
  chmodSync(base, 0o755);
  const root = join(base, 'zr');
  const zones = join(base, 'zones');
  mkdirSync(zones, { mode: 0o755 });
  chmodSync(zones, 0o755);
  const template = join(base, 'template');
  mkdirSync(join(template, 'etc'), { recursive: true });
  mkdirSync(join(template, 'usr/bin'), { recursive: true });
  writeFileSync(join(template, 'etc/hostname'), 'template\n');
  writeFileSync(join(template, 'etc/hosts'), '127.0.0.1\tlocalhost\n127.0.1.1\ttemplate template.example\n');
  writeFileSync(join(template, 'etc/machine-id'), '0123456789abcdef0123456789abcdef\n');
  writeFileSync(join(template, 'usr/bin/tool'), '#!/bin/sh\necho tool\n', { mode: 0o755 });
  execFileSync('ln', [join(template, 'usr/bin/tool'), join(template, 'usr/bin/tool-link')]);
  return {
    base, root, zones, template, store: new ZoneStore(root),
    cleanup() {
      // Unmount anything a test left mounted below base, then remove it.
      try { execFileSync('sh', ['-c', `grep -o " ${base}[^ ]*" /proc/self/mounts | sort -r | xargs -r -n1 umount -l`]); } catch { /* none */ }
      rmSync(base, { recursive: true, force: true });
    },
  };
}

export function addZone(
  env: Env,
  name: string,
  opts: { state?: ZoneState; brand?: string; zonepath?: string; resources?: Resource[]; limitpriv?: string } = {},
): string {
  const cfg = blankTemplate(name);
  cfg.globals.zonepath = opts.zonepath ?? join(env.zones, name);
  if (opts.brand) cfg.globals.brand = opts.brand;
  if (opts.limitpriv) cfg.globals.limitpriv = opts.limitpriv;
  cfg.resources = opts.resources ?? [];
  env.store.save(cfg);
  if (opts.state && opts.state !== 'configured') env.store.setState(name, opts.state);
  return cfg.globals.zonepath;
}

/** Runs an operation on `env`: '' on success, else what zoneadm prints on stderr for its error. */
export async function runOp(
  env: Env,
  zone: string,
  fn: (ctx: OpContext) => unknown,
): Promise<{ err: string; stdout: string; stderr: string }> {
  const { ctx, io } = ctxFor(env, zone);
  try {
    await fn(ctx);
    return { err: '', stdout: io.stdout, stderr: io.stderr };
  } catch (e) {
    if (!(e instanceof ZoneadmError)) throw e;
    return { err: formatZoneadmError(e, zone), stdout: io.stdout, stderr: io.stderr };
  }
}

export function ctxFor(env: Env, zone: string | undefined, extra: Partial<OpContext> = {}) {
  const io = collectingIO();
  const ctx: OpContext = { store: env.store, zone, io, uid: 0, ...extra };
  return { ctx, io };
}

/** Builds the zone root by copying `options.source` (or the env template); optional hooks. */
export function dirInstaller(
  env: Env,
  hooks: { before?: () => Promise<void> | void; fail?: string } = {},
): BrandsApi['installerFor'] {
  return (_brand, _config, options: InstallOptions): Installer => ({
    async install(ctx) {
      const src = options.source ?? env.template;
      ctx.progress.step(`Copying ${src}`);
      mkdirSync(ctx.root, { mode: 0o755 });
      execFileSync('cp', ['-a', '--', `${src}/.`, `${ctx.root}/`]);
      ctx.progress.log(`copied ${src}\n`);
      await hooks.before?.();
      if (ctx.signal.aborted) throw new InstallError('aborted');
      if (hooks.fail) throw new InstallError(hooks.fail);
      writeFileSync(join(ctx.root, 'etc/hostname'), `${ctx.profile.hostname}\n`);
    },
  });
}

export const PROFILE = { hostname: 'h', timezone: 'UTC', locale: 'C.UTF-8', rootPasswordHash: '*' };

export { existsSync };
