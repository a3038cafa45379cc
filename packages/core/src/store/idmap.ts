/**
 * Each zone's block of host user and group ids: its user namespace maps the zone's ids 0..65535
 * onto them (docs/security.md). A block is given to a zone the first time it is readied or booted,
 * kept across boots, uninstall and reinstall (files on disk never carry these ids: idmapped mounts
 * translate), and given back when the zone is deleted.
 *
 * Blocks come from root's entries in /etc/subuid and /etc/subgid (the convention of LXC, Incus,
 * podman and systemd-nspawn), else from DEFAULT_RANGE. The allocations live beside the index, in
 * `$ZONES_ROOT/etc/zones/idmap`, one `uuid:uid:gid:count` line per zone, rewritten atomically under
 * the index lock, so two zones of one store never share a block.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic.js';
import { withLock, LockTimeoutError, type LockOptions } from './lock.js';
import { errnoText } from '../errno.js';
import { configDir, indexLockPath } from './paths.js';

/** Ids per zone: the whole 16-bit range a Linux distribution uses (nobody is 65534). */
export const IDS_PER_ZONE = 65536;

/**
 * Host ids used when /etc/subuid (or /etc/subgid) has no entry for root: above the ranges useradd
 * hands out (SUB_UID_MAX 600100000 in login.defs) and below 2^31, which some tools still treat as
 * signed.
 */
export const DEFAULT_RANGE = { start: 1_000_000_000, count: 1_000_000_000 } as const;

/** A zone's mapping: zone id N is host uid `uid + N` and host gid `gid + N`, for N < count. */
export interface IdMap {
  uid: number;
  gid: number;
  count: number;
}

interface Range {
  start: number;
  count: number;
}

export interface IdmapSources {
  /** Contents of /etc/subuid, /etc/subgid, /etc/passwd, /etc/group (tests pass their own). */
  subuid?: string;
  subgid?: string;
  passwd?: string;
  group?: string;
}

const HEADER =
  '# zone id blocks: uuid:uid:gid:count (zone id N is host uid uid+N, gid gid+N)\n' +
  '# DO NOT EDIT: written by zoneadm(8); a zone keeps its block until it is deleted.\n';

function readOr(path: string, fallback = ''): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

/** The ranges of a subordinate id file (`alice:100000:65536`), by owner. */
function subordinateRanges(text: string): { who: string; range: Range }[] {
  const out: { who: string; range: Range }[] = [];
  for (const line of text.split('\n')) {
    const [who, start, count] = line.trim().split(':');
    if (!who || start === undefined || count === undefined) continue;
    const s = Number(start);
    const c = Number(count);
    if (Number.isSafeInteger(s) && Number.isSafeInteger(c) && s > 0 && c > 0) out.push({ who, range: { start: s, count: c } });
  }
  return out;
}

const isRoot = (who: string) => who === 'root' || who === '0';

/** root's ranges in a subordinate id file (`root:100000:65536`, or by uid `0:100000:65536`). */
export function rootRanges(text: string): Range[] {
  return subordinateRanges(text)
    .filter((e) => isRoot(e.who))
    .map((e) => e.range);
}

/** Everyone else's: ranges their own user namespaces (newuidmap) may use, which no zone may share. */
function othersRanges(text: string): Range[] {
  return subordinateRanges(text)
    .filter((e) => !isRoot(e.who))
    .map((e) => e.range);
}

/** Whole blocks of IDS_PER_ZONE ids in the ranges, in order. */
function blocks(ranges: readonly Range[]): number[] {
  const out: number[] = [];
  for (const r of ranges) for (let b = r.start; b + IDS_PER_ZONE <= r.start + r.count; b += IDS_PER_ZONE) out.push(b);
  return out;
}

/** The numeric ids (third field) of /etc/passwd or /etc/group: a block must not hold a host account. */
function accountIds(text: string): number[] {
  return text
    .split('\n')
    .map((l) => Number(l.split(':')[2]))
    .filter((n) => Number.isInteger(n));
}

/** The gids of the host's groups (/etc/group). */
export function hostGroupIds(group = readOr('/etc/group')): number[] {
  return accountIds(group);
}

const overlaps = (start: number, ids: readonly number[]) => ids.some((id) => id >= start && id < start + IDS_PER_ZONE);
const meets = (start: number, ranges: readonly Range[]) => ranges.some((r) => r.start < start + IDS_PER_ZONE && start < r.start + r.count);

