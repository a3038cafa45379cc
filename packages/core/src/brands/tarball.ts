/**
 * Tar archives as zone roots: compression detection by magic bytes, a safety check of the member
 * listing (GNU tar `-tv` with C quoting, so every name parses unambiguously), and unpacking.
 */
import { closeSync, openSync, readSync, writeFileSync } from 'node:fs';
import { requireTool, runTool } from '../sys/tools.js';
import { normalizeMember } from './fsutil.js';
import { InstallError } from './types.js';

export type Compression = 'none' | 'gzip' | 'xz' | 'zstd' | 'bzip2';

/** The decompressor tool of each compression (for requireTool) and GNU tar's option for it. */
const COMPRESSORS: Record<Exclude<Compression, 'none'>, { tool: string; flag: string }> = {
  gzip: { tool: 'gzip', flag: '--gzip' },
  xz: { tool: 'xz', flag: '--xz' },
  zstd: { tool: 'zstd', flag: '--zstd' },
  bzip2: { tool: 'bzip2', flag: '--bzip2' },
};

/** Compression from the first bytes of a file; `none` for a plain tar (ustar magic at 257), undefined if unknown. */
export function detectCompression(head: Uint8Array): Compression | undefined {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) return 'gzip';
  if (b.length >= 6 && b.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'xz';
  if (b.length >= 4 && b.subarray(0, 4).equals(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))) return 'zstd';
  if (b.length >= 3 && b.subarray(0, 3).toString('latin1') === 'BZh') return 'bzip2';
  if (b.length >= 262 && b.subarray(257, 262).toString('latin1') === 'ustar') return 'none';
  return undefined;
}

/** Compression of the file at `path`: magic bytes first, the name only for magic-less (v7) tars. */
export function compressionOf(path: string): Compression {
  const fd = openSync(path, 'r');
  const head = Buffer.alloc(512);
  let n: number;
  try {
    n = readSync(fd, head, 0, 512, 0);
  } finally {
    closeSync(fd);
  }
  const c = detectCompression(head.subarray(0, n));
  if (c) return c;
  if (/\.tar$/i.test(path) && n === 512) return 'none';
  throw new InstallError(`${path}: not a tar archive (tar, tar.gz, tar.xz or tar.zst expected)`);
}

/** tar options for a compression; checks the decompressor is installed (MissingToolError names its package). */
export function compressionArgs(c: Compression): string[] {
  if (c === 'none') return [];
  requireTool(COMPRESSORS[c].tool);
  return [COMPRESSORS[c].flag];
}

// ------------------------------------------------------------------ listing

export type MemberType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo' | 'other';

export interface Member {
  /** The name exactly as stored (after C-unquoting): used for --exclude. */
  raw: string;
  type: MemberType;
  /** Link target (symlink or hardlink), as stored. */
  target?: string;
}

/** Reads one C-quoted string (`"..."` with backslash escapes, octal bytes) at the start of `s`. */
export function readCString(s: string): { value: string; rest: string } | undefined {
  if (!s.startsWith('"')) return undefined;
  const bytes: number[] = [];
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, '"': 34, '?': 63, "'": 39 };
  let i = 1;
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === '"') return { value: Buffer.from(bytes).toString('utf8'), rest: s.slice(i + 1) };
    if (ch === '\\') {
      const next = s[i + 1];
      if (next === undefined) return undefined;
      const oct = /^[0-7]{1,3}/.exec(s.slice(i + 1));
      if (oct) {
        bytes.push(parseInt(oct[0], 8) & 0xff);
        i += 1 + oct[0].length;
        continue;
      }
      if (simple[next] === undefined) return undefined;
      bytes.push(simple[next]!);
      i += 2;
      continue;
    }
    bytes.push(...Buffer.from(ch, 'utf8'));
    i += 1;
  }
  return undefined;
}

const TYPE_CHARS: Record<string, MemberType> = { '-': 'file', d: 'dir', l: 'symlink', h: 'hardlink', c: 'char', b: 'block', p: 'fifo' };

