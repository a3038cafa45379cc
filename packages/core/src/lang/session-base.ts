/**
 * The state of a zonecfg session (scopes, the configuration being edited, error accounting) and
 * the helpers every command uses: messages in zonecfg's formats, getopt, value parsing.
 * Commands live in resource-commands.ts (inside a resource scope) and session.ts (the rest).
 */
import type { Resource, ResourceType, RctlValue, ZoneConfig } from '../model/types.js';
import { SCHEMA, type Schema } from '../model/schema.js';
import { formatRctlValue, parseRctlValue } from '../model/rctl.js';
import { type Command, type ParseError, type Value } from './parser.js';
import type { CommandName } from './lexer.js';
import { longUsage, longerUsage, propsBlock, resourcesBlock, shortUsage, subcommandsBlock, usageErrorExtras } from './help.js';
import { ZONE_STATE_ORDER as STATE_ORDER, type ZoneState } from '../model/states.js';

/** The zone states the session cares about (configured, installed, ...), in libzonecfg order. */
export type ZoneStateName = ZoneState;

/** The configuration store, as the session needs it. */
/** A zone's host ids (its user namespace), as `info` shows them once the zone has them. */
export interface ZoneIdmap {
  uid: number;
  gid: number;
  count: number;
}

/** A configured zone as the store has it. */
export interface StoredZone {
  config: ZoneConfig;
  state: ZoneStateName;
  idmap?: ZoneIdmap;
}

/**
 * A configured zone whose configuration cannot be read (a corrupt or hand-broken file):
 * `problem` is the message (`Invalid document: <file>: <what>`). It can still be deleted with
 * `delete -F` or replaced with `create -F` (docs/reference.md#16-messages).
 */
export interface UnreadableZone {
  config?: undefined;
  idmap?: undefined;
  state: ZoneStateName;
  problem: string;
}

export interface ConfigBackend {
  lookup(name: string): StoredZone | UnreadableZone | undefined;
  /** The zone's state in the kernel (ready, running, shutting_down), if it is there. */
  runtimeState?(name: string): Promise<ZoneStateName | undefined>;
  /** Before a delete: undo what the zone left on the host (run files, zone ids, cgroups, addresses). */
  releaseHostRecords?(name: string): Promise<void>;
  /** SUNWdefault, SUNWblank or a configured zone. */
  template(name: string): ZoneConfig | undefined;
  /** Commit: throws an Error whose message is the Solaris text on failure. */
  save(config: ZoneConfig, previousName: string | undefined): void;
  remove(name: string): void;
  writeFile(path: string, text: string): void;
  /**
   * Live mode (`zonecfg -r`): `lookup` gives the running configuration, and commit applies the
   * edited one to the running zone and saves it; returns warnings, throws an Error whose message
   * says why nothing was changed (docs/reference.md, "Live reconfiguration").
   */
  commitLive?(config: ZoneConfig): Promise<string[]>;
  /** Whether this process may write the zone's configuration (else zonecfg is read-only). */
  writable(name: string): boolean;
  /** `create -a PATH`: the configuration in a detached zonepath's manifest, or why there is none. */
  detached(path: string): Promise<ZoneConfig | 'no-manifest' | 'invalid-manifest'>;
  /**
   * `create -o DIR[:TAG]`: the configuration an OCI image's labels carry, less what names this
   * host (each left-out part a line of `notes`), or why there is none (docs/oci-image.md).
   */
  image?(ref: string, zonename: string): Promise<{ config: ZoneConfig; notes: string[] } | { error: string }>;
}

export interface SessionIO {
  out(line: string): void;
  err(line: string): void;
  /** A y/[n] question on the terminal (only asked when the session is interactive). */
  confirm(question: string): Promise<boolean>;
}

/**
 * interactive: commands typed at a terminal (prompts, questions); stdin: commands from a pipe;
 * file: `-f FILE` (stops at the first error); argv: the commands given as arguments.
 */
export type InputMode = 'interactive' | 'stdin' | 'file' | 'argv';

