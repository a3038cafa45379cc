/**
 * zonesvc: the zones service (Solaris svc:/system/zones:default, docs/autoboot.md). Core reads
 * the command line (argv/zonesvc.ts) and does the work (core/src/service/); this parses, calls,
 * prints and picks the exit status (0 ok, 1 error, 2 usage).
 */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_STOP_TIMEOUT_S, parseZonesvcArgs, zonesvcHelp, zonesvcUsage, type InitSystem, type ZonesvcRequest } from '@zones/core/argv/zonesvc';
import { deferOutputFaults, guardOutput } from '@zones/core/output';
import { zonesRoot } from '@zones/core/store/paths';
import type { ServiceIO } from '@zones/core/service/autoboot';
import type { ServiceReport } from '@zones/core/service/install';

const io: ServiceIO = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
};

/** A file of this package, by its real path: what the unit records and what the service runs. */
const own = (rel: string) => realpathSync(fileURLToPath(new URL(rel, import.meta.url)));

function printReport(r: ServiceReport): void {
  for (const l of r.done) io.out(`zonesvc: ${l}\n`);
  for (const l of r.adminSteps) io.out(`${l}\n`);
}

async function run(req: ZonesvcRequest): Promise<number> {
  const root = resolve(req.root ?? zonesRoot());
  const inits: InitSystem[] = req.init ? [req.init] : ['systemd', 'sysv'];
  switch (req.subcommand) {
    case 'start':
    case 'stop': {
      if (process.geteuid?.() !== 0) throw new Error(`only a privileged user may ${req.subcommand} the zones service.`);
      deferOutputFaults(); // the boots and halts land whole even if nobody reads what they say
      const { startZones, stopZones } = await import('@zones/core/service/autoboot');
      const { zoneadmOps } = await import('@zones/core/service/zone-ops');
      const ops = zoneadmOps({ node: realpathSync(process.execPath), zoneadm: own('../bin/run.js') }, root);
      return req.subcommand === 'start' ? startZones(root, ops, io) : stopZones(root, ops, io, req.timeoutS ?? DEFAULT_STOP_TIMEOUT_S);
    }
    case 'install': {
      deferOutputFaults();
      const { installService } = await import('@zones/core/service/install');
      const spec = { node: realpathSync(process.execPath), zonesvc: own('../bin/zonesvc.js'), root, stopTimeoutS: req.timeoutS ?? DEFAULT_STOP_TIMEOUT_S };
      printReport(await installService({ init: req.init ?? 'systemd', dir: req.dir }, spec));
      return 0;
    }
    case 'remove': {
      deferOutputFaults();
      const { removeService } = await import('@zones/core/service/install');
      let removed = false;
      for (const init of inits) {
        const r = await removeService({ init, dir: req.dir });
        removed ||= r.done.length > 0;
        printReport(r);
      }
      if (!removed) io.out('zonesvc: no zones service installed\n');
      return 0;
    }
    case 'status': {
      const { installedService, servicePath } = await import('@zones/core/service/install');
      const { autobootStates } = await import('@zones/core/service/autoboot');
      for (const init of inits) {
        const what = init === 'systemd' ? 'systemd unit' : 'init script ';
        const s = installedService({ init, dir: req.dir });
        if (!s) io.out(`${what}  ${servicePath({ init, dir: req.dir })}: not installed\n`);
        else io.out(`${what}  ${s.path}: ${s.enabled ? 'enabled' : 'not enabled'}, zones root ${s.root ?? '?'}, stop timeout ${s.stopTimeoutS ?? '?'} s\n`);
      }
      const zones = autobootStates(root);
      io.out(`autoboot zones under ${root}:${zones.length === 0 ? ' none' : ''}\n`);
      for (const z of zones) io.out(`  ${z.zone.padEnd(16)} ${z.state}\n`);
      return 0;
    }
  }
}

/** Runs zonesvc with these arguments (after the program name); resolves to the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  guardOutput('zonesvc');
  const a = parseZonesvcArgs(argv);
  if (!a.ok) {
    if (a.message) io.err(`zonesvc: ${a.message}\n`);
    io.err(zonesvcUsage());
    return 2;
  }
  if ('help' in a) {
    io.out(zonesvcHelp());
    return 0;
  }
  try {
    return await run(a.request);
  } catch (e) {
    // ServiceError, a store error, a tool that failed: its message is the whole story
    io.err(`zonesvc: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