/** What the host has made of a block's ids since it was given out, in words; undefined when nothing. */
function blockConflict(map: IdMap, src: IdmapSources): string | undefined {
  const span = (start: number) => `${start}-${start + map.count - 1}`;
  const within = (start: number, ids: readonly number[]) => ids.find((id) => id >= start && id < start + map.count);
  const rangeOf = (start: number, text: string) =>
    subordinateRanges(text).find((e) => !isRoot(e.who) && e.range.start < start + map.count && start < e.range.start + e.range.count);
  const checks: [string, number, string, string][] = [
    ['uid', map.uid, src.subuid ?? readOr('/etc/subuid'), src.passwd ?? readOr('/etc/passwd')],
    ['gid', map.gid, src.subgid ?? readOr('/etc/subgid'), src.group ?? readOr('/etc/group')],
  ];
  for (const [kind, start, sub, accounts] of checks) {
    const file = kind === 'uid' ? '/etc/subuid' : '/etc/subgid';
    const other = rangeOf(start, sub);
    if (other) return `its host ${kind}s ${span(start)} meet ${other.who}'s range in ${file}`;
    const id = within(start, accountIds(accounts));
    if (id !== undefined) return `its host ${kind}s ${span(start)} hold the host's ${kind} ${id} (${kind === 'uid' ? '/etc/passwd' : '/etc/group'})`;
  }
  return undefined;
}

/** The uid blocks and the gid blocks this host gives zones, each list in order. */
function hostBlocks(src: IdmapSources): { ub: number[]; gb: number[] } {
  const subuidText = src.subuid ?? readOr('/etc/subuid');
  const subgidText = src.subgid ?? readOr('/etc/subgid');
  const subuid = rootRanges(subuidText);
  const subgid = rootRanges(subgidText);
  const users = accountIds(src.passwd ?? readOr('/etc/passwd'));
  const groups = accountIds(src.group ?? readOr('/etc/group'));
  const otherUids = othersRanges(subuidText);
  const otherGids = othersRanges(subgidText);
  const ub = blocks(subuid.length > 0 ? subuid : [DEFAULT_RANGE]).filter((b) => !overlaps(b, users) && !meets(b, otherUids));
  const gb = blocks(subgid.length > 0 ? subgid : [DEFAULT_RANGE]).filter((b) => !overlaps(b, groups) && !meets(b, otherGids));
  return { ub, gb };
}

/**
 * Why this host would not give `map` to a zone itself (undefined: it would): a block that came
 * from another host, or from a hand-edited manifest, is honoured only when it is one of this
 * host's own blocks (root's range, whole and aligned, no host account, no other user's range).
 */
export function blockRefusal(map: IdMap, src: IdmapSources = {}): string | undefined {
  if (map.count !== IDS_PER_ZONE) return `it has ${map.count} ids, not ${IDS_PER_ZONE}`;
  const conflict = blockConflict(map, src);
  if (conflict) return conflict.replace(/^its /, '');
  const { ub, gb } = hostBlocks(src);
  const where = (kind: 'uid' | 'gid') => {
    const text = kind === 'uid' ? (src.subuid ?? readOr('/etc/subuid')) : (src.subgid ?? readOr('/etc/subgid'));
    return rootRanges(text).length > 0 ? `root's range in /etc/${kind === 'uid' ? 'subuid' : 'subgid'}` : `the default range ${DEFAULT_RANGE.start}-${DEFAULT_RANGE.start + DEFAULT_RANGE.count - 1}`;
  };
  if (!ub.includes(map.uid)) return `host uids ${map.uid}-${map.uid + map.count - 1} are not a block of ${where('uid')}`;
  if (!gb.includes(map.gid)) return `host gids ${map.gid}-${map.gid + map.count - 1} are not a block of ${where('gid')}`;
  return undefined;
}

/** `1000000000-1000065535`, or `uids A-B, gids C-D` when the two differ. */
export function blockText(map: IdMap): string {
  const span = (s: number) => `${s}-${s + map.count - 1}`;
  return map.uid === map.gid ? span(map.uid) : `uids ${span(map.uid)}, gids ${span(map.gid)}`;
}

/** What `IdmapStore.adopt` did: the zone's block now, and why it is not the one asked for. */
export interface Adoption {
  map: IdMap;
  /** Undefined when the zone has the block it asked for. */
  refused?: string;
}

