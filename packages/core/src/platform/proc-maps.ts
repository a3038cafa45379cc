/** The files a process has mapped (/proc/PID/maps): which page-cache copies it shares with others. */
import { readFileSync } from 'node:fs';

export interface MappedFile {
  path: string;
  inode: number;
  /** `r-xp` for text. */
  perms: string;
}

/** The file mappings of `pid` (anonymous and special mappings left out); empty when it is gone. */
export function processMappedFiles(pid: number): MappedFile[] {
  if (!Number.isInteger(pid) || pid <= 0) return [];
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/maps`, 'utf8');
  } catch {
    return [];
  }
  const out: MappedFile[] = [];
  for (const line of text.split('\n')) {
    const m = /^\S+ (\S+) \S+ \S+ (\d+)\s+(\/.*)$/.exec(line);
    if (m && m[2] !== '0') out.push({ perms: m[1]!, inode: Number(m[2]), path: m[3]!.replace(/ \(deleted\)$/, '') });
  }
  return out;
}
