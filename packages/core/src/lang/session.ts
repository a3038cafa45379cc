/**
 * A zonecfg session: the global/resource scopes, the in-memory configuration and the rules of
 * zones-reference sections 1.4 and 1.5, with the messages and error accounting of illumos
 * zonecfg.c (docs/research/zonecfg-behaviour.md). It does no I/O of its own; the store, the
 * terminal and the output streams come in through small interfaces so every rule is unit-testable.
 *
 * Deliberate differences from illumos, each a bug there: `cancel` also undoes capped-cpu and
 * capped-memory settings (illumos wrote them at `set` time), `select` on a zone that does not
 * exist stays in the global scope, and `export` quotes any value the lexer would split, so an
 * exported file always replays.
 */
import type { Resource, ResourceType, RctlValue, ZoneConfig } from '../model/types.js';
import { globalProperty, isResourceProperty, rctlAlias, resourceProperty, resourceType } from '../model/schema.js';
import { clearAlias, formatRctlValue, parseRctlValue, setAlias } from '../model/rctl.js';
import {
  readCappedCpu,
  readCappedMemory,
  removeCappedCpu,
  removeCappedMemory,
  writeCappedCpu,
  writeCappedMemory,
} from '../model/capped.js';
import {
  GLOBAL_ZONE_MEMCAP_WARNING,
  GLOBAL_ZONE_RCTL_WARNING,
  checkAddResource,
  checkResourceEnd,
  checkSetGlobal,
  verifyReport,
} from '../model/validate.js';
import { checkResourceValue } from '../model/set-checks.js';
import { parse, type Command, type ParseError, type Statement, type Value } from './parser.js';
import type { CommandName } from './lexer.js';
import { VOCABULARY } from './vocabulary.js';
import { exportConfig, infoAll, infoGlobalProperty, infoResource, matchesFilters, visibleResources } from './render.js';
import {
  META_BLOCK,
  SYNTAX_BLOCK,
  helpFor,
  longUsage,
  longerUsage,
  propsBlock,
  resourcesBlock,
  shortUsage,
  subcommandsBlock,
  usageErrorExtras,
} from './help.js';
import { isValidZoneName } from './zonename.js';
import { ZONE_STATE_ORDER as STATE_ORDER, type ZoneState } from '../model/states.js';
import { errnoText } from '../errno.js';

/** The zone states the session cares about (configured, installed, ...), in libzonecfg order. */
export type ZoneStateName = ZoneState;

/** The configuration store, as the session needs it. */
export interface ConfigBackend {
  lookup(name: string): { config: ZoneConfig; state: ZoneStateName } | undefined;
  /** SUNWdefault, SUNWblank or a configured zone. */
  template(name: string): ZoneConfig | undefined;
  /** Commit: throws an Error whose message is the Solaris text on failure. */
  save(config: ZoneConfig, previousName: string | undefined): void;
  remove(name: string): void;
  writeFile(path: string, text: string): void;
  /** Whether this process may write the zone's configuration (else zonecfg is read-only). */
  writable(name: string): boolean;
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
}

interface Scope {
  type: ResourceType;
  working: Resource;
  /** Index in config.resources of the resource being edited by select; undefined for add. */
  replacing?: number;
}

const CAPPED: ReadonlySet<string> = new Set(['capped-cpu', 'capped-memory']);
const MODIFYING: ReadonlySet<string> = new Set(['add', 'clear', 'commit', 'create', 'delete', 'remove', 'revert', 'select', 'set', 'verify']);
/** Commands whose getopt accepts only -F (or nothing): any other option prints their help. */
const HELP_ON_BAD_OPTION: ReadonlySet<string> = new Set(['add', 'cancel', 'commit', 'delete', 'end', 'exit', 'remove', 'revert', 'verify']);
/** What `clear` may empty inside each resource scope. */
const CLEARABLE_IN_SCOPE: Readonly<Record<string, readonly string[]>> = {
  fs: ['raw'],
  'dedicated-cpu': ['importance'],
  'capped-memory': ['physical', 'swap', 'locked'],
};
/** Resources a `-z global` configuration cannot have. */
const NOT_FOR_GLOBAL_ZONE: ReadonlySet<string> = new Set(['fs', 'inherit-pkg-dir', 'net', 'device', 'attr', 'dataset']);

