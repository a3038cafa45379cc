/**
 * A zonecfg session: the global/resource scopes, the in-memory configuration and the rules of
 * zones-reference sections 1.4 and 1.5. It does no I/O of its own; the store, the terminal and the
 * output streams come in through small interfaces so every rule is unit-testable.
 */
import type { Resource, ResourceType, RctlValue, ZoneConfig } from '../model/types.js';
import {
  GLOBAL_PROPERTIES,
  RCTL_ALIASES,
  RESOURCE_TYPES,
  globalProperty,
  isResourceProperty,
  rctlAlias,
  resourceProperty,
  resourceType,
} from '../model/schema.js';
import { clearAlias, formatRctlValue, parseRctlValue, setAlias } from '../model/rctl.js';
import {
  readCappedCpu,
  readCappedMemory,
  removeCappedCpu,
  removeCappedMemory,
  writeCappedCpu,
  writeCappedMemory,
} from '../model/capped.js';
import { parseSize } from '../model/size.js';
import { checkAddResource, checkResourceEnd, checkSetGlobal, verifyReport } from '../model/validate.js';
import { parse, type Command, type ParseError, type Statement, type Value } from './parser.js';
import { VOCABULARY } from './vocabulary.js';
import { exportConfig, infoAll, infoGlobalProperty, infoResource, matchesFilters, visibleResources } from './render.js';
import { commandSummary, helpText, shortUsage, type HelpTopic } from './help.js';
import { isValidZoneName } from './zonename.js';

export type ZoneStateName =
  | 'configured'
  | 'incomplete'
  | 'installed'
  | 'ready'
  | 'running'
  | 'shutting_down'
  | 'down'
  | 'mounted';

const STATE_ORDER: Record<ZoneStateName, number> = {
  configured: 0,
  incomplete: 1,
  installed: 2,
  ready: 3,
  running: 4,
  shutting_down: 5,
  down: 6,
  mounted: 7,
};

/** The configuration store, as the session needs it. */
export interface ConfigBackend {
  lookup(name: string): { config: ZoneConfig; state: ZoneStateName } | undefined;
  /** SUNWdefault, SUNWblank or a configured zone, renamed by the caller. */
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

export type InputMode = 'interactive' | 'stdin' | 'file' | 'argv';

export interface SessionOptions {
  zonename: string;
  mode: InputMode;
  /** For `-f FILE`: the name used in `On line N of FILE:`. */
  fileName?: string;
}

interface Scope {
  type: ResourceType;
  working: Resource;
  /** Index in config.resources of the resource being edited (select), undefined for add. */
  replacing?: number;
  /** True when the scope was entered with select (so end replaces, cancel restores). */
  selected: boolean;
}

const CAPPED: ReadonlySet<string> = new Set(['capped-cpu', 'capped-memory']);
const MODIFYING: ReadonlySet<string> = new Set(['add', 'clear', 'commit', 'create', 'delete', 'remove', 'revert', 'select', 'set']);

export class Session {
  readonly mode: InputMode;
  private name: string;
  private savedName: string | undefined;
  private config: ZoneConfig | undefined;
  private state: ZoneStateName | undefined;
  private scope: Scope | undefined;
  private needsCommit = false;
  private sawErrorFlag = false;
  private commandFailed = false;
  private currentLine = 0;
  private exitRequested = false;
  private prefixPrinted = false;
  private readonly readOnly: boolean;

