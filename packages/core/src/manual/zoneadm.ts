/**
 * zoneadm(8): the option tables (argv/zoneadm.ts) and zoneadm's own texts (zoneadm/usage.ts:
 * `zoneadm help` and the oclif commands' summaries). Behaviour in detail: docs/reference.md#4-zoneadm.
 */
import { GLOBAL_OPTIONS, SUBCOMMAND_NAMES, SUBCOMMANDS } from '../argv/zoneadm.js';
import { ZONE_STATES } from '../model/states.js';
import { cacheDir, configPath, consoleLogPath, indexPath, runDir } from '../store/paths.js';
import { usageText, ZONEADM_HELP } from '../zoneadm/usage.js';
import { differences, exitStatus, seeAlso } from './common.js';
import { item, items, para, pre, reflow, type Manual } from './model.js';
import { optionItems } from './options.js';

/** The command lines of zoneadm's usage, before its list of subcommands. */
const synopsis = () =>
  usageText(false)
    .split('\nSubcommands:')[0]!
    .split('\n')
    .map((l) => l.replace(/^usage:/, '').trim())
    .filter((l) => l !== '');

function subcommandItems() {
  return SUBCOMMAND_NAMES.map((name) => {
    const h = ZONEADM_HELP[name];
    const options = optionItems(SUBCOMMANDS[name].options, h.short);
    return item(h.short, para(h.summary), para(reflow(h.long)), ...(h.description ? [para(h.description)] : []), ...(options.length > 0 ? [items(options)] : []));
  });
}

export function zoneadmManual(): Manual {
  const usage = usageText(false);
  return {
    name: 'zoneadm',
    section: 8,
    summary: 'administer zones',
    synopsis: synopsis(),
    markdownPath: 'docs/commands/zoneadm.md',
    sections: [
      {
        title: 'Description',
        blocks: [
          para(
            'zoneadm installs, boots, halts and lists the zones that zonecfg(8) configured, and moves them between their states: ' +
              `${ZONE_STATES.map((st) => `\`${st}\``).join(', ')}. ` +
              'A zone is a set of Linux namespaces and cgroups with a supervisor process of its own (`zoneadmd`) that holds its console.',
          ),
          para('The exact behaviour and every message: [docs/reference.md](docs/reference.md#4-zoneadm); states and their way out of a failure: [docs/recovery.md](docs/recovery.md).'),
        ],
      },
      { title: 'Options', blocks: [para('Given before the subcommand.'), items(optionItems(GLOBAL_OPTIONS, usage))] },
      { title: 'Subcommands', blocks: [para('In the order of `zoneadm help`, with the options each takes.'), items(subcommandItems())] },
      exitStatus([
        ['0', 'Success.'],
        ['1', 'An error occurred: the message is `zoneadm: zone \'<zone>\': <message>`.'],
        ['2', 'A usage error.'],
      ]),
      {
        title: 'Files',
        blocks: [
          items([
            item(indexPath('/'), 'Every zone: its name, state, zonepath and uuid.'),
            item(configPath('<zone>', '/'), "The zone's configuration (zonecfg(8))."),
            item(runDir('<zone>', '/'), "The running zone's run files: its supervisor, console socket and state ([docs/architecture.md](docs/architecture.md))."),
            item(consoleLogPath('<zone>', '/'), "The zone's console output."),
            item(cacheDir('/'), 'The installers\' caches (bootstrapped roots).'),
          ]),
        ],
      },
      {
        title: 'Environment',
        blocks: [
          items([
            item('ZONES_ROOT', 'The directory every path above hangs off (default `/`).'),
            item('ZONES_SHUTDOWN_TIMEOUT', 'Seconds `shutdown` waits for the zone\'s init before it halts what is left.'),
            item('ZONES_CONSOLE_LOG_MAX', 'Bytes of console log kept before it is rotated (0: never rotate).'),
          ]),
        ],
      },
      {
        title: 'Examples',
        blocks: [
          para('Install a configured zone from an archive, boot it, list every zone:'),
          pre(['# zoneadm -z web01 install -d /srv/images/rootfs.tar.gz', '# zoneadm -z web01 boot', '# zoneadm list -cv']),
          para('A Debian zone bootstrapped from a mirror, then a copy of it:'),
          pre(['# zoneadm -z deb install -r bookworm', '# zoneadm -z deb2 clone deb']),
          para('Shut a zone down through its init, then remove its files:'),
          pre(['# zoneadm -z web01 shutdown', '# zoneadm -z web01 uninstall -F']),
        ],
      },
      seeAlso(['zonecfg', 'zlogin', 'zonestat'], ['docs/brands.md', 'docs/recovery.md']),
      differences(),
    ],
  };
}
