/**
 * Lab 12 (docs/labs/12-disk-image.md): the course's "a CD image mounted where only one namespace
 * can read it", with a zone. Zone `disk` has an `fs` resource whose special is a loop device backed
 * by an image file; the filesystem is in that zone's mount table, a file its root wrote is on it,
 * and neither the host's mount table nor any other running zone's has it.
 */
import { existsSync, statSync } from 'node:fs';
import { blockDeviceNumber, loopBackingFile } from '../../platform/block-devices.js';
import { processMounts, type MountEntry } from '../../platform/mounts.js';
import type { Lab } from '../lab.js';
import { item, type CheckItem } from '../lab.js';
import { runningZoneNames, zoneRunningItem } from './common.js';
import { runningInit } from './zone-privileges.js';

const ZONE = 'disk';

interface LoopFs {
  dir: string;
  special: string;
  type: string;
  /** `major:minor` of the special. */
  device: string;
  /** The file the loop device reads. */
  image: string;
}

/** The zone's first fs resource whose special is a loop device with a backing file. */
function loopFs(fss: { dir: string; special: string; type: string }[]): LoopFs | undefined {
  for (const f of fss) {
    const device = blockDeviceNumber(f.special);
    const image = device ? loopBackingFile(device) : undefined;
    if (device && image) return { ...f, device, image };
  }
  return undefined;
}

const holds = (mounts: readonly MountEntry[], fs: LoopFs) => mounts.filter((m) => m.device === fs.device || m.source === fs.special || m.source === fs.image);

export const diskImage: Lab = {
  id: 12,
  slug: 'disk-image',
  title: 'a disk image mounted inside one zone only (loop device)',
  seed: 'university course on namespaces (an ISO image readable from one namespace only, through a loop device)',
  async check(host) {
    const items: CheckItem[] = [zoneRunningItem(host, ZONE)];
    const fss = host.resources(ZONE, 'fs').map((r) => ({ dir: String(r.props.dir ?? ''), special: String(r.props.special ?? ''), type: String(r.props.type ?? '') }));
    const fs = loopFs(fss);
    const cfgWhat = `zone ${ZONE} has an fs whose special is a loop device backed by an image file`;
    if (!fs) {
      const blocks = fss.filter((f) => blockDeviceNumber(f.special));
      items.push(
        item(cfgWhat, false, blocks.length ? `${blocks.map((f) => f.special).join(', ')}: not a loop device with a file (losetup -f --show IMAGE)` : fss.length ? `its fs specials are ${fss.map((f) => f.special).join(', ')}: none is a loop device` : 'steps 1-3: an image, a loop device, add fs to the zone'),
      );
      return items;
    }
    const imageOk = !fs.image.endsWith(' (deleted)') && existsSync(fs.image) && statSync(fs.image).isFile();
    items.push(item(cfgWhat, imageOk, `${fs.dir}: ${fs.special} (${fs.device}) reads ${fs.image}${imageOk ? '' : ', which is not a file any more'}`));

    const pid = runningInit(host, ZONE);
    const mountWhat = `${fs.dir} is mounted in zone ${ZONE} from ${fs.special}`;
    const fileWhat = `a file zone ${ZONE}'s root wrote is on it`;
    const hostWhat = "the host's mount table does not have it";
    const othersWhat = 'no other running zone has it (one at least is running)';
    if (!pid) return [...items, ...[mountWhat, fileWhat, hostWhat, othersWhat].map((w) => item(w, false, `needs zone ${ZONE} running`))];

    const mine = holds(processMounts(pid), fs);
    const at = mine.find((m) => m.mountPoint === fs.dir && m.device === fs.device);
    items.push(item(mountWhat, at !== undefined, at ? `${at.fsType} on ${at.mountPoint} (${at.options.join(',')}), device ${at.device}` : mine.length ? `the zone has it at ${mine.map((m) => m.mountPoint).join(', ')}` : `not in its mount table (/proc/${pid}/mountinfo): boot the zone after adding the fs`));

    const ls = at ? await host.inZone(ZONE, `ls -A '${fs.dir.replace(/'/g, `'\\''`)}'`) : undefined;
    const files = (ls?.stdout ?? '').split('\n').filter((n) => n && n !== 'lost+found');
    items.push(item(fileWhat, files.length > 0, files.length ? files.slice(0, 5).join(', ') : `${fs.dir} is empty in the zone: zlogin ${ZONE} 'echo hello > ${fs.dir}/hello.txt'`));

    const onHost = holds(processMounts(process.pid), fs);
    items.push(item(hostWhat, onHost.length === 0, onHost.length ? `the host has it on ${onHost.map((m) => m.mountPoint).join(', ')}: umount it there` : `no mount of ${fs.device} in /proc/self/mountinfo`));

    const others = runningZoneNames(host).filter((z) => z !== ZONE);
    const seenIn = others.filter((z) => holds(processMounts(runningInit(host, z) ?? 0), fs).length > 0);
    items.push(item(othersWhat, others.length > 0 && seenIn.length === 0, others.length === 0 ? 'boot a second zone to compare: step 6' : seenIn.length ? `${seenIn.join(', ')} has it too` : `not in ${others.join(', ')}`));
    return items;
  },
};
