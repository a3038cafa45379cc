/**
 * zoneadm's texts, one per subcommand of the table in argv/zoneadm.ts (which gives their order):
 * the usage of illumos zoneadm.c usage()/sub_usage()/long_help(), and the one-line summary (and
 * description) of the oclif command's `--help`. The CLI prints them, the manual page
 * (manual/zoneadm.ts) is made of them: one copy. Tiny: zoneadm's main answers `zoneadm`,
 * `zoneadm help` and unknown subcommands with it without loading oclif.
 */
import { isSubcommand, SUBCOMMAND_NAMES, type Subcommand } from '../argv/zoneadm.js';

export interface SubcommandHelp {
  /** the synopsis, as `zoneadm help` prints it */
  short: string;
  /** its paragraph in `zoneadm help` (illumos wording, lines broken with a tab) */
  long: string;
  /** the oclif command's summary: one sentence */
  summary: string;
  /** the oclif command's description, when it says more than the summary */
  description?: string;
}

export const ZONEADM_HELP: Readonly<Record<Subcommand, SubcommandHelp>> = {
  help: {
    short: 'help',
    long: 'Print usage message.',
    summary: 'Print the usage of zoneadm and of its subcommands.',
  },
  boot: {
    short: 'boot [-- boot_arguments]',
    long: 'Activates (boots) specified zone.  See zoneadm(1m) for valid boot\n\targuments.',
    summary: 'Boot the zone (installed or ready -> running); returns once its init runs.',
    description:
      'Arguments after -- go to the zone (e.g. -i zsched for the built-in minimal init, -i /sbin/init, ' +
      '-s, -m verbose) and replace the configured bootargs. -s alone is the legacy single-user boot.',
  },
  halt: {
    short: 'halt',
    long: 'Halts specified zone, bypassing shutdown scripts and removing runtime\n\tresources of the zone.',
    summary: 'Halt the zone: kill all its processes, no shutdown scripts (-> installed).',
  },
  ready: {
    short: 'ready',
    long: 'Prepares a zone for running applications but does not start any user\n\tprocesses in the zone.',
    summary: 'Prepare the zone (namespaces, cgroup, mounts) without starting its init.',
  },
  shutdown: {
    short: 'shutdown [-r [-- boot_arguments]]',
    long:
      "Gracefully shutdown the zone or reboot if the '-r' option is specified.\n\t" +
      'See zoneadm(1m) for valid boot arguments.',
    summary: "Shut the zone down gracefully through its init (-r: boot it again).",
    description:
      'Asks the init to power off (SIGRTMIN+3 for systemd, SIGPWR for sysvinit-style inits, SIGTERM ' +
      'otherwise), waits up to $ZONES_SHUTDOWN_TIMEOUT seconds (default 30) showing what still runs, ' +
      'then halts what is left.',
  },
  reboot: {
    short: 'reboot [-- boot_arguments]',
    long:
      'Restarts the zone (equivalent to a halt / boot sequence).\n\tFails if the zone is not active.  ' +
      'See zoneadm(1m) for valid boot\n\targuments.',
    summary: 'Restart the zone (halt, then boot); only a running zone.',
  },
  list: {
    short: 'list [-cipv]',
    long:
      'Lists the current zones, or a specific zone if indicated.  By default,\n\tall running zones are ' +
      'listed, though this can be expanded to all\n\tinstalled zones with the -i option or all configured ' +
      'zones with the\n\t-c option.  When used with the general -z <zone> and/or -u <uuid-match>\n\toptions, ' +
      'lists only the specified matching zone, but lists it\n\tregardless of its state, and the -i and -c ' +
      'options are disallowed.  The\n\t-v option can be used to display verbose information: zone name, ' +
      'id,\n\tcurrent state, root directory and options.  The -p option can be used\n\tto request ' +
      'machine-parsable output.  The -v and -p options are mutually\n\texclusive.  If neither -v nor -p is ' +
      'used, just the zone name is listed.',
    summary: 'List zones.',
    description:
      'By default only running zones; -i adds installed zones, -c all configured zones. ' +
      'With -z/-u, lists that zone regardless of state (-c and -i are not allowed). ' +
      '-v prints a table, -p colon-separated fields; they are mutually exclusive. ' +
      '--json prints the fields of -p as one JSON object (docs/schemas/zoneadm-list.schema.json).',
  },
  verify: {
    short: 'verify',
    long:
      'Check to make sure the configuration can safely be instantiated\n\ton the machine: the zonepath ' +
      'and its parent, inherit-pkg-dirs, file\n\tsystems and the privilege set.',
    summary: 'Check that the zone can be instantiated on this system.',
  },
  install: {
    short: 'install [-x nodataset] [-c profile] [-d path] [-r release] [-m mirror] [-v variant] [-a arch]',
    long:
      'Install the configuration on to the system.  The brand builds the\n\tzone root: -d installs from ' +
      'an archive, a directory or an OCI\n\timage layout (DIR or DIR:TAG), -r, -m, -v ' +
      'and -a choose the\n\trelease, mirror, variant and ' +
      'architecture of a\n\tbootstrapped root.  -c gives the system configuration profile\n\t(hostname, ' +
      'timezone, locale, root_password or root_password_hash);\n\twithout it the questions are asked on a ' +
      'terminal, defaults are\n\tused otherwise.  -x nodataset is accepted and ignored.',
    summary: 'Install the zone (configured -> installed).',
  },
  uninstall: {
    short: 'uninstall [-F]',
    long: 'Uninstall the configuration from the system.  The -F flag can be used\n\tto force the action.',
    summary: 'Uninstall the zone (installed or incomplete -> configured).',
  },
  clone: {
    short: 'clone [-m method] zonename',
    long:
      "Clone the installation of another zone.  The -m option can be used to\n\tspecify 'copy' which " +
      'forces a copy of the source zone (blocks are\n\tshared through reflinks where the file system ' +
      'supports them).',
    summary: 'Install the zone as a copy of another installed zone.',
  },
  move: {
    short: 'move zonepath',
    long: 'Move the zone to a new zonepath.',
    summary: 'Move the zone to a new zonepath.',
  },
  detach: {
    short: 'detach [-n]',
    long:
      "Detach the zone from the system. The zone state is changed to\n\t'configured' (but the files under " +
      'the zonepath are untouched).\n\tThe zone can subsequently be attached, or can be moved to ' +
      "another\n\tsystem and attached there.  The -n option can be used to specify\n\t'no-execute' mode.  " +
      'When -n is used, the information needed to attach\n\tthe zone is sent to standard output but the ' +
      'zone is not actually\n\tdetached.',
    summary: 'Detach the zone (installed -> configured), writing its manifest.',
  },
  attach: {
    short: 'attach [-F] [-n <path>] [-u | -U]',
    long:
      "Attach the zone to the system.  The zone state must be 'configured'\n\tprior to attach; upon " +
      "successful completion, the zone state will be\n\t'installed'.  The system on the current system " +
      "must be\n\tcompatible with the zone's original system (brand, distribution and\n\tarchitecture).  " +
      'Specify -F to force the attach and skip the\n\tcompatibility tests.  The -n option can be used to ' +
      "specify\n\t'no-execute' mode.  When -n is used, the information needed to attach\n\tthe zone is " +
      "read from the specified path and the configuration is\n\tonly validated.  The path can be '-' to " +
      'specify standard input.\n\tThe -F and -n options are mutually exclusive.  The -u option ' +
      '(update on\n\tattach) accepts a zone detached from an older release of the same\n\tdistribution and ' +
      'refreshes what the zone took from the global zone\n\twhen it was installed.  The -U option also ' +
      "updates the zone's own\n\tpackages; for a whole-root zone it says what to run inside the zone\n\t" +
      'instead.  -F is mutually exclusive with -u and -U.',
    summary: 'Attach a detached zone (configured -> installed).',
  },
  mark: {
    short: 'mark incomplete',
    long:
      "Set the state of the zone.  This can be used to force the zone\n\tstate to 'incomplete' " +
      'administratively if some activity has rendered\n\tthe zone permanently unusable.  The only valid ' +
      "state that may be\n\tspecified is 'incomplete'.",
    summary: "Set the zone's state to incomplete.",
  },
  apply: {
    short: 'apply [-n] [-q]',
    long:
      'Apply the resource controls of the committed configuration to the\n\trunning zone (caps, shares, ' +
      'dedicated CPUs, IPC limits, locked\n\tmemory).  The -n option only checks them; -q prints no warnings.',
    summary: "Apply the committed configuration's resource controls to the running zone.",
  },
  export: {
    short: 'export -t oci-bundle|oci-image <dir> | -t kube [-i <image>]',
    long:
      'Export the installed zone for other runtimes.  -t oci-bundle writes an\n\tOCI runtime bundle ' +
      "(config.json and rootfs) that runc and crun run;\n\t-t oci-image writes an OCI image layout that " +
      'podman, skopeo and\n\tregistries read; -t kube prints a Kubernetes manifest for the image\n\t' +
      '(-i names it, else localhost/zones/<zone>:latest).  See docs/scale.md.',
    summary: 'Export the zone as an OCI runtime bundle, an OCI image or a Kubernetes manifest.',
  },
};

/**
 * Full usage. explicit (`zoneadm help`, `zoneadm -?`) goes to stdout with the long help of every
 * subcommand; otherwise (error) it goes to stderr with the short forms only.
 */
export function usageText(explicit: boolean, execname = 'zoneadm'): string {
  let s =
    `usage:\t${execname} help\n` +
    `\t${execname} [-z <zone>] [-u <uuid-match>] list\n` +
    `\t${execname} {-z <zone>|-u <uuid-match>} <subcommand>\n` +
    `\nSubcommands:\n\n`;
  for (const name of SUBCOMMAND_NAMES) {
    const c = ZONEADM_HELP[name];
    s += `${c.short}\n`;
    if (explicit) s += `\t${c.long}\n\n`;
  }
  if (!explicit) s += '\n';
  return s;
}

/** A subcommand's usage (always stderr). */
export function subUsageText(name: string): string {
  if (!isSubcommand(name)) return '';
  const c = ZONEADM_HELP[name];
  return `usage:\t${c.short}\n\t${c.long}\n`;
}