  constructor(
    private readonly backend: ConfigBackend,
    private readonly io: SessionIO,
    private readonly options: SessionOptions,
  ) {
    this.mode = options.mode;
    this.name = options.zonename;
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
  get exited(): boolean {
    return this.exitRequested;
  }
  get isGlobalZone(): boolean {
    return this.name === 'global';
  }
  /** Interactive = commands typed at a terminal: prompts, confirmations, hints. */
  get interactive(): boolean {
    return this.mode === 'interactive';
  }

  /** What the interactive shell prints once at start (the seed's first screen). */
  greeting(): void {
    if (this.readOnly && !this.name.startsWith('SUNW')) {
      this.io.err(`WARNING: you do not have write access to this zone's configuration file;`);
      this.io.err('going into read-only mode.');
    }
    if (!this.config && this.interactive && !this.isGlobalZone) {
      this.io.err(`${this.name}: No such zone configured`);
      this.io.out(`Use 'create' to begin configuring a new zone.`);
    }
  }

  /** Runs a chunk of command text (a line, a file, or joined argv). Returns false to stop. */
  async run(text: string): Promise<boolean> {
    const statements = parse(text, VOCABULARY);
    for (const st of statements) {
      if (this.exitRequested) return false;
      const ok = await this.runStatement(st);
      if (!ok && this.mode === 'file') return false;
    }
    return !this.exitRequested;
  }

  private async runStatement(st: Statement): Promise<boolean> {
    this.commandFailed = false;
    this.prefixPrinted = false;
    if ('error' in st) {
      this.currentLine = st.error.line;
      this.reportParseError(st.error);
      return false;
    }
    this.currentLine = st.command.line;
    await this.execute(st.command);
    return !this.commandFailed;
  }

  private reportParseError(e: ParseError): void {
    this.sawErrorFlag = true;
    this.commandFailed = true;
    if (e.kind === 'syntax') {
      const near = e.near === '\n' ? '\\n' : e.near;
      if (e.atEnd) this.io.err('syntax error, token expected');
      else if (this.mode === 'file') this.io.err(`syntax error on line ${e.line} at '${near}'`);
      else this.io.err(`syntax error at '${near}'`);
      for (const l of commandSummary()) this.io.err(l);
      return;
    }
    this.usage(e.command, e.help);
  }

  // ---------------------------------------------------------------- messages

  private error(message: string): void {
    this.sawErrorFlag = true;
    this.commandFailed = true;
    if (this.mode === 'file' && !this.prefixPrinted) {
      this.io.err(`On line ${this.currentLine} of ${this.options.fileName ?? '-'}:`);
      this.prefixPrinted = true;
    }
    this.io.err(message);
  }

  private usage(command: string, help: 'res-props' | 'props' | 'none' = 'none'): void {
    this.error(shortUsage(command));
    if (help !== 'none') {
      this.io.err('');
      for (const l of helpText(help === 'res-props' ? 'resources-and-properties' : 'properties')) this.io.err(l);
    }
  }

  // ---------------------------------------------------------------- state

  private reload(): void {
    // Templates can be looked at (info, export) but never changed.
    const found = this.name.startsWith('SUNW')
      ? (() => {
          const t = this.backend.template(this.name);
          return t ? { config: t, state: 'configured' as const } : undefined;
        })()
      : this.backend.lookup(this.name);
    this.config = found ? structuredClone(found.config) : undefined;
    this.state = found?.state;
    this.savedName = found ? this.name : undefined;
    this.needsCommit = false;
    this.scope = undefined;
  }

  /** The configuration a command works on, or an error when the zone is not configured. */
  private requireConfig(): ZoneConfig | undefined {
    if (!this.config && this.isGlobalZone) {
      // The global zone's resource-management settings exist implicitly (zones-reference 1.1).
      this.config = this.backend.template('SUNWblank');
      if (this.config) this.config.globals.zonename = 'global';
    }
    if (!this.config) {
      this.error(`${this.name}: No such zone configured`);
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

  private async execute(cmd: Command): Promise<void> {
    if (this.refusedReadOnly(cmd)) return;
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

  /** For commands that take no options: any word is a usage error. */
  private noArgs(cmd: Command): boolean {
    if (cmd.argv.length > 0) {
      this.usage(cmd.name);
      return false;
    }
    return true;
  }

  /** Parses `-F`-style flags; returns undefined (after printing usage) on anything else. */
  private flags(cmd: Command, allowed: string): Set<string> | undefined {
    const seen = new Set<string>();
    for (const a of cmd.argv) {
      if (!/^-[A-Za-z]$/.test(a) || !allowed.includes(a[1]!)) {
        this.usage(cmd.name);
        return undefined;
      }
      seen.add(a[1]!);
    }
    return seen;
  }

  // ---------------------------------------------------------------- create / delete / revert

  private async create(cmd: Command): Promise<void> {
    if (this.scope) return this.globalOnly('create');
    let force = false;
    let template = 'SUNWdefault';
    let attachPath: string | undefined;
    const argv = [...cmd.argv];
    while (argv.length > 0) {
      const a = argv.shift()!;
      if (a === '-F') force = true;
      else if (a === '-b') template = 'SUNWblank';
      else if ((a === '-t' || a === '-a') && argv.length > 0) {
        if (a === '-t') template = argv.shift()!;
        else attachPath = argv.shift()!;
      } else return this.usage('create');
    }
    if (attachPath !== undefined) return this.error('invalid path to detached zone');
    if (this.isGlobalZone) return this.error(`${this.name}: Zone state is invalid for the requested operation`);
    if (this.savedName !== undefined) {
      if (this.installed()) return this.error(`Zone ${this.name} already installed; create not allowed.`);
      if (!force) {
        if (!this.interactive) {
          this.error('Zone exists, input not from terminal and -F not specified:');
          this.io.err('create command ignored, exiting.');
          this.exitRequested = true;
          return;
        }
        if (!(await this.io.confirm(`Zone ${this.name} already exists; create anyway (y/[n])? `))) return;
      }
    }
    const base = this.backend.template(template);
    if (!base) return this.error(`${template}: No such zone configured`);
    const cfg = structuredClone(base);
    cfg.globals.zonename = this.name;
    this.config = cfg;
    this.dirty();
  }

  private async deleteZone(cmd: Command): Promise<void> {
    const f = this.flags(cmd, 'F');
    if (!f) return;
    const force = f.has('F');
    if (this.isGlobalZone) return this.error(`delete: Zone state is invalid for the requested operation`);
    if (this.state && this.state !== 'configured' && !force) {
      return this.error(`Zone ${this.name} not in configured state; delete not allowed.  Use -F to force delete.`);
    }
    if (this.state && STATE_ORDER[this.state] >= STATE_ORDER.ready) {
      return this.error(`Zone ${this.name} not in configured state; delete not allowed.`);
    }
    if (!force) {
      if (!this.interactive) {
        this.error('Input not from terminal and -F not specified:');
        this.io.err('delete command ignored, exiting.');
        this.exitRequested = true;
        return;
      }
      if (!(await this.io.confirm(`Are you sure you want to delete zone ${this.name} (y/[n])? `))) return;
    }
    if (this.savedName !== undefined) {
      try {
        this.backend.remove(this.savedName);
      } catch (e) {
        return this.error(`${this.name}: ${(e as Error).message}`);
      }
    } else if (!this.config) {
      return this.error(`${this.name}: No such zone configured`);
    }
    // Solaris exits the session after a delete: nothing is left to edit or commit.
    this.config = undefined;
    this.savedName = undefined;
    this.state = undefined;
    this.scope = undefined;
    this.needsCommit = false;
    this.exitRequested = true;
  }

  private async revert(cmd: Command): Promise<void> {
    if (this.scope) {
      this.error('You can only use revert in the global scope.');
      this.io.err(`Use 'cancel' to cancel changes to a resource specification.`);
      return;
    }
    const f = this.flags(cmd, 'F');
    if (!f) return;
    if (this.savedName === undefined && this.backend.lookup(this.name) === undefined) {
      return this.error(`${this.name}: no such saved zone to revert to.`);
    }
    if (!this.needsCommit) return this.error('No changes to revert.');
    if (!f.has('F')) {
      if (!this.interactive) {
        this.error('Input not from terminal and -F not specified:');
        this.io.err('revert command ignored, exiting.');
        this.exitRequested = true;
        return;
      }
      if (!(await this.io.confirm('Are you sure you want to revert (y/[n])? '))) return;
    }
    if (this.savedName !== undefined) this.name = this.savedName;
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
    if (!this.noArgs(cmd)) return;
    if (!this.requireConfig()) return;
    const { messages, error } = this.verifyProblems();
    for (const m of messages) this.error(m);
    if (error) this.error(`${this.name}: ${error}`);
  }

  private commitCommand(cmd: Command): void {
    if (!this.noArgs(cmd)) return;
    this.commit();
  }

  /** verify + save. Returns whether the configuration is now on disk. */
  commit(): boolean {
    if (!this.requireConfig()) return false;
    const { messages, error } = this.verifyProblems();
    if (messages.length > 0) {
      for (const m of messages) this.error(m);
      this.error(`Zone ${this.name} failed to verify`);
      if (error) this.error(`${this.name}: ${error}`);
      return false;
    }
    if (!this.needsCommit && this.savedName === this.name) return true;
    try {
      this.backend.save(this.config!, this.savedName !== this.name ? this.savedName : undefined);
    } catch (e) {
      this.error(`${this.name}: ${(e as Error).message}`);
      return false;
    }
    const found = this.backend.lookup(this.name);
    this.state = found?.state ?? 'configured';
    this.savedName = this.name;
    this.needsCommit = false;
    return true;
  }

  private async exit(cmd: Command): Promise<void> {
    const f = this.flags(cmd, 'F');
    if (!f) return;
    const force = f.has('F');
    if (this.scope) {
      if (!force) {
        if (!this.interactive) {
          this.error('Resource incomplete, input not from terminal and -F not specified:');
          this.io.err('exit command ignored, but exiting anyway.');
          this.exitRequested = true;
          this.needsCommit = false;
          return;
        }
        if (!(await this.io.confirm('Resource incomplete; really quit (y/[n])? '))) return;
      }
      this.scope = undefined;
    }
    if (this.needsCommit && !this.commit()) {
      if (force || !this.interactive) {
        this.io.err('Configuration not saved.');
      } else if (!(await this.io.confirm('Configuration not saved; really quit (y/[n])? '))) {
        return;
      }
    }
    this.exitRequested = true;
  }

  /**
   * End of input (EOF, end of a file or of the argv commands) without `exit`: the rules of
   * zones-reference 1.5. Returns the exit status.
   */
  async finish(): Promise<number> {
    if (!this.exitRequested) {
      if (this.scope) {
        if (this.interactive && (await this.io.confirm('Resource incomplete; really quit (y/[n])? '))) {
          this.scope = undefined;
        } else if (!this.interactive) {
          this.sawErrorFlag = true;
          this.io.err('Resource incomplete.');
          return 1;
        } else {
          return -1; // the user wants to go on: the shell keeps reading
        }
      }
      if (this.needsCommit && !this.commit()) {
        if (this.interactive && !(await this.io.confirm('Configuration not saved; really quit (y/[n])? '))) {
          return -1;
        }
        this.io.err('Configuration not saved.');
        this.sawErrorFlag = true;
      }
    }
    return this.sawErrorFlag || this.needsCommit ? 1 : 0;
  }

  // ---------------------------------------------------------------- export / info / help

  private exportCommand(cmd: Command): void {
    let file: string | undefined;
    if (cmd.argv.length > 0) {
      if (cmd.argv[0] !== '-f' || cmd.argv.length !== 2) return this.usage('export');
      file = cmd.argv[1];
    }
    const cfg = this.requireConfig();
    if (!cfg) return;
    const text = exportConfig(cfg, { isGlobalZone: this.isGlobalZone }).join('\n') + '\n';
    if (file === undefined) {
      for (const l of text.slice(0, -1).split('\n')) this.io.out(l);
      return;
    }
    try {
      this.backend.writeFile(file, text);
    } catch (e) {
      this.error(`opening file ${file}: ${(e as Error).message}`);
    }
  }

  private info(cmd: Command): void {
    if (this.scope) {
      for (const l of infoResource(this.scope.working)) this.io.out(l);
      return;
    }
    const cfg = this.requireConfig();
    if (!cfg) return;
    if (!cmd.target) {
      for (const l of infoAll(cfg, { isGlobalZone: this.isGlobalZone })) this.io.out(l);
      return;
    }
    if (globalProperty(cmd.target) || rctlAlias(cmd.target)) {
      for (const l of infoGlobalProperty(cfg, cmd.target)) this.io.out(l);
      return;
    }
    if (!resourceType(cmd.target)) return this.usage('info', 'res-props');
    const filters = this.simplePairs(cmd);
    if (!filters) return;
    const matching = visibleResources(cfg).filter((r) => r.type === cmd.target && matchesFilters(r, filters));
    if (matching.length === 0) {
      if (filters.length > 0) this.error(`No such ${cmd.target} resource.`);
      return;
    }
    for (const r of matching) for (const l of infoResource(r)) this.io.out(l);
  }

  private help(cmd: Command): void {
    const topic = cmd.argv[0];
    const lines = helpText((topic ?? (this.scope ? `scope:${this.scope.type}` : 'general')) as HelpTopic);
    if (lines.length === 0) {
      this.error(`Unknown help subject ${topic}.`);
      for (const l of helpText('meta')) this.io.err(l);
      return;
    }
    for (const l of lines) this.io.out(l);
  }

  // ---------------------------------------------------------------- set / clear

  private set(cmd: Command): void {
    const pair = cmd.pairs[0]!;
    const force = cmd.argv[0] === '-F';
    if (cmd.argv.length > 0 && !force) return this.usage('set');
    if (this.scope) return this.setResourceProperty(pair.name, pair.value);
    if (isResourceProperty(pair.name) && !globalProperty(pair.name) && !rctlAlias(pair.name)) {
      return this.error('Cannot set a resource-specific property from the global scope.');
    }
    if (pair.name === 'zonename' && !this.config) {
      // Before create, set zonename just chooses the name being configured.
      const v = this.simpleValue(pair.name, pair.value);
      if (v === undefined) return;
      if (!this.checkNewName(v)) return;
      this.name = v;
      this.reload();
      return;
    }
    const cfg = this.requireConfig();
    if (!cfg) return;
    const value = this.simpleValue(pair.name, pair.value);
    if (value === undefined) return;
    if (this.isGlobalZone && !this.allowedForGlobalZone(pair.name)) {
      return this.error(`${pair.name} is not a valid property for the global zone.`);
    }
    const alias = rctlAlias(pair.name);
    if (alias) {
      const err = setAlias(cfg, alias.alias, value);
      if (err) return this.error(err);
      return this.dirty();
    }
    const spec = globalProperty(pair.name)!;
    if (pair.name === 'zonename') return this.rename(value);
    if ((pair.name === 'zonepath' || pair.name === 'brand') && this.installed() && !force) {
      return this.error(`Zone ${this.name} already installed; set ${pair.name} not allowed.`);
    }
    const problem = checkSetGlobal(cfg, pair.name, value, this.isGlobalZone);
    if (problem) return this.error(problem);
    (cfg.globals as Record<string, string>)[pair.name] = spec.normalize ? spec.normalize(value) : value;
    this.dirty();
  }

  private allowedForGlobalZone(name: string): boolean {
    const g = globalProperty(name);
    return g ? g.globalZoneAllowed : true;
  }

  private checkNewName(value: string): boolean {
    if (!isValidZoneName(value)) {
      this.error(`${value}: Bogus zone name`);
      return false;
    }
    return true;
  }

  private rename(value: string): void {
    if (value === this.name) return;
    if (this.isGlobalZone || value === 'global' || value.startsWith('SUNW') || !isValidZoneName(value)) {
      return this.error(`${value}: Bogus zone name`);
    }
    if (this.state && this.state !== 'configured' && this.state !== 'installed') {
      return this.error(`${this.name}: Zone state is invalid for the requested operation`);
    }
    if (this.backend.lookup(value)) return this.error(`${this.name}: Zone name already in use`);
    this.config!.globals.zonename = value;
    this.name = value;
    this.dirty();
  }

  private clear(cmd: Command): void {
    const name = cmd.target!;
    if (this.scope) {
      const clearable: Record<string, string[]> = {
        fs: ['raw'],
        'dedicated-cpu': ['importance'],
        'capped-memory': ['physical', 'swap', 'locked'],
        net: ['defrouter', 'allowed-address', 'address'],
      };
      if (!resourceProperty(this.scope.type, name)) return this.error(`${name}: No such property type`);
      if (!(clearable[this.scope.type] ?? []).includes(name)) {
        return this.error(`${name}: Clearing this property is not allowed`);
      }
      delete this.scope.working.props[name];
      return;
    }
    const cfg = this.requireConfig();
    if (!cfg) return;
    const alias = rctlAlias(name);
    if (alias) {
      const problem = clearAlias(cfg, alias.alias);
      if (problem) return this.error(problem);
      return this.dirty();
    }
    const spec = globalProperty(name);
    if (!spec) {
      if (isResourceProperty(name)) return this.error('Cannot set a resource-specific property from the global scope.');
      return this.error(`${name}: No such property type`);
    }
    if (!spec.clearable) return this.error(`${name}: Clearing this property is not allowed`);
    (cfg.globals as Record<string, string>)[name] = spec.clearTo ?? '';
    this.dirty();
  }

  // ---------------------------------------------------------------- values

  /** A simple (single-token) value, or an error for list/complex forms. */
  private simpleValue(prop: string, value: Value): string | undefined {
    if (value.kind === 'simple') return value.text;
    if (value.kind === 'list' && value.items.length === 1 && value.items[0]!.kind === 'simple') {
      return value.items[0]!.text;
    }
    this.error(`A simple value was expected here.`);
    void prop;
    return undefined;
  }

  private simplePairs(cmd: Command): Array<[string, string]> | undefined {
    const out: Array<[string, string]> = [];
    for (const p of cmd.pairs) {
      if (p.value.kind === 'complex') {
        const rv = parseRctlValue(p.value.pairs);
        if (typeof rv === 'string') {
          this.error(rv);
          return undefined;
        }
        out.push([p.name, formatRctlValue(rv)]);
        continue;
      }
      const v = this.simpleValue(p.name, p.value);
      if (v === undefined) return undefined;
      out.push([p.name, v]);
    }
    return out;
  }

  private listOfSimple(value: Value): string[] | undefined {
    if (value.kind === 'simple') return [value.text];
    if (value.kind === 'list' && value.items.every((i) => i.kind === 'simple')) {
      return value.items.map((i) => (i as { text: string }).text);
    }
    this.error('A simple or list value was expected here.');
    return undefined;
  }

  private listOfComplex(value: Value): RctlValue[] | undefined {
    const items = value.kind === 'complex' ? [value] : value.kind === 'list' ? value.items : undefined;
    if (!items || items.some((i) => i.kind !== 'complex')) {
      this.error('A complex value was expected here.');
      return undefined;
    }
    const out: RctlValue[] = [];
    for (const item of items) {
      const rv = parseRctlValue((item as { pairs: Array<[string, string]> }).pairs);
      if (typeof rv === 'string') {
        this.error(rv);
        return undefined;
      }
      out.push(rv);
    }
    return out;
  }

  // ---------------------------------------------------------------- resources

  private globalOnly(command: string): void {
    this.error(`The ${command} command only makes sense in the global scope.`);
  }

  private add(cmd: Command): void {
    if (this.scope) {
      if (!cmd.propValue) {
        if (cmd.target) return this.error(`Cannot add a resource of type ${cmd.target} from the ${this.scope.type} scope.`);
        return this.usage('add', 'res-props');
      }
      return this.addToProperty(cmd.propValue.name, cmd.propValue.value);
    }
    if (!cmd.target) {
      if (cmd.propValue) return this.error('Cannot add a property from the global scope.');
      return this.error(`${cmd.argv[0]}: No such resource type`);
    }
    const cfg = this.requireConfig();
    if (!cfg) return;
    const type = cmd.target as ResourceType;
    const spec = resourceType(type)!;
    if (type === 'inherit-pkg-dir' && this.installed()) {
      return this.error(`Zone ${this.name} already installed; add inherit-pkg-dir not allowed.`);
    }
    const refused = checkAddResource(cfg, type, this.isGlobalZone);
    if (refused) return this.error(refused);
    if (spec.single && visibleResources(cfg).some((r) => r.type === type)) {
      if (type === 'capped-memory') return this.error('The capped-memory resource or a related resource control already exists.');
      return this.error(`The ${type} resource already exists.`);
    }
    this.scope = { type, working: { type, props: {} }, selected: false };
  }

  private addToProperty(name: string, value: Value): void {
    const scope = this.scope!;
    const prop = resourceProperty(scope.type, name);
    if (!prop) return this.error(`${name}: No such property type`);
    if (prop.kind === 'simple') return this.error(`Cannot add a value to the simple property ${name}.`);
    if (prop.kind === 'list') {
      const items = this.listOfSimple(value);
      if (!items) return;
      const cur = (scope.working.props[name] as string[] | undefined) ?? [];
      scope.working.props[name] = [...cur, ...items];
      return;
    }
    const vals = this.listOfComplex(value);
    if (!vals) return;
    const cur = (scope.working.props[name] as RctlValue[] | undefined) ?? [];
    scope.working.props[name] = [...cur, ...vals];
  }

  private setResourceProperty(name: string, value: Value): void {
    const scope = this.scope!;
    const prop = resourceProperty(scope.type, name);
    if (!prop) {
      if (globalProperty(name) || rctlAlias(name)) {
        return this.error(`Cannot set a global property from the ${scope.type} scope.`);
      }
      return this.error(`${name}: No such property type`);
    }
    if (prop.kind === 'list') {
      const items = value.kind === 'list' && value.items.length === 0 ? [] : this.listOfSimple(value);
      if (!items) return;
      scope.working.props[name] = items;
      return;
    }
    if (prop.kind === 'complex') {
      const vals = value.kind === 'list' && value.items.length === 0 ? [] : this.listOfComplex(value);
      if (!vals) return;
      scope.working.props[name] = vals;
      return;
    }
    const v = this.simpleValue(name, value);
    if (v === undefined) return;
    if (scope.type === 'capped-memory' && parseSize(v) === undefined) {
      return this.error('A positive number with a required scale suffix (K, M, G or T) was expected here.');
    }
    scope.working.props[name] = v;
  }

  private select(cmd: Command): void {
    if (this.scope) return this.globalOnly('select');
    const cfg = this.requireConfig();
    if (!cfg) return;
    const type = cmd.target as ResourceType;
    const filters = this.simplePairs(cmd);
    if (!filters) return;
    if (CAPPED.has(type)) {
      const view = type === 'capped-cpu' ? readCappedCpu(cfg) : readCappedMemory(cfg);
      if (!view) return this.error(`select ${type}: No such resource with that id`);
      this.scope = { type, working: structuredClone(view), selected: true };
      return;
    }
    const candidates = cfg.resources
      .map((r, i) => [r, i] as const)
      .filter(([r]) => r.type === type && matchesFilters(r, filters));
    if (candidates.length === 0) return this.error(`select ${type}: No such resource with that id`);
    if (candidates.length > 1) return this.error(`select ${type}: Insufficient specification`);
    const [res, index] = candidates[0]!;
    this.scope = { type, working: structuredClone(res), replacing: index, selected: true };
  }

  private async remove(cmd: Command): Promise<void> {
    if (this.scope) {
      if (!cmd.propValue) return this.usage('remove', 'res-props');
      return this.removeFromProperty(cmd.propValue.name, cmd.propValue.value);
    }
    if (cmd.propValue) return this.error('Cannot remove a property from the global scope.');
    const force = cmd.argv[0] === '-F';
    if (cmd.argv.length > 0 && !force) return this.usage('remove');
    const cfg = this.requireConfig();
    if (!cfg) return;
    const type = cmd.target as ResourceType;
    if (type === 'inherit-pkg-dir' && this.installed()) {
      return this.error(`Zone ${this.name} already installed; remove inherit-pkg-dir not allowed.`);
    }
    const filters = this.simplePairs(cmd);
    if (!filters) return;
    if (CAPPED.has(type)) {
      const view = type === 'capped-cpu' ? readCappedCpu(cfg) : readCappedMemory(cfg);
      if (!view) return this.error(`remove ${type}: No such entry`);
      if (type === 'capped-cpu') removeCappedCpu(cfg);
      else removeCappedMemory(cfg);
      return this.dirty();
    }
    const matching = cfg.resources.filter((r) => r.type === type && matchesFilters(r, filters));
    if (matching.length === 0) {
      return this.error(filters.length > 0 ? `remove ${type}: No such resource with that id` : `remove ${type}: No such entry`);
    }
    if (filters.length > 0 && matching.length > 1) return this.error(`remove ${type}: Insufficient specification`);
    if (filters.length === 0 && matching.length > 1 && !force) {
      if (!this.interactive) {
        this.error('There are multiple instances of this resource.  Either qualify the resource to');
        this.io.err('remove a single instance or use the -F option to remove all instances.');
        return;
      }
      if (!(await this.io.confirm(`Are you sure you want to remove ALL '${type}' resources (y/[n])? `))) return;
    }
    cfg.resources = cfg.resources.filter((r) => !matching.includes(r));
    this.dirty();
  }

  private removeFromProperty(name: string, value: Value): void {
    const scope = this.scope!;
    const prop = resourceProperty(scope.type, name);
    if (!prop) return this.error(`${name}: No such property type`);
    if (prop.kind === 'simple') {
      if (name === 'defrouter' && scope.type === 'net') {
        delete scope.working.props[name];
        return;
      }
      return this.error(`Cannot remove a value from the simple property ${name}.`);
    }
    if (prop.kind === 'list') {
      const items = this.listOfSimple(value);
      if (!items) return;
      const cur = (scope.working.props[name] as string[] | undefined) ?? [];
      for (const item of items) {
        const at = cur.indexOf(item);
        if (at < 0) return this.error(`${name}: No such entry`);
        cur.splice(at, 1);
      }
      scope.working.props[name] = cur;
      return;
    }
    const vals = this.listOfComplex(value);
    if (!vals) return;
    const cur = (scope.working.props[name] as RctlValue[] | undefined) ?? [];
    for (const v of vals) {
      const at = cur.findIndex((c) => formatRctlValue(c) === formatRctlValue(v));
      if (at < 0) return this.error(`${name}: No such entry`);
      cur.splice(at, 1);
    }
    scope.working.props[name] = cur;
  }

  private end(cmd: Command): void {
    if (!this.noArgs(cmd)) return;
    const scope = this.scope;
    if (!scope) return this.error('The end command only makes sense in the resource scope.');
    const cfg = this.config!;
    if (CAPPED.has(scope.type)) {
      const candidate = structuredClone(cfg);
      const err =
        scope.type === 'capped-cpu'
          ? writeCappedCpu(candidate, scope.working)
          : writeCappedMemory(candidate, scope.working, { isGlobal: this.isGlobalZone });
      if (err) return this.error(err);
      this.config = candidate;
    } else {
      const problems = checkResourceEnd(scope.working, cfg, scope.replacing, this.isGlobalZone);
      if (problems.length > 0) {
        for (const p of problems) this.error(p);
        return;
      }
      if (scope.replacing !== undefined) cfg.resources[scope.replacing] = scope.working;
      else cfg.resources.push(scope.working);
    }
    this.scope = undefined;
    this.dirty();
  }

  private cancel(cmd: Command): void {
    if (!this.noArgs(cmd)) return;
    if (!this.scope) return this.error('The cancel command only makes sense in the resource scope.');
    this.scope = undefined;
  }
}

/** Every name the tab completer and the lexer know, straight from the schema table. */
export const SCHEMA_WORDS = {
  globals: GLOBAL_PROPERTIES.map((g) => g.name),
  aliases: RCTL_ALIASES.map((a) => a.alias),
  resources: RESOURCE_TYPES.map((r) => r.type),
};
