/**
 * zoneadm without oclif, as far as it goes: core reads the command line (argv/zoneadm.ts); usage
 * and `help` are answered here as zoneadm.c does (error usage on stderr with exit 2, explicit usage
 * on stdout), plain `list` and lifecycle lines run here (loading oclif costs ~100 ms, a boot's own
 * work ~10), anything else goes back to the bin for the oclif commands, which run the same code.
 */
import type { ForOclif } from '@zones/core/argv';
import { isSubcommand, zoneadmLine } from '@zones/core/argv/zoneadm';
import { guardOutput } from '@zones/core/output';
import { subUsageText, usageText } from '@zones/core/zoneadm/usage';

/**
 * list-main or lifecycle-main beside this module. scripts/bundle.mjs bundles each on its own, so a
 * `list` does not parse the runtime; from the bundle of this module, this is the bundle of that one.
 */
function sibling<T>(name: string): Promise<T> {
  return import(new URL(`./${name}.js`, import.meta.url).href) as Promise<T>;
}

/** `help [subcommand...]`: usage on stdout, or each sub-usage on stderr; exit 2 at an unknown one. */
function help(topics: readonly string[]): number {
  if (topics.length === 0) process.stdout.write(usageText(true));
  for (const t of topics) {
    if (!isSubcommand(t)) {
      process.stderr.write(subUsageText('help'));
      return 2;
    }
    process.stderr.write(subUsageText(t));
  }
  return 0;
}

/** Runs zoneadm with these arguments (after the program name): the exit status, or oclif's turn. */
export async function main(argv: readonly string[]): Promise<number | ForOclif> {
  guardOutput('zoneadm');
  const line = zoneadmLine(argv);
  switch (line.kind) {
    case 'usage':
      (line.explicit ? process.stdout : process.stderr).write(usageText(line.explicit));
      return 2;
    case 'help':
      return help(line.topics);
    case 'plain':
      if (line.subcommand === 'list') {
        const { runList } = await sibling<typeof import('./list-main.js')>('list-main');
        return runList({ ...line.globals, ...line.options });
      } else {
        const { runLifecycleMain } = await sibling<typeof import('./lifecycle-main.js')>('lifecycle-main');
        return runLifecycleMain(line.subcommand, line.globals, line);
      }
    case 'oclif':
      return { oclif: line.args };
  }
}
