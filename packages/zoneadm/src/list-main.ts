/**
 * The body of `zoneadm list`, without oclif: the oclif command calls it after parsing, and
 * main.ts calls it directly for plain `list [-cipv]` command lines (startup fast path).
 */
import { ZoneStore } from '@zones/core/store/zone-store';
import { isZoneStoreError } from '@zones/core/store/errors';
import { readKernelZones } from '@zones/core/zoneadm/kernel';
import {
  GLOBAL_KERNEL_ZONE,
  formatZoneList,
  formatZoneListJson,
  LIST_PJSON_EXCLUSIVE,
  LIST_PV_EXCLUSIVE,
  listFormat,
  selectZone,
  selectZones,
  type ListedZone,
  type ListWarning,
  type ZoneSource,
} from '@zones/core/zoneadm/list';
import { checkRoot, checkUuid, die, EXIT_ERR, exitStatus, subUsage, ZoneadmExit, zerror } from './common.js';

export interface ListOptions {
  zone?: string;
  uuid?: string;
  root?: string;
  configured?: boolean;
  installed?: boolean;
  parsable?: boolean;
  verbose?: boolean;
  /** --json: the zones -p would list, as one JSON object (-v changes nothing then) */
  json?: boolean;
}

function printWarnings(ws: ListWarning[]): void {
  for (const w of ws) process.stderr.write(`zoneadm: ${w.zone}: ${w.message}\n`);
}

/** Run `list`; prints to stdout/stderr and returns the exit status. */
export function runList(o: ListOptions): number {
  let target = o.zone;
  try {
    return exitStatus(() => {
      const root = checkRoot(target, o.root);
      checkUuid(target, o.uuid);
      const store = new ZoneStore(root);
      if (o.uuid) {
        const byUuid = store.findByUuid(o.uuid);
        if (byUuid) target = byUuid.name;
      }
      if (target !== undefined && !store.exists(target)) die(undefined, `${target}: No such zone configured`);
      if (target !== undefined && (o.configured || o.installed)) {
        process.stderr.write(`zoneadm: illegal option -- ${o.configured ? 'c' : 'i'}\n`);
        subUsage('list');
      }
      const format = listFormat(!!o.verbose, !!o.parsable);
      if (format === undefined) die(target, LIST_PV_EXCLUSIVE);
      if (o.json && o.parsable) die(target, LIST_PJSON_EXCLUSIVE);
      const print = (zones: ListedZone[]) => process.stdout.write(o.json ? formatZoneListJson(zones) : formatZoneList(zones, format));

      const readGlobals = store.globalsReader();
      const src: ZoneSource = {
        entries: store.list(),
        load: (n) => {
          const globals = readGlobals(n);
          return globals && { globals };
        },
        // global (0), then the zones the runtime has in the kernel, by zone id
        kernel: [{ ...GLOBAL_KERNEL_ZONE }, ...readKernelZones(store.root)],
      };
      if (target !== undefined) {
        const r = selectZone(src, target);
        printWarnings(r.warnings);
        if (r.zone) print([r.zone]);
        else throw new ZoneadmExit(EXIT_ERR);
        return;
      }
      const r = selectZones(src, { configured: o.configured, installed: o.installed });
      print(r.zones);
      printWarnings(r.warnings);
    });
  } catch (err) {
    if (isZoneStoreError(err)) {
      zerror(target, err.message);
      return EXIT_ERR;
    }
    throw err;
  }
}
