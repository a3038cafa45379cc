/**
 * A zonecfg session: the global/resource scopes, the in-memory configuration and the rules of
 * docs/reference.md#14-subcommands and docs/reference.md#15-end-of-session-and-auto-commit, with the messages and error accounting of illumos
 * zonecfg.c (docs/research/zonecfg-behaviour.md). It does no I/O of its own; the store, the
 * terminal and the output streams come in through small interfaces so every rule is unit-testable.
 *
 * Deliberate differences from illumos, each a bug there: `cancel` also undoes capped-cpu and
 * capped-memory settings (illumos wrote them at `set` time), `select` on a zone that does not
 * exist stays in the global scope, and `export` quotes any value the lexer would split, so an
 * exported file always replays.
 */
import type { ZoneConfig } from '../model/types.js';
import { setGlobalValue } from '../model/schema.js';
import { clearAlias, setAlias } from '../model/rctl.js';
import {
  GLOBAL_ZONE_RCTL_WARNING,
  checkSetGlobal,
  globalZonePropertyError,
  globalZoneResourceError,
  verifyReport,
} from '../model/validate.js';
import { INFO_JSON, parse, type Command, type Statement } from './parser.js';
import { vocabularyOf } from './vocabulary.js';
import { globalPropertyJson, infoAllJson, resourceJson, type InfoJson } from './render-json.js';
import { exportConfig, infoAll, infoGlobalProperty, infoResource, matchesFilters, visibleResources } from './render.js';
import { META_BLOCK, SYNTAX_BLOCK, helpFor } from './help.js';
import { isValidZoneName } from './zonename.js';
import { ZONE_STATE_ORDER as STATE_ORDER } from '../model/states.js';
import { errnoText } from '../errno.js';
import { ResourceCommands } from './resource-commands.js';

export type { ConfigBackend, InputMode, SessionIO, SessionOptions, StoredZone, UnreadableZone, ZoneStateName } from './session-base.js';

/** A store failure (ZoneStoreError's shape: a libzonecfg code and its text), told apart from a bug. */
function isStoreFailure(e: unknown): e is Error {
  const code = (e as { code?: unknown } | undefined)?.code;
  return e instanceof Error && typeof code === 'string' && code.startsWith('Z_');
}

export class Session extends ResourceCommands {
  /** What the interactive shell prints once at start (the seed's first screen). */
  greeting(): void {
    if (this.readOnly && !this.name.startsWith('SUNW')) {
      this.io.err(`WARNING: you do not have write access to this zone's configuration file;`);
      this.io.err('going into read-only mode.');
    }
    if (!this.config && this.problem) {
      this.io.err(`${this.name}: ${this.problem}`);
    } else if (!this.config && !this.isGlobalZone) {
      this.io.err(`${this.name}: No such zone configured`);
      if (this.interactive && !this.readOnly) this.io.out(`Use 'create' to begin configuring a new zone.`);
    }
  }

