/**
 * zlogin(1): the option table and usage (argv/zlogin.ts). Behaviour in detail:
 * docs/reference.md#5-zlogin.
 */
import { USAGE, ZLOGIN_OPTIONS, ZLOGIN_SUMMARY } from '../argv/zlogin.js';
import { consoleLogPath, runDir } from '../store/paths.js';
import { differences, exitStatus, seeAlso } from './common.js';
import { item, items, para, pre, type Manual } from './model.js';
import { optionItems } from './options.js';

export function zloginManual(): Manual {
  return {
    name: 'zlogin',
    section: 1,
    summary: 'enter a zone',
    synopsis: [USAGE.replace(/^usage: /, '')],
    markdownPath: 'docs/commands/zlogin.md',
    sections: [
      {
        title: 'Description',
        blocks: [
          para(`${ZLOGIN_SUMMARY} Run from the global zone, as root.`),
          para(
            'With no utility and a terminal on standard input, zlogin opens an interactive login in the zone on a new pseudo-terminal of the zone. ' +
              "With a utility, it runs it in the zone as the user (root by default), with standard input, output and error as pipes, and exits with the utility's status. " +
              "With `-C` it attaches to the zone's console, which zoneadmd holds from the time the zone is installed.",
          ),
          para(
            'In an interactive login and on the console, the escape character (`~` unless `-e` or `-E` says otherwise) at the start of a line followed by `.` disconnects.',
          ),
          para('The exact behaviour and every message: [docs/reference.md](docs/reference.md#5-zlogin).'),
        ],
      },
      { title: 'Options', blocks: [items(optionItems(ZLOGIN_OPTIONS, USAGE))] },
      exitStatus([
        ['0', 'Success (interactive login, console).'],
        ['1', 'zlogin could not connect, or the caller lacks the privilege.'],
        ['2', 'A usage error.'],
        ['other', "With a utility: the utility's exit status."],
      ]),
      {
        title: 'Files',
        blocks: [
          items([
            item(runDir('<zone>', '/'), "The running zone's run files, its console socket among them."),
            item(consoleLogPath('<zone>', '/'), "What the zone wrote on its console."),
          ]),
        ],
      },
      { title: 'Environment', blocks: [items([item('ZONES_ROOT', 'The directory the paths above hang off (default `/`).')])] },
      {
        title: 'Examples',
        blocks: [
          pre(['# zlogin web01', '# zlogin web01 uname -a', '# zlogin -l student web01 id', '# zlogin -C web01']),
        ],
      },
      seeAlso(['zonecfg', 'zoneadm', 'zonestat']),
      differences(),
    ],
  };
}
