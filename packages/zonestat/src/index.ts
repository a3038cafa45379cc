/**
 * zonestat [-z zonelist] [-r reslist] [-n namelist] [-T u|d|i] [-R reports] [-q]
 *          [-p [-P lines]] [-S cols] interval [duration [report]]      (docs/reference.md#9-zonestat)
 *
 * The oclif command: its flags (core's option table) are declared for `--help` and the manifest
 * only; main.ts answers every other command line, and this command calls it too.
 */
// oclif subpath imports: the @oclif/core index costs ~30 ms more at startup.
import { Command } from '@oclif/core/command';
import * as Flags from '@oclif/core/flags';
import * as Args from '@oclif/core/args';
import { oclifFlags } from '@zones/core/argv';
import { ZONESTAT_OPTIONS, ZONESTAT_SUMMARY } from '@zones/core/argv/zonestat';
import { zonestatMain } from './main.js';

export default class Zonestat extends Command {
  static summary = ZONESTAT_SUMMARY;
  static usage = '[-z zonelist] [-r reslist] [-n namelist] [-T u|d|i] [-R reports] [-q] [-p [-P lines]] [-S cols] [--json] interval [duration [report]]';
  static strict = false;
  static flags = { ...oclifFlags(Flags, ZONESTAT_OPTIONS), json: Flags.boolean({ description: 'one JSON object per report, exact numbers' }) };
  static args = {
    interval: Args.string({ required: false }),
    duration: Args.string({ required: false }),
    report: Args.string({ required: false }),
  };

  async run(): Promise<void> {
    this.parsed = true; // parsed by zonestatMain (getopt rules, Solaris messages)
    process.exitCode = await zonestatMain(this.argv);
  }
}
