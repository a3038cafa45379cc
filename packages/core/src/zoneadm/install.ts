/**
 * `zoneadm install` (zoneadm.c install_func): sanity check, operation lock, verify (which creates
 * the zonepath 0700), state incomplete BEFORE any work, the brand's installer, state installed
 * only on success. An installer failure, a missing tool, an interrupt or a kill leaves the zone
 * incomplete (`uninstall` is then required), as Solaris does for a failed brand hook. A failure
 * before that (verify, the brand's options) leaves the zone configured and removes the
 * directories install created for the zonepath, never one that was there before.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ZoneConfig } from '../model/types.js';
import type { IndexEntry } from '../store/index-file.js';
import { cacheDir } from '../store/paths.js';
import { InstallError, type InstallOptions, type Installer, type SystemProfile } from '../brands/types.js';
import { MissingToolError, ToolFailedError } from '../sys/tools.js';
import { ZoneadmError } from './errors.js';
import { faultPoint } from '../fault-points.js';
import { removeCreated } from './fsutil.js';
import { acquireOpLocks } from './oplock.js';
import { installLogPath } from './paths.js';
import { precheck, sanityCheck, type OpContext } from './sanity.js';
import { loadConfig, requireVerified } from './verify.js';

/** brands/index.ts, as zoneadm uses it (passed in, so tests can bring their own installer). */
export interface BrandsApi {
  installerFor(brand: string, config: ZoneConfig, options: InstallOptions): Installer;
  defaultProfile(zonename: string): SystemProfile;
  hashPassword(plain: string): Promise<string>;
}

/** How install shows progress (the CLI: a spinner on a TTY, plain lines otherwise). */
export interface InstallDisplay {
  /** A new step began. */
  step(message: string): void;
  /** The install ended (ok or not): finish any spinner line. */
  end(ok: boolean): void;
}

/** Plain step lines on the IO's stdout: what a non-TTY install prints. */
export function lineDisplay(io: { out(t: string): void }): InstallDisplay {
  return { step: (m) => io.out(`${m}\n`), end: () => {} };
}

export interface InstallRequest {
  options: InstallOptions;
  profile: SystemProfile;
  installerFor: BrandsApi['installerFor'];
  /** Aborted on Ctrl-C / SIGTERM. */
  signal?: AbortSignal;
  display?: InstallDisplay;
  /** Where the sparse installer finds the host's files (default `/`). */
  hostRoot?: string;
}

/**
 * The checks that can fail before anything is asked or locked: sanity_check for install and
 * "another zoneadm may have an operation in progress" if one holds the zone's lock.
 */
export function installPrecheck(ctx: OpContext): IndexEntry {
  return precheck(ctx, 'install');
}

/** An append-only install log, written synchronously so a killed install keeps what it logged. */
export class InstallLog {
  private fd: number;
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
    this.fd = openSync(path, 'w', 0o600);
  }
  write(text: string): void {
    if (this.fd < 0) return;
    const buf = Buffer.from(text, 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
  }
  line(text: string): void {
    this.write(`[${new Date().toISOString()}] ${text}\n`);
  }
  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

function abortText(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  if (r instanceof Error && r.name !== 'AbortError') return r.message;
  if (typeof r === 'string') return r;
  return 'aborted';
}

/** `zoneadm -z zone install`. Resolves when installed; throws ZoneadmError otherwise. */
export async function installZone(ctx: OpContext, req: InstallRequest): Promise<void> {
  const zone = installPrecheck(ctx).name;
  const release = acquireOpLocks(ctx.store.root, [zone], ctx.io);
  let log: InstallLog | undefined;
  const display = req.display ?? lineDisplay(ctx.io);
  // What this install made before the zone became incomplete: removed again if it fails by then.
  const created: string[] = [];
  let incomplete = false;
  try {
    const entry = sanityCheck(ctx, 'install');
    const cfg = loadConfig(ctx, zone);
    requireVerified(ctx, 'install', entry, cfg, created);
    const installer = req.installerFor(cfg.globals.brand || 'native', cfg, req.options);
    faultPoint('install:verified');
    ctx.store.setState(zone, 'incomplete');
    incomplete = true;
    faultPoint('install:incomplete');

    const logPath = installLogPath(zone, ctx.store.root);
    log = new InstallLog(logPath);
    const zonepath = cfg.globals.zonepath;
    log.line(`zoneadm install of zone ${zone} (brand ${cfg.globals.brand || 'native'}) into ${zonepath}`);
    log.line(`options: ${JSON.stringify(req.options)}`);
    log.line(`profile: hostname=${req.profile.hostname} timezone=${req.profile.timezone} locale=${req.profile.locale}`);
    // Solaris 10 native brand wording, as the seed course shows it.
    ctx.io.out(`Preparing to install zone <${zone}>.\n`);

    const signal = req.signal ?? new AbortController().signal;
    try {
      if (signal.aborted) throw new InstallError(abortText(signal));
      const theLog = log;
      await installer.install({
        zonename: zone,
        zonepath,
        root: join(zonepath, 'root'),
        config: cfg,
        options: req.options,
        profile: req.profile,
        progress: {
          step: (m) => {
            theLog.line(m);
            display.step(m);
          },
          log: (chunk) => theLog.write(chunk),
        },
        cacheDir: cacheDir(ctx.store.root),
        hostRoot: req.hostRoot ?? '/',
        signal,
      });
      if (signal.aborted) throw new InstallError(abortText(signal));
      faultPoint('install:installed-files');
    } catch (err) {
      display.end(false);
      const hint = [`The file ${logPath} contains a log of the zone installation.`];
      const msg = err instanceof Error ? err.message : String(err);
      log.line(`FAILED: ${msg}`);
      if (signal.aborted) {
        throw new ZoneadmError(`installation interrupted (${abortText(signal)}); the zone is incomplete.`, 'zone', 1, hint);
      }
      if (err instanceof ZoneadmError) throw err;
      if (err instanceof InstallError || err instanceof MissingToolError || err instanceof ToolFailedError) {
        throw new ZoneadmError(msg, 'zone', 1, hint);
      }
      throw new ZoneadmError(`installation failed: ${msg}`, 'zone', 1, hint);
    }
    ctx.store.setState(zone, 'installed');
    display.end(true);
    log.line('installed');
    ctx.io.out(`Zone ${zone} is initialized.\n`);
    ctx.io.out(`The file ${logPath} contains a log of the zone installation.\n`);
  } catch (err) {
    if (!incomplete) removeCreated(created);
    throw err;
  } finally {
    log?.close();
    release();
  }
}
