/**
 * Block devices as the labs look at them (docs/labs/12-disk-image.md): the device
 * number of a node, as mount tables name a filesystem's device, and the file a loop device reads.
 */
import { readFileSync, statSync } from 'node:fs';

/** `major:minor` of the block device node at `path` (`7:0` for /dev/loop0), or undefined when it is none. */
export function blockDeviceNumber(path: string): string | undefined {
  try {
    const st = statSync(path, { bigint: true });
    if (!st.isBlockDevice()) return undefined;
    // glibc's gnu_dev_major/minor: the 64-bit dev_t split as the kernel's new_encode_dev lays it out
    const d = st.rdev;
    const major = ((d >> 8n) & 0xfffn) | ((d >> 32n) & ~0xfffn);
    const minor = (d & 0xffn) | ((d >> 12n) & ~0xffn);
    return `${major}:${minor}`;
  } catch {
    return undefined;
  }
}

/**
 * The file loop device `device` (`7:0`) reads from, as losetup shows it (with ` (deleted)` when
 * the file was removed), or undefined when the device is not a loop device or has no file.
 */
export function loopBackingFile(device: string): string | undefined {
  if (!/^\d+:\d+$/.test(device)) return undefined;
  try {
    return readFileSync(`/sys/dev/block/${device}/loop/backing_file`, 'utf8').replace(/\n$/, '') || undefined;
  } catch {
    return undefined;
  }
}
