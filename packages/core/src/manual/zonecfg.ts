/**
 * zonecfg(8): the option table (argv/zonecfg.ts), zonecfg's own help texts (lang/help.ts) and the
 * schema table (manual/schema-reference.ts). Behaviour in detail: docs/reference.md#1-zonecfg.
 */
import { ZONECFG_OPTIONS, ZONECFG_SUMMARY } from '../argv/zonecfg.js';
import { longUsage, shortUsage, USAGE_BLOCK } from '../lang/help.js';
import { COMMAND_WORDS } from '../lang/lexer.js';
import { SCHEMA, type Schema } from '../model/schema.js';
import { configPath, indexPath, zoneLockPath } from '../store/paths.js';
import { differences, exitStatus, seeAlso } from './common.js';
import { item, items, para, pre, reflow, type Manual } from './model.js';
import { optionItems } from './options.js';
import { resourcesAndProperties } from './schema-reference.js';

/** USAGE_BLOCK's command lines without `usage:` and the tab-aligned notes. */
const synopsis = USAGE_BLOCK.map((l) => l.replace(/^usage:/, '').replace(/\t+\(.*\)$/, '').trim());

function subcommandItems() {
  return COMMAND_WORDS.map((c) => {
    const short = shortUsage(c).slice(1);
    const long = longUsage(c).slice(short.length + 1).join('\n');
    // a synopsis of one line is the tag itself; add and remove have one per scope
    return short.length === 1 ? item(short[0]!, para(reflow(long))) : item(c, pre(short), para(reflow(long)));
  });
}

export function zonecfgManual(schema: Schema = SCHEMA): Manual {
  const usage = USAGE_BLOCK.join(' ');
  return {
    name: 'zonecfg',
    section: 8,
    summary: 'configure a zone',
    synopsis: [...synopsis, 'zonecfg [-R <root>] [-r] -z <zone> [<command> | -f <command-file>]'],
    markdownPath: 'docs/commands/zonecfg.md',
    sections: [
      {
        title: 'Description',
        blocks: [
          para(`${ZONECFG_SUMMARY} zonecfg creates, changes and deletes the configuration of a zone: its global properties and its resources (file systems, networks, devices, resource controls, ...), in the language of Solaris zonecfg.`),
          para(
            'With no command it reads commands interactively, with a prompt when standard input is a terminal (`zonecfg:<zone>>`, and `zonecfg:<zone>:<resource>>` inside a resource scope). ' +
              'Commands given as arguments are run as one line (separate several with `;`); `-f` reads them from a file, one per line. ' +
              'Changes are made to a copy and saved by `commit`, which is attempted at the end of the session. ' +
              '`zoneadm` installs and boots what is committed.',
          ),
          para('The exact behaviour and every message: [docs/reference.md](docs/reference.md#1-zonecfg); a guide: [docs/zonecfg.md](docs/zonecfg.md).'),
        ],
      },
      { title: 'Options', blocks: [items(optionItems(ZONECFG_OPTIONS, usage))] },
      {
        title: 'Subcommands',
        blocks: [
          para('As `help commands` prints them (`help <command>` adds the resource types and properties a command takes):'),
          items(subcommandItems()),
        ],
      },
      resourcesAndProperties(schema),
      exitStatus([
        ['0', 'Success.'],
        ['1', 'An error occurred, or the configuration was left unsaved.'],
        ['2', 'A usage error: no arguments, an unknown option, a bad zone name.'],
      ]),
      {
        title: 'Files',
        blocks: [
          items([
            item(configPath('<zone>', '/'), "The zone's configuration, as `commit` writes it."),
            item(indexPath('/'), 'Every zone: its name, state, zonepath and uuid.'),
            item(zoneLockPath('<zone>', '/'), "Held while the zone's configuration is written."),
          ]),
        ],
      },
      {
        title: 'Environment',
        blocks: [items([item('ZONES_ROOT', 'The directory every path above hangs off (default `/`): a whole separate set of zones, as tests use it.')])],
      },
      {
        title: 'Examples',
        blocks: [
          para('A zone with a network and a memory cap, in one command line:'),
          pre([
            "# zonecfg -z web01 'create; set zonepath=/zones/web01; set autoboot=true;",
            "    add net; set physical=eth0; set address=192.168.56.50/24; end;",
            "    add capped-memory; set physical=512M; end; commit'",
          ]),
          para('A second zone made from its export, given a zonepath of its own, and read back:'),
          pre(['# zonecfg -z web01 export -f web01.cfg', '# zonecfg -z web02 -f web01.cfg', '# zonecfg -z web02 set zonepath=/zones/web02', '# zonecfg -z web02 info']),
          para('A cap changed on the running zone, at once and in the saved configuration:'),
          pre(["# zonecfg -z web01 -r 'select capped-memory; set physical=1G; end; commit'"]),
        ],
      },
      seeAlso(['zoneadm', 'zlogin', 'zonestat']),
      differences(),
    ],
  };
}
