/**
 * zoneadm usage texts (illumos zoneadm.c usage()/sub_usage()/long_help()). Tiny and dependency
 * free: bin/run.js imports it to answer `zoneadm`, `zoneadm help` and unknown subcommands without
 * loading oclif.
 *
 * Only implemented subcommands are listed; each later issue adds its row here (in Solaris order:
 * help boot halt ready reboot list verify install uninstall clone move detach attach mark).
 */

export interface SubcommandHelp {
  name: string;
  short: string;
  long: string;
}

export const SUBCOMMANDS: readonly SubcommandHelp[] = [
  { name: 'help', short: 'help', long: 'Print usage message.' },
  {
    name: 'list',
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
  },
];

export function findSubcommand(name: string): SubcommandHelp | undefined {
  return SUBCOMMANDS.find((c) => c.name === name);
}

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
  for (const c of SUBCOMMANDS) {
    s += `${c.short}\n`;
    if (explicit) s += `\t${c.long}\n\n`;
  }
  if (!explicit) s += '\n';
  return s;
}

/** A subcommand's usage (always stderr). */
export function subUsageText(name: string): string {
  const c = findSubcommand(name);
  if (!c) return '';
  return `usage:\t${c.short}\n\t${c.long}\n`;
}
