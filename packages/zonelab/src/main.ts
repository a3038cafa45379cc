/**
 * zonelab list [--json] | check NN [--json] | answer NN KEY VALUE | show NN     (docs/labs/README.md)
 *
 * The labs of docs/labs/: core checks this host against a lab (core/labs/); this prints. Exit 0
 * when the lab is done (check) or the command succeeded, 1 when something is missing or failed,
 * 2 for a usage error (with the usage). Runs only from the global zone, as root.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { guardOutput } from '@zones/core/output';
import { inNonGlobalZone } from '@zones/core/platform/proc';
import { zonesRoot } from '@zones/core/store/paths';
import { LabHost } from '@zones/core/labs/host';
import { findLab } from '@zones/core/labs/registry';
import { checkLab, formatListing, formatReport, listLabs } from '@zones/core/labs/run';
import { answerProblem, recordAnswer } from '@zones/core/labs/answers';
import { labNumber } from '@zones/core/labs/lab';
import { zonelabUsage } from '@zones/core/labs/usage';

const USAGE = zonelabUsage();

const SHEETS = new URL('../../../docs/labs/', import.meta.url);

function say(message: string): void {
  process.stderr.write(`zonelab: ${message}\n`);
}

function usage(message?: string): number {
  if (message) say(message);
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

export async function main(argv: readonly string[]): Promise<number> {
  guardOutput('zonelab');
  try {
    return await run(argv);
  } catch (e) {
    say((e as Error).message);
    return 1;
  }
}

async function run(argv: readonly string[]): Promise<number> {
  const json = argv.includes('--json');
  const words = argv.filter((a) => a !== '--json');
  const [cmd, ...rest] = words;
  if (cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (cmd === undefined) return usage();
  if (!['list', 'check', 'show', 'answer'].includes(cmd)) return usage(`${cmd}: unknown command`);
  const counts: Record<string, number> = { list: 0, check: 1, show: 1, answer: 3 };
  if (rest.length !== counts[cmd]) return usage(`${cmd}: wrong number of arguments`);
  if (json && cmd !== 'list' && cmd !== 'check') return usage(`${cmd}: --json is for list and check`);
  if (cmd !== 'show') {
    if (inNonGlobalZone()) {
      say("'zonelab' may only be used from the global zone");
      return 1;
    }
    if ((process.geteuid?.() ?? 0) !== 0) {
      say('You lack sufficient privilege to run this command (root privileges required)');
      return 1;
    }
  }
  const host = new LabHost(zonesRoot());
  if (cmd === 'list') {
    const rows = await listLabs(host);
    process.stdout.write(json ? `${JSON.stringify(rows, null, 2)}\n` : formatListing(rows));
    return 0;
  }
  const lab = findLab(rest[0]!);
  if (!lab) return usage(`${rest[0]}: no such lab`);
  if (cmd === 'show') {
    process.stdout.write(readFileSync(fileURLToPath(new URL(`${labNumber(lab.id)}-${lab.slug}.md`, SHEETS)), 'utf8'));
    return 0;
  }
  if (cmd === 'answer') {
    const [, key, value] = rest as [string, string, string];
    const problem = answerProblem(key, value);
    if (problem) return usage(problem);
    recordAnswer(host.root, lab.id, key, value);
    return 0;
  }
  const r = await checkLab(lab, host);
  if (json) {
    const { lab: l, ...rest2 } = r;
    process.stdout.write(`${JSON.stringify({ id: l.id, slug: l.slug, title: l.title, ...rest2 }, null, 2)}\n`);
  } else process.stdout.write(formatReport(r));
  return r.done ? 0 : 1;
}