/** Parses the output of `tar --quoting-style=c --numeric-owner -tv`. Throws on a line it cannot read. */
export function parseListing(text: string): Member[] {
  const out: Member[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const m = /^(\S)\S{9}\s+\S+\s+\S+(?:,\s*\d+)?\s+\d{4}-\d\d-\d\d\s+\d\d:\d\d(?::\d\d)?\s+(".*)$/.exec(line);
    if (!m) throw new InstallError(`cannot read the archive listing line: ${line}`);
    const name = readCString(m[2]!);
    if (!name) throw new InstallError(`cannot read the archive listing line: ${line}`);
    const type = TYPE_CHARS[m[1]!] ?? 'other';
    const member: Member = { raw: name.value, type };
    if (type === 'symlink' || type === 'hardlink') {
      const sep = type === 'symlink' ? ' -> ' : ' link to ';
      if (!name.rest.startsWith(sep)) throw new InstallError(`cannot read the archive listing line: ${line}`);
      const target = readCString(name.rest.slice(sep.length));
      if (!target) throw new InstallError(`cannot read the archive listing line: ${line}`);
      member.target = target.value;
    }
    out.push(member);
  }
  return out;
}

export interface ArchivePlan {
  /** --strip-components value (0 = none). */
  strip: number;
  /** Raw names of device nodes, which are not unpacked. */
  devices: string[];
  /** The single top-level directory that was recognised as a root, if any. */
  strippedTop?: string;
}

/**
 * Checks a listing for members that could write outside the root, and decides what to strip.
 * Refused: absolute names, `..` components, hard links whose target is absolute or climbs out,
 * members under a path the archive itself made a symlink, member types other than file, dir,
 * symlink, hard link, fifo and device (devices are skipped, see docs/brands.md).
 */
export function planArchive(path: string, members: readonly Member[]): ArchivePlan {
  const symlinks = new Set<string>();
  const names: string[] = [];
  const devices: string[] = [];
  const refuse = (why: string) => {
    throw new InstallError(`${path}: refusing to install: ${why}`);
  };
  for (const m of members) {
    if (m.raw.startsWith('/')) refuse(`member '${m.raw}' has an absolute path`);
    const n = normalizeMember(m.raw);
    const parts = n === '' ? [] : n.split('/');
    if (parts.includes('..')) refuse(`member '${m.raw}' escapes the root ('..')`);
    for (let i = 1; i < parts.length; i++) {
      if (symlinks.has(parts.slice(0, i).join('/'))) refuse(`member '${m.raw}' lies under the symbolic link '${parts.slice(0, i).join('/')}'`);
    }
    if (m.type === 'other') refuse(`member '${m.raw}' has an unsupported type`);
    if (m.type === 'hardlink') {
      const t = m.target ?? '';
      if (t.startsWith('/') || normalizeMember(t).split('/').includes('..')) refuse(`hard link '${m.raw}' points outside the root ('${t}')`);
    }
    if (m.type === 'symlink') symlinks.add(n);
    else symlinks.delete(n);
    if (m.type === 'char' || m.type === 'block') {
      if (m.raw.includes('\n')) refuse(`device member with a newline in its name`);
      devices.push(m.raw);
    }
    names.push(n);
  }

  // A single top-level directory that itself looks like a root (etc/ plus usr/ or bin/) is stripped.
  const nonEmpty = names.filter((n) => n !== '');
  const tops = new Set(nonEmpty.map((n) => n.split('/')[0]!));
  let strip = 0;
  let strippedTop: string | undefined;
  if (tops.size === 1) {
    const top = [...tops][0]!;
    const has = (sub: string) => nonEmpty.some((n) => n === `${top}/${sub}` || n.startsWith(`${top}/${sub}/`));
    const topIsDir = members.some((m) => normalizeMember(m.raw) === top && m.type === 'dir') || nonEmpty.some((n) => n.startsWith(`${top}/`));
    if (topIsDir && has('etc') && (has('usr') || has('bin'))) {
      const withDot = members.filter((m) => normalizeMember(m.raw) !== '').map((m) => m.raw.startsWith('./'));
      if (withDot.every((d) => d)) strip = 2;
      else if (withDot.every((d) => !d)) strip = 1;
      else refuse('mixes member names with and without a leading ./ under one top directory');
      strippedTop = top;
    }
  }
  return { strip, devices, strippedTop };
}

export interface UnpackOptions {
  compression: Compression;
  strip?: number;
  /** Raw member names not to unpack. */
  exclude?: readonly string[];
  /** Keep xattrs (security.capability etc.). */
  xattrs?: boolean;
  onOutput?: (chunk: string) => void;
  signal?: AbortSignal;
  /** Where to write the exclude list (a scratch file path). */
  scratch?: string;
}

/** Lists an archive (`tar -tv`, C quoting, numeric owners). */
export async function listArchive(file: string, compression: Compression, signal?: AbortSignal): Promise<Member[]> {
  // -P: list names and link targets exactly as stored (tar would otherwise strip a leading / or ../ silently)
  const args = ['--quoting-style=c', '--numeric-owner', '-P', ...compressionArgs(compression), '-tvf', file];
  const r = await runTool('tar', args, { signal, env: { ...process.env, LC_ALL: 'C' } });
  return parseListing(r.stdout);
}

/** Unpacks `file` into `dest` with numeric owners and modes preserved. */
export async function unpackArchive(file: string, dest: string, o: UnpackOptions): Promise<void> {
  const args = ['--numeric-owner', '-p', ...compressionArgs(o.compression)];
  if (o.xattrs) args.push('--xattrs', '--xattrs-include=*');
  if (o.strip) args.push(`--strip-components=${o.strip}`);
  if (o.exclude?.length) {
    const list = o.scratch ?? `${dest}.exclude`;
    writeFileSync(list, o.exclude.map((e) => `${e}\n`).join(''), { mode: 0o600 });
    args.push('--anchored', '--no-wildcards', `--exclude-from=${list}`);
  }
  args.push('-xf', file, '-C', dest);
  await runTool('tar', args, { onOutput: o.onOutput, signal: o.signal });
}