export interface SessionOptions {
  zonename: string;
  mode: InputMode;
  /** For `-f FILE`: the name used in `On line N of FILE:` (`-` for standard input). */
  fileName?: string;
  /** `-R`: an alternate root is in use (the only case where `set -F zonepath=` is allowed). */
  alternateRoot?: boolean;
  /** The table of properties and resources (this program's, unless a test extends it). */
  schema?: Schema;
  /** `-r`: the running zone's live configuration (the backend's commitLive commits). */
  live?: boolean;
}

export interface Scope {
  type: ResourceType;
  working: Resource;
  /** Index in config.resources of the resource being edited by select; undefined for add. */
  replacing?: number;
}

export const CAPPED: ReadonlySet<string> = new Set(['capped-cpu', 'capped-memory']);
const MODIFYING: ReadonlySet<string> = new Set(['add', 'clear', 'commit', 'create', 'delete', 'remove', 'revert', 'select', 'set', 'verify']);
/** Commands whose getopt accepts only -F (or nothing): any other option prints their help. */
const HELP_ON_BAD_OPTION: ReadonlySet<string> = new Set(['add', 'cancel', 'commit', 'delete', 'end', 'exit', 'remove', 'revert', 'verify']);

/** State, messages and value parsing shared by every zonecfg command. */
export abstract class SessionBase {
  readonly mode: InputMode;
  protected name: string;
  /** The name the configuration is saved under (the revert target); undefined if never saved. */
  protected savedName: string | undefined;
  protected config: ZoneConfig | undefined;
  protected state: ZoneStateName | undefined;
  /** The zone's host ids, once it has been readied or booted (shown by info). */
  protected idmap: ZoneIdmap | undefined;
  /** Why the stored configuration could not be read (the zone exists, its file is broken). */
  protected problem: string | undefined;
  protected scope: Scope | undefined;
  protected needsCommit = false;
  protected sawErrorFlag = false;
  /** A command printed an error (sets sawError); `-f` stops after such a command. */
  protected commandFailed = false;
  protected currentLine = 0;
  protected prefixedLine = -1;
  protected exitRequested = false;
  protected forceExit = false;
  /** Set when zonecfg "exits immediately" (a refused non-interactive confirmation): no commit. */
  protected aborted = false;
  protected everLoaded = false;
  /** What `revert` reloads when nothing was committed in this session: the -z name. */
  protected revertName: string;
  protected readonly readOnly: boolean;
  readonly schema: Schema;

  constructor(
    protected readonly backend: ConfigBackend,
    protected readonly io: SessionIO,
    protected readonly options: SessionOptions,
  ) {
    this.mode = options.mode;
    this.schema = options.schema ?? SCHEMA;
    this.name = options.zonename;
    this.revertName = options.zonename;
    this.readOnly = this.name.startsWith('SUNW') || !backend.writable(this.name);
    this.reload();
  }

  get zonename(): string {
    return this.name;
  }
  get prompt(): string {
    return this.scope ? `zonecfg:${this.name}:${this.scope.type}> ` : `zonecfg:${this.name}> `;
  }
  get inResourceScope(): boolean {
    return this.scope !== undefined;
  }
  get resourceScopeType(): string | undefined {
    return this.scope?.type;
  }
  get sawError(): boolean {
    return this.sawErrorFlag;
  }
  /** The session wants to end (exit, or a refusal that ends zonecfg). */
  get exited(): boolean {
    return this.exitRequested || this.aborted;
  }
  get isGlobalZone(): boolean {
    return this.name === 'global';
  }
  /** Questions can be asked only of someone at a terminal. */
  get interactive(): boolean {
    return this.mode === 'interactive';
  }
  protected get stopsOnError(): boolean {
    return this.mode === 'file' && this.options.fileName !== '-';
  }

  // ---------------------------------------------------------------- messages

  /** A zonecfg error: printed (with the `-f` line prefix) and remembered for the exit status. */
  protected error(...lines: string[]): void {
    this.sawErrorFlag = true;
    this.commandFailed = true;
    this.notice(...lines);
  }