/**
 * The candidate blocks, as [uid, gid] pairs: the k-th uid block goes with the k-th gid block.
 * Blocks that contain a host account, or meet another user's subordinate range (whose processes
 * could then run as the zone's ids), are skipped. A store other than the real one (`/`) starts at
 * an offset taken from its path, so that test roots, or a second installation, rarely meet the
 * real zones' blocks (each store alone never shares one).
 */
export function candidateBlocks(root: string, src: IdmapSources = {}): [number, number][] {
  const { ub, gb } = hostBlocks(src);
  const pairs: [number, number][] = [];
  for (let i = 0; i < Math.min(ub.length, gb.length); i++) pairs.push([ub[i]!, gb[i]!]);
  if (root === '/' || pairs.length < 2) return pairs;
  const offset = createHash('sha256').update(root).digest().readUInt32BE(0) % pairs.length;
  return [...pairs.slice(offset), ...pairs.slice(0, offset)];
}

export class IdmapError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdmapError';
  }
}

type Entries = Map<string, IdMap>;

export function idmapPath(root: string): string {
  return join(configDir(root), 'idmap');
}

/** The allocation file; a line that is not `uuid:uid:gid:count` is reported, never guessed at. */
export function parseIdmapFile(text: string, path = 'idmap'): Entries {
  const out: Entries = new Map();
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '' || line.startsWith('#')) return;
    const f = line.split(':');
    const [uid, gid, count] = f.slice(1).map(Number);
    const ok = f.length === 4 && f[0] !== '' && [uid, gid, count].every((n) => Number.isSafeInteger(n) && n! > 0);
    if (!ok) throw new IdmapError(`${path}:${i + 1}: malformed line '${line}'`);
    out.set(f[0]!, { uid: uid!, gid: gid!, count: count! });
  });
  return out;
}

function formatIdmapFile(entries: Entries): string {
  return HEADER + [...entries].map(([key, m]) => `${key}:${m.uid}:${m.gid}:${m.count}\n`).join('');
}

/** The key a zone is recorded under: its uuid (kept across renames), else its name. */
export function idmapKey(entry: { name: string; uuid: string }): string {
  return entry.uuid || `name=${entry.name}`;
}

export class IdmapStore {
  constructor(
    readonly root: string,
    private readonly sources: IdmapSources = {},
    private readonly lockOpts: LockOptions = {},
  ) {}

  get path(): string {
    return idmapPath(this.root);
  }