export class Session {
  readonly mode: InputMode;
  private name: string;
  /** The name the configuration is saved under (the revert target); undefined if never saved. */
  private savedName: string | undefined;
  private config: ZoneConfig | undefined;
  private state: ZoneStateName | undefined;
  private scope: Scope | undefined;
  private needsCommit = false;
  private sawErrorFlag = false;
  /** A command printed an error (sets sawError); `-f` stops after such a command. */
  private commandFailed = false;
  private currentLine = 0;
  private prefixedLine = -1;
  private exitRequested = false;
  private forceExit = false;
  /** Set when zonecfg "exits immediately" (a refused non-interactive confirmation): no commit. */
  private aborted = false;
  private everLoaded = false;
  /** What `revert` reloads when nothing was committed in this session: the -z name. */
  private revertName: string;
  private readonly readOnly: boolean;

  constructor(
    private readonly backend: ConfigBackend,
    private readonly io: SessionIO,
    private readonly options: SessionOptions,
  ) {
    this.mode = options.mode;
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
  private get stopsOnError(): boolean {
    return this.mode === 'file' && this.options.fileName !== '-';
  }

  /** What the interactive shell prints once at start (the seed's first screen). */
  greeting(): void {
    if (this.readOnly && !this.name.startsWith('SUNW')) {
      this.io.err(`WARNING: you do not have write access to this zone's configuration file;`);
      this.io.err('going into read-only mode.');
    }
    if (!this.config && !this.isGlobalZone) {
      this.io.err(`${this.name}: No such zone configured`);
      if (this.interactive && !this.readOnly) this.io.out(`Use 'create' to begin configuring a new zone.`);
    }
  }

  /**
   * Runs a chunk of command text (a line, a file, or joined argv). Returns false when the
   * session should end: `exit`, a refusal that ends zonecfg, or an error in `-f FILE` mode.
   */
  async run(text: string): Promise<boolean> {
    for (const st of parse(text, VOCABULARY)) {
      await this.runStatement(st);
      if (this.exited) return false;
      if (this.commandFailed && this.stopsOnError) return false;
    }
    return true;
  }

  /** After `exit` was answered "no" at a "really quit" question: keep reading commands. */
  resume(): void {
    this.exitRequested = false;
    this.forceExit = false;
  }

  private async runStatement(st: Statement): Promise<void> {
    this.commandFailed = false;
    if ('error' in st) {
      this.currentLine = st.error.line;
      this.reportParseError(st.error);
      return;
    }
    this.currentLine = st.command.line;
    await this.execute(st.command);
  }

  // ---------------------------------------------------------------- messages

  /** A zonecfg error: printed (with the `-f` line prefix) and remembered for the exit status. */
  private error(...lines: string[]): void {
    this.sawErrorFlag = true;
    this.commandFailed = true;
    this.notice(...lines);
  }

  /** A message zonecfg prints through zerr without marking the session as failed. */
  private notice(...lines: string[]): void {
    if (this.mode === 'file' && this.prefixedLine !== this.currentLine) {
      const file = this.options.fileName ?? '-';
      this.io.err(file === '-' ? `On line ${this.currentLine}:` : `On line ${this.currentLine} of ${file}:`);
      this.prefixedLine = this.currentLine;
    }
    for (const chunk of lines) for (const l of chunk.split('\n')) this.io.err(l);
  }

  private plainErr(lines: string[]): void {
    for (const l of lines) this.io.err(l);
  }

  private out(lines: string[]): void {
    for (const l of lines) this.io.out(l);
  }

  private reportParseError(e: ParseError): void {
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
    if (e.help !== 'none') this.plainErr(['', ...usageErrorExtras(e.command)]);
  }

  /** short_usage: a usage error of one command. */
  private usageError(command: CommandName): void {
    this.sawErrorFlag = true;
    this.commandFailed = true;
    if (this.mode === 'file') {
      const file = this.options.fileName ?? '-';
      this.io.err(file === '-' ? `syntax error on line ${this.currentLine}` : `syntax error on line ${this.currentLine} of ${file}`);
    }
    this.plainErr(shortUsage(command));
  }

  /** long_usage to stderr, as an error, optionally followed by the resource or property list. */
  private longUsageError(command: CommandName, extra?: 'resources' | 'props'): void {
    this.sawErrorFlag = true;
    this.commandFailed = true;
    this.plainErr(longUsage(command));
    if (extra === 'resources') this.plainErr(resourcesBlock());
    if (extra === 'props') this.plainErr(propsBlock());
  }

  // ---------------------------------------------------------------- state

  private reload(): void {
    // Templates can be looked at (info, export) but never changed.
    let found: { config: ZoneConfig; state: ZoneStateName } | undefined;
    if (this.name.startsWith('SUNW')) {
      const t = this.backend.template(this.name);
      found = t ? { config: t, state: 'configured' } : undefined;
    } else {
      found = this.backend.lookup(this.name);
    }
    this.config = found ? structuredClone(found.config) : undefined;
    this.state = found?.state;
    this.savedName = found ? this.name : undefined;
    this.needsCommit = false;
    this.scope = undefined;
    if (found) this.everLoaded = true;
  }

  /** The configuration a command works on, or an error when the zone is not configured. */
  private requireConfig(): ZoneConfig | undefined {
    if (!this.config && this.isGlobalZone) {
      // The global zone's resource-management settings exist implicitly (zones-reference 1.1).
      const blank = this.backend.template('SUNWblank');
      if (blank) {
        blank.globals.zonename = 'global';
        this.config = blank;
        this.needsCommit = true;
      }
    }
    if (!this.config) {
      this.error(`${this.name}: No such zone configured`);
      if (this.interactive && !this.readOnly && !this.everLoaded) this.io.out(`Use 'create' to begin configuring a new zone.`);
      return undefined;
    }
    return this.config;
  }

  private installed(): boolean {
    return this.state !== undefined && STATE_ORDER[this.state] >= STATE_ORDER.installed;
  }

  private dirty(): void {
    this.needsCommit = true;
  }

  // ---------------------------------------------------------------- dispatch

  /** Modifying commands refuse templates (SUNW*) and stores this user cannot write. */
  private refusedReadOnly(cmd: Command): boolean {
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
  private getopt(cmd: Command, allowed: string, maxOperands = 0): { flags: Set<string>; operands: string[] } | undefined {
    const flags = new Set<string>();
    const operands: string[] = [];
    for (const a of cmd.argv) {
      if (a === '-?') {
        this.out(longerUsage(cmd.name));
        return undefined;
      }
      if (/^-./.test(a)) {
        const letters = a.slice(1);
        if ([...letters].every((ch) => allowed.includes(ch))) {
          for (const ch of letters) flags.add(ch);
          continue;
        }
        if (HELP_ON_BAD_OPTION.has(cmd.name)) this.out(longerUsage(cmd.name));
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

  private async execute(cmd: Command): Promise<void> {
    switch (cmd.name) {
      case 'add':
        return this.add(cmd);
      case 'cancel':
        return this.cancel(cmd);
      case 'clear':
        return this.clear(cmd);
      case 'commit':
        return this.commitCommand(cmd);
      case 'create':
        return this.create(cmd);
      case 'delete':
        return this.deleteZone(cmd);
      case 'end':
        return this.end(cmd);
      case 'exit':
        return this.exit(cmd);
      case 'export':
        return this.exportCommand(cmd);
      case 'help':
        return this.help(cmd);
      case 'info':
        return this.info(cmd);
      case 'remove':
        return this.remove(cmd);
      case 'revert':
        return this.revert(cmd);
      case 'select':
        return this.select(cmd);
      case 'set':
        return this.set(cmd);
      case 'verify':
        return this.verify(cmd);
    }
  }

  // ---------------------------------------------------------------- create / delete / revert

  private async create(cmd: Command): Promise<void> {
    let force = false;
    let template = 'SUNWdefault';
    let attachPath: string | undefined;
    const argv = [...cmd.argv];
    while (argv.length > 0) {
      const a = argv.shift()!;
      if (a === '-?') return this.out(longerUsage('create'));
      if (a === '-F') force = true;
      else if (a === '-b') template = 'SUNWblank';
      else if (a === '-t' && argv.length > 0) template = argv.shift()!;
      else if (a === '-a' && argv.length > 0) attachPath = argv.shift()!;
      else return this.usageError('create');
    }
    if (this.refusedReadOnly(cmd)) return;
    if (this.isGlobalZone) return this.error(`${this.name}: Zone state is invalid for the requested operation`);
    if (this.savedName !== undefined) {
      if (this.installed()) return this.notice(`Zone ${this.name} already installed; create not allowed.`);
      if (force) {
        this.io.out(`Zone ${this.name} already exists; overwriting.`);
      } else if (!this.interactive) {
        this.error('Zone exists, input not from terminal and -F not specified:', 'create command ignored, exiting.');
        this.aborted = true;
        return;
      } else if (!(await this.io.confirm(`Zone ${this.name} already exists; create anyway (y/[n])? `))) {
        return;
      }
    }
    if (attachPath !== undefined) {
      // Detached zones carry their manifest; until zoneadm detach writes one there is nothing to read.
      this.io.err('invalid path to detached zone');
      return;
    }
    const base = this.backend.template(template);
    if (!base) return this.error(`${template}: No such zone configured`);
    const cfg = structuredClone(base);
    cfg.globals.zonename = this.name;
    this.config = cfg;
    this.scope = undefined;
    this.dirty();
  }

  private async deleteZone(cmd: Command): Promise<void> {
    const o = this.getopt(cmd, 'F');
    if (!o || this.refusedReadOnly(cmd)) return;
    const force = o.flags.has('F');
    if (this.isGlobalZone) return this.error(`${this.name}: Zone state is invalid for the requested operation`);
    if (!force) {
      if (!this.requireConfig()) return;
      if (!this.interactive) {
        this.error('Input not from terminal and -F not specified:', 'delete command ignored, exiting.');
        this.aborted = true;
        return;
      }
      if (!(await this.io.confirm(`Are you sure you want to delete zone ${this.name} (y/[n])? `))) return;
    }
    if (this.state && this.state !== 'configured' && !force) {
      return this.notice(`Zone ${this.name} not in configured state; delete not allowed.  Use -F to force delete.`);
    }
    if (this.state && STATE_ORDER[this.state] >= STATE_ORDER.ready) {
      return this.error(`${this.name}: Zone state is invalid for the requested operation`);
    }
    const stored = this.savedName ?? this.name;
    if (this.backend.lookup(stored)) {
      try {
        this.backend.remove(stored);
      } catch (e) {
        return this.error(`${this.name}: ${(e as Error).message}`);
      }
    } else if (!this.config) {
      return this.error(`${this.name}: No such zone configured`);
    }
    // Nothing is left to commit; the session goes on, and a new `create` may follow.
    this.reload();
    this.everLoaded = false;
    if (force && this.interactive) this.io.out(`Use 'create' to begin configuring a new zone.`);
  }

  private async revert(cmd: Command): Promise<void> {
    const o = this.getopt(cmd, 'F');
    if (!o || this.refusedReadOnly(cmd)) return;
    if (this.scope) {
      return this.error('You can only use revert in the global scope.', `Use 'cancel' to cancel changes to a resource specification.`);
    }
    if (!this.config) return this.error('No changes to revert.');
    if (!o.flags.has('F')) {
      if (!this.interactive) {
        this.error('Input not from terminal and -F not specified:', 'revert command ignored, exiting.');
        this.aborted = true;
        return;
      }
      if (!(await this.io.confirm('Are you sure you want to revert (y/[n])? '))) return;
    }
    const target = this.savedName ?? this.revertName;
    if (!this.backend.lookup(target)) return this.error(`${target}: no such saved zone to revert to.`);
    this.name = target;
    this.reload();
  }

  // ---------------------------------------------------------------- commit / verify / exit

  /** verify's messages plus the libzonecfg error zonecfg prints last as `<zone>: <error>`. */
  private verifyProblems(): { messages: string[]; error?: string } {
    const report = verifyReport(this.config!, { isGlobal: this.isGlobalZone });
    if (this.scope) {
      report.messages.push('resource specification incomplete');
      report.error ??= 'Insufficient specification';
    }
    return report;
  }

  private verify(cmd: Command): void {
    // illumos's leftover-argument test for verify is inverted: `verify foo` just verifies.
    if (!this.getopt(cmd, '', 1) || this.refusedReadOnly(cmd)) return;
    if (!this.requireConfig()) return;
    const { messages, error } = this.verifyProblems();
    if (messages.length === 0) return;
    this.error(...messages);
    if (error) this.error(`${this.name}: ${error}`);
  }

  private commitCommand(cmd: Command): void {
    if (!this.getopt(cmd, '') || this.refusedReadOnly(cmd)) return;
    this.commit();
  }

  /** verify + save. Returns whether the configuration is now on disk. */
  commit(): boolean {
    if (!this.requireConfig()) return false;
    const { messages, error } = this.verifyProblems();
    if (messages.length > 0) {
      this.error(...messages, `Zone ${this.name} failed to verify`);
      if (error) this.error(`${this.name}: ${error}`);
      return false;
    }
    try {
      this.backend.save(this.config!, this.savedName !== undefined && this.savedName !== this.name ? this.savedName : undefined);
    } catch (e) {
      this.error(`${this.name}: ${(e as Error).message}`);
      return false;
    }
    this.state = this.backend.lookup(this.name)?.state ?? 'configured';
    this.savedName = this.name;
    this.needsCommit = false;
    this.everLoaded = true;
    return true;
  }

  private async exit(cmd: Command): Promise<void> {
    const o = this.getopt(cmd, 'F');
    if (!o) return;
    const force = o.flags.has('F');
    if (this.scope && !force) {
      if (!this.interactive) {
        this.error('Resource incomplete, input not from terminal and -F not specified:', 'exit command ignored, but exiting anyway.');
        this.aborted = true;
        return;
      }
      if (!(await this.io.confirm('Resource incomplete; really quit (y/[n])? '))) return;
    }
    this.forceExit = force;
    this.exitRequested = true;
  }

  /**
   * End of the session (EOF, `exit`, end of the argv commands, or an error in `-f FILE`), as
   * zonecfg's cleanup(): auto-commit, `Resource incomplete.`, `Configuration not saved.`.
   * Returns the exit status, or -1 when the user chose to go on typing.
   */
  async finish(): Promise<number> {
    if (this.aborted) return 1;
    if (this.scope) {
      if (this.exitRequested || (this.commandFailed && this.stopsOnError)) {
        this.sawErrorFlag = true;
      } else if (!this.interactive) {
        this.notice('Resource incomplete.');
        return 1;
      } else if (!(await this.io.confirm('Resource incomplete; really quit (y/[n])? '))) {
        this.resume();
        return -1;
      }
    }
    if (this.needsCommit && this.config) {
      this.commit();
      if (this.needsCommit) {
        if (this.forceExit || !this.interactive) {
          this.notice('Configuration not saved.');
          return 1;
        }
        if (!(await this.io.confirm('Configuration not saved; really quit (y/[n])? '))) {
          this.resume();
          return -1;
        }
      }
    }
    return this.needsCommit || this.sawErrorFlag ? 1 : 0;
  }

  // ---------------------------------------------------------------- export / info / help

  private exportCommand(cmd: Command): void {
    let file: string | undefined;
    const argv = [...cmd.argv];
    while (argv.length > 0) {
      const a = argv.shift()!;
      if (a === '-?') return this.out(longerUsage('export'));
      if (a === '-f' && argv.length > 0) file = argv.shift()!;
      else return this.usageError('export');
    }
    const cfg = this.requireConfig();
    if (!cfg) return;
    const lines = exportConfig(cfg, { isGlobalZone: this.isGlobalZone });
    if (file === undefined) return this.out(lines);
    try {
      this.backend.writeFile(file, lines.join('\n') + '\n');
    } catch (e) {
      this.notice(`opening file ${file}: ${errnoText(e as NodeJS.ErrnoException)}`);
    }
  }

  private info(cmd: Command): void {
    const cfg = this.requireConfig();
    if (!cfg) return;
    if (this.scope) return this.out(infoResource(this.scope.working));
    if (!cmd.target) return this.out(infoAll(cfg, { isGlobalZone: this.isGlobalZone }));
    if (globalProperty(cmd.target) || rctlAlias(cmd.target)) {
      const g = globalProperty(cmd.target);
      if (this.isGlobalZone && g && !g.globalZoneAllowed) {
        return this.notice(`${cmd.target} is not a valid property for the global zone.`);
      }
      return this.out(infoGlobalProperty(cfg, cmd.target));
    }
    if (this.isGlobalZone && NOT_FOR_GLOBAL_ZONE.has(cmd.target)) {
      return this.notice(`${cmd.target} is not a valid resource for the global zone.`);
    }
    const filters = this.filters(cmd.target, cmd);
    if (!filters) return;
    const matching = visibleResources(cfg).filter((r) => r.type === cmd.target && matchesFilters(r, filters));
    for (const r of matching) this.out(infoResource(r));
    if (matching.length === 0 && filters.length > 0) this.io.out(`No such ${cmd.target} resource.`);
  }

  private help(cmd: Command): void {
    const topic = cmd.argv[0];
    const lines = helpFor(topic, this.scope?.type);
    if (lines) return this.out(lines);
    // Not an error in zonecfg: the subject line runs straight into the meta help.
    this.plainErr([`Unknown help subject ${topic}.  ${META_BLOCK[0]}`, ...META_BLOCK.slice(1)]);
  }

  // ---------------------------------------------------------------- set / clear

  private set(cmd: Command): void {
    const pair = cmd.pairs[0]!;
    let force = false;
    for (const a of cmd.argv) {
      if (a === '-?') return this.out(longerUsage('set'));
      if (a === '-F') force = true;
      else return this.usageError('set');
    }
    if (this.refusedReadOnly(cmd)) return;
    if (this.scope) return this.setResourceProperty(pair.name, pair.value);

    const g = globalProperty(pair.name);
    const alias = rctlAlias(pair.name);
    if (this.isGlobalZone && g && !g.globalZoneAllowed) {
      return this.error(`${pair.name} is not a valid property for the global zone.`);
    }
    if (!g && !alias) return this.error('Cannot set a resource-specific property from the global scope.');
    // The grammar takes -F only before zonepath.
    if (force && !this.options.alternateRoot) return this.error('Zonepath is changeable only in an alternate root.');
    const value = this.simpleValue(pair.value);
    if (value === undefined) return;

    if (pair.name === 'zonename') return this.rename(value);
    const cfg = this.requireConfig();
    if (!cfg) return;
    if (alias) {
      if (this.isGlobalZone && alias.alias !== 'cpu-shares') this.notice(GLOBAL_ZONE_RCTL_WARNING);
      const problem = setAlias(cfg, alias.alias, value);
      if (problem) return this.error(problem);
      return this.dirty();
    }
    if ((pair.name === 'zonepath' || pair.name === 'brand') && this.installed() && !force) {
      return this.notice(`Zone ${this.name} already installed; set ${pair.name} not allowed.`);
    }
    const problem = checkSetGlobal(cfg, pair.name, value, this.isGlobalZone);
    if (problem) return this.error(problem);
    cfg.globals[g!.name] = g!.normalize ? g!.normalize(value) : value;
    this.dirty();
  }

  private rename(value: string): void {
    if (value === this.name) return;
    const bogus = () => this.error(`${value}: Bogus zone name`, '', ...SYNTAX_BLOCK);
    if (!isValidZoneName(value) || value.startsWith('SUNW')) return bogus();
    if (!this.config) {
      // Before anything is loaded, set zonename just chooses which zone to configure.
      this.name = value;
      this.revertName = value;
      this.reload();
      return;
    }
    if (this.isGlobalZone) return bogus();
    if (this.state && this.state !== 'configured' && this.state !== 'installed') {
      return this.error(`${value}: Zone state is invalid for the requested operation`, '', ...SYNTAX_BLOCK);
    }
    if (this.backend.lookup(value)) return this.error(`${value}: Zone name already in use`, '', ...SYNTAX_BLOCK);
    this.config.globals.zonename = value;
    this.name = value;
    this.dirty();
  }

  private clear(cmd: Command): void {
    const name = cmd.target!;
    if (this.refusedReadOnly(cmd)) return;
    if (this.scope) {
      if (!(CLEARABLE_IN_SCOPE[this.scope.type] ?? []).includes(name)) {
        return this.error(`${name}: Clearing this property is not allowed`);
      }
      delete this.scope.working.props[name];
      return;
    }
    const g = globalProperty(name);
    if (this.isGlobalZone && g && !g.globalZoneAllowed) {
      return this.error(`${name} is not a valid property for the global zone.`);
    }
    const cfg = this.requireConfig();
    if (!cfg) return;
    const alias = rctlAlias(name);
    if (alias) {
      const problem = clearAlias(cfg, alias.alias);
      if (problem) return this.error(problem);
      return this.dirty();
    }
    if (!g) {
      this.error(`${name}: No such property type`);
      return this.longUsageError('clear', 'props');
    }
    if (!g.clearable) return this.error(`${name}: Clearing this property is not allowed`);
    cfg.globals[g.name] = g.clearTo ?? '';
    this.dirty();
  }

  // ---------------------------------------------------------------- values

  /** A simple (single-token) value, or an error for list/complex forms. */
  private simpleValue(value: Value): string | undefined {
    if (value.kind === 'simple') return value.text;
    this.error('A simple value was expected here.');
    return undefined;
  }

  private listOfSimple(value: Value): string[] | undefined {
    if (value.kind === 'simple') return [value.text];
    if (value.kind === 'list' && value.items.every((i) => i.kind === 'simple')) {
      return value.items.map((i) => (i as { text: string }).text);
    }
    this.error('A simple or list value was expected here.');
    return undefined;
  }

  /** Complex rctl values; the piece-level refusals only print, as in zonecfg. */
  private listOfComplex(value: Value, message = 'A complex or list value was expected here.'): RctlValue[] | undefined {
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
  private filters(type: string, cmd: Command): Array<[string, string]> | undefined {
    const out: Array<[string, string]> = [];
    for (const p of cmd.pairs) {
      if (!resourceProperty(type, p.name)) {
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

  // ---------------------------------------------------------------- resources

  private add(cmd: Command): void {
    // `add <word>`: an option gets add's help, anything else its usage.
    if (cmd.argv.length > 0) {
      if (this.getopt(cmd, '')) this.usageError('add');
      return;
    }
    if (this.refusedReadOnly(cmd)) return;
    const cfg = this.requireConfig();
    if (!cfg) return;
    if (this.scope) {
      if (!cmd.propValue) return this.longUsageError('add');
      return this.addToProperty(cmd.propValue.name, cmd.propValue.value);
    }
    if (!cmd.target) return this.longUsageError('add');
    const type = cmd.target as ResourceType;
    if (this.isGlobalZone && NOT_FOR_GLOBAL_ZONE.has(type)) {
      return this.error(`Cannot add a ${type} resource to the global zone.`);
    }
    if (type === 'inherit-pkg-dir' && this.installed()) {
      return this.notice(`Zone ${this.name} already installed; add inherit-pkg-dir not allowed.`);
    }
    if (type === 'rctl' && this.isGlobalZone) this.notice(GLOBAL_ZONE_RCTL_WARNING);
    // The singleton refusals only print in zonecfg; the session stays in the global scope.
    const refused = checkAddResource(cfg, type, this.isGlobalZone);
    if (refused) return this.notice(refused);
    if (type === 'capped-cpu' && readCappedCpu(cfg)) return this.notice('The capped-cpu resource already exists.');
    if (type === 'capped-memory') {
      if (readCappedMemory(cfg)) return this.notice('The capped-memory resource or a related resource control already exists.');
      if (this.isGlobalZone) this.notice(GLOBAL_ZONE_MEMCAP_WARNING);
    }
    if (resourceType(type)?.single && cfg.resources.some((r) => r.type === type)) {
      return this.notice(`The ${type} resource already exists.`);
    }
    this.scope = { type, working: { type, props: {} } };
  }

  private addToProperty(name: string, value: Value): void {
    const scope = this.scope!;
    const prop = resourceProperty(scope.type, name);
    if (!prop || prop.kind === 'simple') {
      if (scope.type === 'fs' || scope.type === 'rctl') {
        this.error(`${name}: No such property type`);
        return this.longUsageError('add', 'props');
      }
      this.error(`${scope.type}: No such resource type`);
      return this.longUsageError('add', 'resources');
    }
    if (prop.kind === 'list') {
      const items = this.listOfSimple(value);
      if (!items) return;
      scope.working.props[name] = [...((scope.working.props[name] as string[] | undefined) ?? []), ...items];
      return;
    }
    const vals = this.listOfComplex(value);
    if (!vals) return;
    scope.working.props[name] = [...((scope.working.props[name] as RctlValue[] | undefined) ?? []), ...vals];
  }

  private setResourceProperty(name: string, value: Value): void {
    const scope = this.scope!;
    const prop = resourceProperty(scope.type, name);
    if (!prop) {
      this.error(`${name}: No such property type`);
      return this.longUsageError('set', 'props');
    }
    if (prop.kind === 'list') {
      const items = value.kind === 'list' && value.items.length === 0 ? [] : this.listOfSimple(value);
      if (items) scope.working.props[name] = items;
      return;
    }
    if (prop.kind === 'complex') {
      const vals = value.kind === 'list' && value.items.length === 0 ? [] : this.listOfComplex(value);
      if (vals) scope.working.props[name] = vals;
      return;
    }
    const v = this.simpleValue(value);
    if (v === undefined) return;
    const problem = checkResourceValue(this.config!, scope.type, name, v, this.isGlobalZone);
    if (problem) {
      if (problem.isError) return this.error(problem.message);
      this.notice(problem.message);
      return;
    }
    scope.working.props[name] = v;
  }

  private select(cmd: Command): void {
    if (this.refusedReadOnly(cmd)) return;
    if (this.scope) return this.error('The select command only makes sense in the global scope.');
    const cfg = this.requireConfig();
    if (!cfg) return;
    const type = cmd.target as ResourceType;
    if (type === 'inherit-pkg-dir' && this.state && this.state !== 'configured') {
      return this.notice(`Zone ${this.name} not in configured state; select inherit-pkg-dir not allowed.`);
    }
    const filters = this.filters(type, cmd);
    if (!filters) return this.error(`select ${type}: Insufficient specification`);
    if (CAPPED.has(type)) {
      const view = type === 'capped-cpu' ? readCappedCpu(cfg) : readCappedMemory(cfg);
      if (!view) {
        return this.error(type === 'capped-memory' ? `select ${type}: No such resource type` : `select ${type}: No such resource with that id`);
      }
      this.scope = { type, working: structuredClone(view) };
      return;
    }
    const candidates = cfg.resources
      .map((r, i) => [r, i] as const)
      .filter(([r]) => r.type === type && matchesFilters(r, filters));
    if (candidates.length === 0) return this.error(`select ${type}: No such resource with that id`);
    if (candidates.length > 1) return this.error(`select ${type}: Insufficient specification`);
    const [res, index] = candidates[0]!;
    this.scope = { type, working: structuredClone(res), replacing: index };
  }

  private async remove(cmd: Command): Promise<void> {
    const o = this.getopt(cmd, 'F');
    if (!o || this.refusedReadOnly(cmd)) return;
    if (this.scope) {
      if (!cmd.propValue) return this.longUsageError('remove');
      return this.removeFromProperty(cmd.propValue.name, cmd.propValue.value);
    }
    if (!cmd.target) return this.longUsageError('remove');
    const type = cmd.target as ResourceType;
    if (this.isGlobalZone && NOT_FOR_GLOBAL_ZONE.has(type)) {
      return this.error(`${type} is not a valid resource for the global zone.`);
    }
    const cfg = this.requireConfig();
    if (!cfg) return;
    const filters = this.filters(type, cmd);
    if (!filters) return this.error(`remove ${type}: Insufficient specification`);
    if (type === 'inherit-pkg-dir' && this.installed()) {
      return this.notice(`Zone ${this.name} already installed; remove inherit-pkg-dir not allowed.`);
    }
    if (CAPPED.has(type)) {
      const problem = type === 'capped-cpu' ? removeCappedCpu(cfg) : removeCappedMemory(cfg);
      if (problem) return this.error(problem);
      return this.dirty();
    }
    const matching = cfg.resources.filter((r) => r.type === type && matchesFilters(r, filters));
    if (filters.length > 0) {
      if (matching.length === 0) return this.error(`remove ${type}: No such resource with that id`);
      if (matching.length > 1) return this.error(`remove ${type}: Insufficient specification`);
    } else if (matching.length === 0) {
      return this.error(resourceType(type)?.single ? `remove ${type}: No such resource with that id` : `remove ${type}: No such entry`);
    } else if (matching.length > 1 && !o.flags.has('F')) {
      if (!this.interactive) {
        return this.error(
          'There are multiple instances of this resource.  Either qualify the resource to',
          'remove a single instance or use the -F option to remove all instances.',
        );
      }
      if (!(await this.io.confirm(`Are you sure you want to remove ALL '${type}' resources (y/[n])? `))) return;
    }
    cfg.resources = cfg.resources.filter((r) => !matching.includes(r));
    this.dirty();
  }

  private removeFromProperty(name: string, value: Value): void {
    const scope = this.scope!;
    const prop = resourceProperty(scope.type, name);
    if (scope.type === 'net' && name === 'defrouter') {
      delete scope.working.props[name];
      return;
    }
    if (!prop || prop.kind === 'simple') {
      if (scope.type === 'fs' || scope.type === 'rctl' || scope.type === 'net') {
        this.error(`${name}: No such property type`);
        return this.longUsageError('remove', 'props');
      }
      this.error(`${scope.type}: No such resource type`);
      return this.longUsageError('remove', 'resources');
    }
    if (prop.kind === 'list') {
      const items = this.listOfSimple(value);
      if (!items) return;
      const cur = [...((scope.working.props[name] as string[] | undefined) ?? [])];
      for (const item of items) {
        const at = cur.indexOf(item);
        if (at < 0) return this.error(`${name}: No such entry`);
        cur.splice(at, 1);
      }
      scope.working.props[name] = cur;
      return;
    }
    const vals = this.listOfComplex(value, 'A complex value was expected here.');
    if (!vals) return;
    const cur = [...((scope.working.props[name] as RctlValue[] | undefined) ?? [])];
    for (const v of vals) {
      const at = cur.findIndex((c) => formatRctlValue(c) === formatRctlValue(v));
      if (at < 0) return this.error(`${name}: No such entry`);
      cur.splice(at, 1);
    }
    scope.working.props[name] = cur;
  }

  private end(cmd: Command): void {
    if (!this.getopt(cmd, '')) return;
    const scope = this.scope;
    if (!scope) return this.error('The end command only makes sense in the resource scope.');
    const cfg = this.config!;
    if (CAPPED.has(scope.type)) {
      const candidate = structuredClone(cfg);
      const problem =
        scope.type === 'capped-cpu'
          ? writeCappedCpu(candidate, scope.working)
          : writeCappedMemory(candidate, scope.working, { isGlobal: this.isGlobalZone });
      if (problem) return this.error(problem);
      this.config = candidate;
    } else {
      const problems = checkResourceEnd(scope.working, cfg, scope.replacing, this.isGlobalZone);
      if (problems.length > 0) return this.error(...problems);
      if (scope.replacing !== undefined) cfg.resources[scope.replacing] = scope.working;
      else cfg.resources.push(scope.working);
    }
    this.scope = undefined;
    this.dirty();
  }

  private cancel(cmd: Command): void {
    if (!this.getopt(cmd, '')) return;
    if (!this.scope) return this.error('The cancel command only makes sense in the resource scope.');
    this.scope = undefined;
  }
}