  /** A message zonecfg prints through zerr without marking the session as failed. */
  protected notice(...lines: string[]): void {
    if (this.mode === 'file' && this.prefixedLine !== this.currentLine) {
      const file = this.options.fileName ?? '-';
      this.io.err(file === '-' ? `On line ${this.currentLine}:` : `On line ${this.currentLine} of ${file}:`);
      this.prefixedLine = this.currentLine;
    }
    for (const chunk of lines) for (const l of chunk.split('\n')) this.io.err(l);
  }

  protected plainErr(lines: string[]): void {
    for (const l of lines) this.io.err(l);
  }

  protected out(lines: string[]): void {
    for (const l of lines) this.io.out(l);
  }

  protected reportParseError(e: ParseError): void {
    if (e.kind === 'syntax') {
      this.sawErrorFlag = true;
      this.commandFailed = true;
      const near = e.near === '\n' ? '\\n' : e.near;
      if (e.atEnd) this.io.err('syntax error, token expected');
      else if (this.mode === 'file') this.io.err(`syntax error on line ${e.line} at '${near}'`);
      else this.io.err(`syntax error at '${near}'`);
      this.plainErr(subcommandsBlock(false));
      return;
    }
    this.usageError(e.command);
    if (e.help !== 'none') this.plainErr(['', ...usageErrorExtras(e.command, this.schema)]);
  }

  /** short_usage: a usage error of one command. */
  protected usageError(command: CommandName): void {
    this.sawErrorFlag = true;
    this.commandFailed = true;
    if (this.mode === 'file') {
      const file = this.options.fileName ?? '-';
      this.io.err(file === '-' ? `syntax error on line ${this.currentLine}` : `syntax error on line ${this.currentLine} of ${file}`);
    }
    this.plainErr(shortUsage(command));
  }

  /** What `help <command>` prints (and `<command> -?`). */
  protected commandHelp(command: CommandName): string[] {
    return longerUsage(command, this.schema);
  }

  /** long_usage to stderr, as an error, optionally followed by the resource or property list. */
  protected longUsageError(command: CommandName, extra?: 'resources' | 'props'): void {
    this.sawErrorFlag = true;
    this.commandFailed = true;
    this.plainErr(longUsage(command));
    if (extra === 'resources') this.plainErr(resourcesBlock(this.schema));
    if (extra === 'props') this.plainErr(propsBlock(this.schema));
  }

  // ---------------------------------------------------------------- state

  protected reload(): void {
    // Templates can be looked at (info, export) but never changed.
    let found: StoredZone | UnreadableZone | undefined;
    if (this.name.startsWith('SUNW')) {
      const t = this.backend.template(this.name);
      found = t ? { config: t, state: 'configured' } : undefined;
    } else {
      found = this.backend.lookup(this.name);
    }
    this.config = found?.config ? structuredClone(found.config) : undefined;
    this.state = found?.state;
    this.idmap = found?.config ? found.idmap : undefined;
    this.problem = found && !found.config ? found.problem : undefined;
    this.savedName = found ? this.name : undefined;
    this.needsCommit = false;
    this.scope = undefined;
    if (found?.config) this.everLoaded = true;
  }

  /** The configuration a command works on, or an error when the zone is not configured. */
  protected requireConfig(): ZoneConfig | undefined {
    if (!this.config && this.isGlobalZone) {
      // The global zone's resource-management settings exist implicitly (docs/reference.md#11-invocation-and-exit-status).
      const blank = this.backend.template('SUNWblank');
      if (blank) {
        blank.globals.zonename = 'global';
        this.config = blank;
        this.needsCommit = true;
      }
    }
    if (!this.config && this.problem) {
      // illumos initialize(): zone_perror(zone, Z_INVALID_DOCUMENT)
      this.error(`${this.name}: ${this.problem}`);
      return undefined;
    }
    if (!this.config) {
      this.error(`${this.name}: No such zone configured`);
      if (this.interactive && !this.readOnly && !this.everLoaded) this.io.out(`Use 'create' to begin configuring a new zone.`);
      return undefined;
    }
    return this.config;
  }

