/**
 * The zone operations of the zones service as runs of the zoneadm bin (`node BIN -R ROOT -z ZONE
 * boot|halt`), as Solaris' svc-zones runs `zoneadm -z $zone boot &`: each zone in a
 * process of its own (docs/autoboot.md). The bin and node are absolute paths the caller resolved
 * from its own installation, never from the environment, and the children get a fixed
 * environment: nothing the service manager or a caller's shell set (NODE_OPTIONS, a ZONES_ROOT)
 * reaches them.
 */
import { runProgram } from '../sys/tools.js';
import type { ZoneOpResult, ZoneOps } from './autoboot.js';

export interface ZoneadmEntry {
  /** the node executable */
  node: string;
  /** zoneadm's bin (packages/zoneadm/bin/run.js) */
  zoneadm: string;
}

const CHILD_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function zoneadmOps(entry: ZoneadmEntry, root: string): ZoneOps {
  const run = async (zone: string, subcommand: 'boot' | 'halt'): Promise<ZoneOpResult> => {
    const r = await runProgram(entry.node, [entry.zoneadm, '-R', root, '-z', zone, subcommand], { env: { PATH: CHILD_PATH } });
    return { ok: r.exitCode === 0, stdout: r.stdout, stderr: r.stderr };
  };
  return { boot: (zone) => run(zone, 'boot'), halt: (zone) => run(zone, 'halt') };
}