  /**
   * The allocations. Only a missing file reads as none: an unreadable one (a directory, an I/O
   * error) is an IdmapError, never an empty list whose blocks would then be handed out again.
   */
  read(): Entries {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw idmapFsError(this.path, err);
    }
    return parseIdmapFile(text, this.path);
  }

  private write(entries: Entries): void {
    try {
      writeFileAtomic(this.path, formatIdmapFile(entries), 0o644);
    } catch (err) {
      throw idmapFsError(this.path, err);
    }
  }

  lookup(key: string): IdMap | undefined {
    return this.read().get(key);
  }

  /**
   * The zone's block, allocated now (the lowest free candidate) if it has none yet. A block given
   * out earlier is checked again: an account or another user's subordinate range added since then
   * would share the zone's ids, so the zone is refused its namespace until the admin resolves it.
   */
  allocate(key: string): IdMap {
    try {
      return this.allocateLocked(key);
    } catch (err) {
      if (err instanceof LockTimeoutError) throw new IdmapError(`${err.message}: another operation may be in progress`);
      throw err;
    }
  }

  private allocateLocked(key: string): IdMap {
    return withLock(
      indexLockPath(this.root),
      () => {
        const entries = this.read();
        const have = entries.get(key);
        if (have) {
          const conflict = blockConflict(have, this.sources);
          if (conflict) {
            throw new IdmapError(
              `${conflict}: remove that, or the zone's line from ${this.path} to give it a new block`,
            );
          }
          return have;
        }
        const map = this.nextFree(entries);
        entries.set(key, map);
        this.write(entries);
        return map;
      },
      this.lockOpts,
    );
  }

  /** The lowest free candidate block, given the allocations `entries`. */
  private nextFree(entries: Entries): IdMap {
    // Ranges, not starts: /etc/subuid may have changed since the others were given out.
    const taken = [...entries.values()];
    const uidTaken = taken.map((m) => ({ start: m.uid, count: m.count }));
    const gidTaken = taken.map((m) => ({ start: m.gid, count: m.count }));
    const free = candidateBlocks(this.root, this.sources).find(([u, g]) => !meets(u, uidTaken) && !meets(g, gidTaken));
    if (!free) {
      throw new IdmapError(
        `no free block of ${IDS_PER_ZONE} host ids for the zone's user namespace: give root a larger range in /etc/subuid and /etc/subgid`,
      );
    }
    return { uid: free[0], gid: free[1], count: IDS_PER_ZONE };
  }

  /**
   * Attach: the zone (`key`) takes the block it had on the host it came from (`wanted`), when this
   * host would give out that block itself and no other zone of this store holds any of its ids;
   * else it keeps the block it already has here, or gets the lowest free one. `invalid` is why the
   * manifest's block could not be read (then no block is asked for). One write of the file: the
   * zone never has two blocks, and a block it gives up goes back in the same write.
   * `nameOf` names the zone another key belongs to, for the message.
   */
  adopt(key: string, wanted: IdMap | undefined, invalid?: string, nameOf: (key: string) => string | undefined = () => undefined): Adoption {
    try {
      return withLock(indexLockPath(this.root), () => this.adoptLocked(key, wanted, invalid, nameOf), this.lockOpts);
    } catch (err) {
      if (err instanceof LockTimeoutError) throw new IdmapError(`${err.message}: another operation may be in progress`);
      throw err;
    }
  }

  /**
   * What `adopt` would do for the zone `key` (undefined: one not configured here), writing
   * nothing and taking no lock (`attach -n`, which any user may run).
   */
  preview(key: string | undefined, wanted: IdMap | undefined, invalid?: string, nameOf: (key: string) => string | undefined = () => undefined): Adoption {
    return this.adoptLocked(key, wanted, invalid, nameOf, false);
  }

  private adoptLocked(
    key: string | undefined,
    wanted: IdMap | undefined,
    invalid: string | undefined,
    nameOf: (key: string) => string | undefined,
    write = true,
  ): Adoption {
    const entries = this.read();
    const have = key === undefined ? undefined : entries.get(key);
    const save = (map: IdMap) => {
      if (key === undefined || !write) return;
      entries.set(key, map);
      this.write(entries);
    };
    let refused = invalid;
    if (wanted) {
      if (have && have.uid === wanted.uid && have.gid === wanted.gid && have.count === wanted.count) return { map: have };
      refused = blockRefusal(wanted, this.sources);
      if (!refused) {
        for (const [other, m] of entries) {
          if (other === key) continue;
          // wanted has IDS_PER_ZONE ids (blockRefusal), the span meets() measures
          if (meets(wanted.uid, [{ start: m.uid, count: m.count }]) || meets(wanted.gid, [{ start: m.gid, count: m.count }])) {
            const name = nameOf(other);
            refused = name ? `it is in use by zone '${name}' on this system` : 'it is in use on this system';
            break;
          }
        }
      } else {
        refused = `this system would not give it to a zone (${refused})`;
      }
      if (!refused) {
        save({ ...wanted });
        return { map: { ...wanted } };
      }
    }
    if (have) return { map: have, refused };
    const map = this.nextFree(entries);
    save(map);
    return { map, refused };
  }

  /** Gives the zone's block back (no-op when it has none). The caller holds the index lock. */
  releaseLocked(key: string): void {
    const entries = this.read();
    if (!entries.delete(key)) return;
    this.write(entries);
  }
}

function idmapFsError(path: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? new IdmapError(`${path}: ${errnoText(err as NodeJS.ErrnoException)}`) : (err as Error);
}

/** `0 1000000 65536`: a mapping as /proc/PID/uid_map shows it (inside, outside, count). */
export function formatIdmapLine(start: number, count: number): string {
  return `0 ${start} ${count}`;
}

/**
 * Gives a deleted zone's block back (the caller holds the index lock). A corrupt or unwritable
 * allocation file is left as it is: deleting a zone never fails for it (the block then stays
 * taken, which costs ids, never shares them), and the next boot reports it.
 */
export function releaseIdmap(root: string, key: string): void {
  try {
    new IdmapStore(root).releaseLocked(key);
  } catch (e) {
    if (!(e instanceof IdmapError)) throw e;
  }
}