  protected installed(): boolean {
    return this.state !== undefined && STATE_ORDER[this.state] >= STATE_ORDER.installed;
  }

  protected dirty(): void {
    this.needsCommit = true;
  }

  // ---------------------------------------------------------------- dispatch

  /** Modifying commands refuse templates (SUNW*) and stores this user cannot write. */
  protected refusedReadOnly(cmd: Command): boolean {
    if (!this.readOnly || !MODIFYING.has(cmd.name)) return false;
    if (this.name.startsWith('SUNW')) this.error(`${this.name}: zones beginning with SUNW are read-only.`);
    else this.error(`${this.name}: cannot ${cmd.name} in read-only mode.`);
    return true;
  }

  /**
   * The option words of a command, as its getopt sees them: `-?` prints the command's help;
   * unknown options print help or a usage error (as illumos does per command); words that are
   * not options are a usage error. Returns the option letters, or undefined when handled.
   */
  protected getopt(cmd: Command, allowed: string, maxOperands = 0): { flags: Set<string>; operands: string[] } | undefined {
    const flags = new Set<string>();
    const operands: string[] = [];
    for (const a of cmd.argv) {
      if (a === '-?') {
        this.out(this.commandHelp(cmd.name));
        return undefined;
      }
      if (/^-./.test(a)) {
        const letters = a.slice(1);
        if ([...letters].every((ch) => allowed.includes(ch))) {
          for (const ch of letters) flags.add(ch);
          continue;
        }
        if (HELP_ON_BAD_OPTION.has(cmd.name)) this.out(this.commandHelp(cmd.name));
        else this.usageError(cmd.name);
        return undefined;
      }
      operands.push(a);
    }
    if (operands.length > maxOperands) {
      this.usageError(cmd.name);
      return undefined;
    }
    return { flags, operands };
  }

  // ---------------------------------------------------------------- values

  /** A simple (single-token) value, or an error for list/complex forms. */
  protected simpleValue(value: Value): string | undefined {
    if (value.kind === 'simple') return value.text;
    this.error('A simple value was expected here.');
    return undefined;
  }

  protected listOfSimple(value: Value): string[] | undefined {
    if (value.kind === 'simple') return [value.text];
    if (value.kind === 'list' && value.items.every((i) => i.kind === 'simple')) {
      return value.items.map((i) => (i as { text: string }).text);
    }
    this.error('A simple or list value was expected here.');
    return undefined;
  }

  /** Complex rctl values; the piece-level refusals only print, as in zonecfg. */
  protected listOfComplex(value: Value, message = 'A complex or list value was expected here.'): RctlValue[] | undefined {
    const items = value.kind === 'complex' ? [value] : value.kind === 'list' ? value.items : undefined;
    if (!items || items.some((i) => i.kind !== 'complex')) {
      this.error(message);
      return undefined;
    }
    const out: RctlValue[] = [];
    for (const item of items) {
      const rv = parseRctlValue((item as { pairs: Array<[string, string]> }).pairs);
      if (typeof rv === 'string') {
        this.notice(rv);
        return undefined;
      }
      out.push(rv);
    }
    return out;
  }

  /** name=value filters of select/remove/info, checked against the resource type. */
  protected filters(type: string, cmd: Command): Array<[string, string]> | undefined {
    const out: Array<[string, string]> = [];
    for (const p of cmd.pairs) {
      if (!this.schema.resourceProperty(type, p.name)) {
        this.error(`${p.name}: No such property type`);
        return undefined;
      }
      if (p.value.kind === 'complex') {
        const rv = parseRctlValue(p.value.pairs);
        if (typeof rv === 'string') {
          this.error(rv);
          return undefined;
        }
        out.push([p.name, formatRctlValue(rv)]);
        continue;
      }
      const v = this.simpleValue(p.value);
      if (v === undefined) return undefined;
      out.push([p.name, v]);
    }
    return out;
  }
}
