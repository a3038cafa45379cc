/** zonelab(1): its commands (labs/usage.ts) and the labs of the registry. Sheets: docs/labs/. */
import { labNumber } from '../labs/lab.js';
import { LABS } from '../labs/registry.js';
import { ZONELAB_COMMANDS, ZONELAB_SUMMARY } from '../labs/usage.js';
import { labAnswersDir } from '../store/paths.js';
import { exitStatus, seeAlso } from './common.js';
import { item, items, para, pre, type Manual } from './model.js';

export function zonelabManual(): Manual {
  return {
    name: 'zonelab',
    section: 1,
    summary: ZONELAB_SUMMARY,
    synopsis: ZONELAB_COMMANDS.map(([c]) => `zonelab ${c}`),
    sections: [
      {
        title: 'Description',
        blocks: [
          para(
            'Each lab of [docs/labs/](docs/labs/README.md) is a sheet and a check. The check reads what this host shows now (the zones of `ZONES_ROOT`, their processes, cgroups and links, what a read-only command inside a running zone sees) and the answers recorded with `zonelab answer`, and says what is done and what is missing. It never changes a zone. Run it from the global zone, as root.',
          ),
        ],
      },
      { title: 'Commands', blocks: [items(ZONELAB_COMMANDS.map(([c, what]) => item(c, what)))] },
      { title: 'Labs', blocks: [items(LABS.map((l) => item(`${labNumber(l.id)} ${l.slug}`, `${l.title} (${l.seed}).`)))] },
      exitStatus([
        ['0', 'The lab is done (check), or the command succeeded.'],
        ['1', 'Something is missing (check), or the command failed.'],
        ['2', 'A usage error.'],
      ]),
      { title: 'Files', blocks: [items([item(labAnswersDir('/'), 'The recorded answers, one `NN.answers` file per lab.')])] },
      { title: 'Environment', blocks: [items([item('ZONES_ROOT', 'Whose zones are checked (default `/`).')])] },
      { title: 'Examples', blocks: [pre(['# zonelab list', '# zonelab check 01', '# zonelab answer 09 init-pid 4242'])] },
      seeAlso(['zonecfg', 'zoneadm', 'zlogin', 'zps']),
    ],
  };
}
