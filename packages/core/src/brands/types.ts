/**
 * The contract between `zoneadm install` (orchestration, states, locks, progress) and the code
 * that builds a zone root (one installer per way of building it: sparse, debootstrap, rinse,
 * archive). Installers never touch the zone index; zoneadm does.
 */
import type { ZoneConfig } from '../model/types.js';

/** Answers to the first-boot questions Solaris asks on the console (issue: system configuration). */
export interface SystemProfile {
  /** Hostname inside the zone; default: the zone name. */
  hostname: string;
  /** An IANA zone such as `Europe/Madrid`; default: the host's. */
  timezone: string;
  /** Such as `C.UTF-8`; default: the host's LANG or C.UTF-8. */
  locale: string;
  /** A crypt(3) hash (`$6$...` or `$y$...`) for root's shadow entry, or `*` (locked, the default). */
  rootPasswordHash: string;
}

/** Brand options of `zoneadm install` after parsing (`-d`, `-r`, `-m`, `-v`, `-a`). */
export interface InstallOptions {
  /** `-d PATH`: a tar, tar.gz, tar.xz, tar.zst archive or a directory to install from. */
  source?: string;
  /** `-r SUITE` (debootstrap: bookworm; rinse: a distribution such as centos-7). */
  release?: string;
  /** `-m MIRROR` (debootstrap). */
  mirror?: string;
  /** `-v VARIANT` (debootstrap: minbase by default). */
  variant?: string;
  /** `-a ARCH` (debootstrap/rinse: the host's by default). */
  arch?: string;
}

/** How an installer reports what it is doing; zoneadm shows it (spinner on a TTY, lines otherwise). */
export interface Progress {
  /** A new step, e.g. `Copying /etc from the global zone`. */
  step(message: string): void;
  /** Raw output of a tool (bootstrapper output and the like): goes to the install log only. */
  log(chunk: string): void;
}

export interface InstallContext {
  zonename: string;
  /** Absolute zonepath (exists, mode 0700, owned by root). */
  zonepath: string;
  /** `zonepath/root`: the installer creates and fills it. */
  root: string;
  config: ZoneConfig;
  options: InstallOptions;
  profile: SystemProfile;
  progress: Progress;
  /** `$ZONES_ROOT/var/cache/zones`: bootstrap tarballs keyed by distribution, release, arch, variant. */
  cacheDir: string;
  /** `/` normally; tests may point the sparse installer at a prepared host tree. */
  hostRoot: string;
  /** Aborted on Ctrl-C / SIGTERM: stop children promptly and throw. */
  signal: AbortSignal;
}

/** A failure the installer explains itself: zoneadm prints `message` and leaves the zone incomplete. */
export class InstallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InstallError';
  }
}

export interface Installer {
  /** Builds ctx.root. Throws InstallError (or MissingToolError from sys/) on failure. */
  install(ctx: InstallContext): Promise<void>;
}