  /**
   * Runs a chunk of command text (a line, a file, or joined argv). Returns false when the
   * session should end: `exit`, a refusal that ends zonecfg, or an error in `-f FILE` mode.
   */
  async run(text: string): Promise<boolean> {
    for (const st of parse(text, vocabularyOf(this.schema))) {
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
    try {
      await this.execute(st.command);
    } catch (e) {
      // A store that fails under a command (an unreadable index, a template that is a broken
      // zone...) is that command's error, in libzonecfg's `<zone>: <error>` form.
      if (!isStoreFailure(e)) throw e;
      this.error(`${this.name}: ${e.message}`);
    }
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

  /** create and delete work on the stored configuration only: a running zone is neither made nor removed by -r. */
  private refusedLive(command: string): boolean {
    if (!this.options.live) return false;
    this.error(`${this.name}: ${command} is not allowed on the live configuration of a running zone (-r)`);
    return true;
  }

  private async create(cmd: Command): Promise<void> {
    let force = false;
    let template = 'SUNWdefault';
    let attachPath: string | undefined;
    let imagePath: string | undefined;
    const argv = [...cmd.argv];
    while (argv.length > 0) {
      const a = argv.shift()!;
      if (a === '-?') return this.out(this.commandHelp('create'));
      if (a === '-F') force = true;
      else if (a === '-b') template = 'SUNWblank';
      else if (a === '-t' && argv.length > 0) template = argv.shift()!;
      else if (a === '-a' && argv.length > 0) attachPath = argv.shift()!;
      else if (a === '-o' && argv.length > 0) imagePath = argv.shift()!;
      else return this.usageError('create');
    }
    if (this.refusedReadOnly(cmd) || this.refusedLive('create')) return;
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
    let base: ZoneConfig | undefined;
    if (attachPath !== undefined) {
      // The configuration travels in the manifest `zoneadm detach` wrote; plain messages, as illumos.
      const found = await this.backend.detached(attachPath);
      if (found === 'no-manifest') return this.io.err('invalid path to detached zone');
      if (found === 'invalid-manifest') return this.io.err('Cannot attach to an earlier release of the operating system');
      base = { ...found, globals: { ...found.globals, zonepath: attachPath } };
    } else if (imagePath !== undefined) {
      // Ours: the configuration an OCI image's labels carry (docs/oci-image.md#the-way-back).
      const found = this.backend.image ? await this.backend.image(imagePath, this.name) : { error: 'create -o is not available here' };
      if ('error' in found) return this.error(found.error);
      for (const note of found.notes) this.io.err(note);
      base = found.config;
    } else {
      base = this.backend.template(template);
      if (!base) return this.error(`${template}: No such zone configured`);
    }
    const cfg = structuredClone(base);
    cfg.globals.zonename = this.name;
    this.config = cfg;
    this.scope = undefined;
    this.dirty();
  }

  private async deleteZone(cmd: Command): Promise<void> {
    const o = this.getopt(cmd, 'F');
    if (!o || this.refusedReadOnly(cmd) || this.refusedLive('delete')) return;
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
    const stored = this.savedName ?? this.name;
    // zonecfg_destroy: a zone in the kernel (ready, running, shutting down) is never deleted, even
    // with -F; the index only knows configured, incomplete and installed.
    const state = (this.state && (await this.backend.runtimeState?.(stored))) || this.state;
    if (state && state !== 'configured' && !force) {
      return this.notice(`Zone ${this.name} not in configured state; delete not allowed.  Use -F to force delete.`);
    }
    if (state && STATE_ORDER[state] >= STATE_ORDER.ready) {
      return this.error(`${this.name}: Zone state is invalid for the requested operation`);
    }
    if (this.backend.lookup(stored)) {
      try {
        await this.backend.releaseHostRecords?.(stored);
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
    const report = verifyReport(this.config!, { isGlobal: this.isGlobalZone, schema: this.schema });
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

  private async commitCommand(cmd: Command): Promise<void> {
    if (!this.getopt(cmd, '') || this.refusedReadOnly(cmd)) return;
    await this.commit();
  }

  /** verify + save (live mode: verify, apply to the running zone, save). Returns whether the configuration is now on disk. */
  async commit(): Promise<boolean> {
    if (!this.requireConfig()) return false;
    const { messages, error } = this.verifyProblems();
    if (messages.length > 0) {
      this.error(...messages, `Zone ${this.name} failed to verify`);
      if (error) this.error(`${this.name}: ${error}`);
      return false;
    }
    try {
      if (this.options.live) {
        for (const w of await this.backend.commitLive!(this.config!)) this.notice(`${this.name}: ${w}`);
      } else {
        this.backend.save(this.config!, this.savedName !== undefined && this.savedName !== this.name ? this.savedName : undefined);
      }
    } catch (e) {
      // A live refusal names each change on a line of its own.
      const lines = this.options.live ? (e as Error).message.split('\n') : [(e as Error).message];
      this.error(...lines.map((l) => `${this.name}: ${l}`));
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
      await this.commit();
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
      if (a === '-?') return this.out(this.commandHelp('export'));
      if (a === '-f' && argv.length > 0) file = argv.shift()!;
      else return this.usageError('export');
    }
    const cfg = this.requireConfig();
    if (!cfg) return;
    const lines = exportConfig(cfg, { isGlobalZone: this.isGlobalZone, schema: this.schema });
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
    const schema = this.schema;
    const json = cmd.argv.includes(INFO_JSON);
    const outJson = (v: InfoJson) => this.out([JSON.stringify(v)]);
    if (this.scope) return json ? outJson({ resources: [resourceJson(this.scope.working, schema)] }) : this.out(infoResource(this.scope.working, schema));
    if (!cmd.target) {
      const opts = { isGlobalZone: this.isGlobalZone, idmap: this.idmap, schema };
      return json ? outJson(infoAllJson(cfg, opts)) : this.out(infoAll(cfg, opts));
    }
    if (schema.globalProperty(cmd.target) || schema.rctlAlias(cmd.target)) {
      const refused = this.isGlobalZone && globalZonePropertyError(cmd.target, schema);
      if (refused) return this.notice(refused);
      return json ? outJson(globalPropertyJson(cfg, cmd.target, schema)) : this.out(infoGlobalProperty(cfg, cmd.target, schema));
    }
    const refused = this.isGlobalZone && globalZoneResourceError(cmd.target, schema);
    if (refused) return this.notice(refused);
    const filters = this.filters(cmd.target, cmd);
    if (!filters) return;
    const matching = visibleResources(cfg, schema).filter((r) => r.type === cmd.target && matchesFilters(r, filters));
    if (json) return outJson({ resources: matching.map((r) => resourceJson(r, schema)) });
    for (const r of matching) this.out(infoResource(r, schema));
    if (matching.length === 0 && filters.length > 0) this.io.out(`No such ${cmd.target} resource.`);
  }

  private help(cmd: Command): void {
    const topic = cmd.argv[0];
    const lines = helpFor(topic, this.scope?.type, this.schema);
    if (lines) return this.out(lines);
    // Not an error in zonecfg: the subject line runs straight into the meta help.
    this.plainErr([`Unknown help subject ${topic}.  ${META_BLOCK[0]}`, ...META_BLOCK.slice(1)]);
  }

  // ---------------------------------------------------------------- set / clear

  private set(cmd: Command): void {
    const pair = cmd.pairs[0]!;
    let force = false;
    for (const a of cmd.argv) {
      if (a === '-?') return this.out(this.commandHelp('set'));
      if (a === '-F') force = true;
      else return this.usageError('set');
    }
    if (this.refusedReadOnly(cmd)) return;
    if (this.scope) return this.setResourceProperty(pair.name, pair.value);

    const g = this.schema.globalProperty(pair.name);
    const alias = this.schema.rctlAlias(pair.name);
    const refused = this.isGlobalZone && globalZonePropertyError(pair.name, this.schema);
    if (refused) return this.error(refused);
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
      const problem = setAlias(cfg, alias, value);
      if (problem) return this.error(problem);
      return this.dirty();
    }
    if ((pair.name === 'zonepath' || pair.name === 'brand') && this.installed() && !force) {
      return this.notice(`Zone ${this.name} already installed; set ${pair.name} not allowed.`);
    }
    const problem = checkSetGlobal(cfg, pair.name, value, this.isGlobalZone, this.schema);
    if (problem) return this.error(problem);
    setGlobalValue(cfg, g!.name, g!.normalize ? g!.normalize(value) : value);
    this.dirty();
  }

  private rename(value: string): void {
    if (value === this.name) return;
    const bogus = () => this.error(`${value}: Bogus zone name`, '', ...SYNTAX_BLOCK);
    if (!isValidZoneName(value) || value.startsWith('SUNW')) return bogus();
    // An existing zone with an unreadable file cannot be renamed (illumos initialize() fails).
    if (!this.config && this.problem) return void this.requireConfig();
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
      if (!this.schema.resourceProperty(this.scope.type, name)?.clearable) {
        return this.error(`${name}: Clearing this property is not allowed`);
      }
      delete this.scope.working.props[name];
      return;
    }
    const g = this.schema.globalProperty(name);
    const refused = this.isGlobalZone && globalZonePropertyError(name, this.schema);
    if (refused) return this.error(refused);
    const cfg = this.requireConfig();
    if (!cfg) return;
    const alias = this.schema.rctlAlias(name);
    if (alias) {
      const problem = clearAlias(cfg, alias);
      if (problem) return this.error(problem);
      return this.dirty();
    }
    if (!g) {
      this.error(`${name}: No such property type`);
      return this.longUsageError('clear', 'props');
    }
    if (!g.clearable) return this.error(`${name}: Clearing this property is not allowed`);
    setGlobalValue(cfg, g.name, g.default);
    this.dirty();
  }
}
