/** zonecfg resource commands: add, select, remove, end, cancel and property values in a scope. */
import type { ResourceType, RctlValue } from '../model/types.js';
import { formatRctlValue } from '../model/rctl.js';
import { readCappedCpu, readCappedMemory, removeCappedCpu, removeCappedMemory, writeCappedCpu, writeCappedMemory } from '../model/capped.js';
import {
  GLOBAL_ZONE_MEMCAP_WARNING,
  GLOBAL_ZONE_RCTL_WARNING,
  checkAddResource,
  checkResourceEnd,
  globalZoneResourceError,
} from '../model/validate.js';
import { checkResourceValue } from '../model/set-checks.js';
import { type Command, type Value } from './parser.js';
import { matchesFilters } from './render.js';
import { SessionBase, CAPPED } from './session-base.js';

/** The commands that create, pick, change and close resources (add, select, remove, end, cancel). */
export abstract class ResourceCommands extends SessionBase {
  // ---------------------------------------------------------------- resources

  protected add(cmd: Command): void {
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
    if (this.isGlobalZone && this.schema.resourceType(type)?.globalZoneAllowed === false) {
      return this.error(`Cannot add a ${type} resource to the global zone.`);
    }
    if (type === 'inherit-pkg-dir' && this.installed()) {
      return this.notice(`Zone ${this.name} already installed; add inherit-pkg-dir not allowed.`);
    }
    if (type === 'rctl' && this.isGlobalZone) this.notice(GLOBAL_ZONE_RCTL_WARNING);
    // The singleton refusals only print in zonecfg; the session stays in the global scope.
    const refused = checkAddResource(cfg, type, this.isGlobalZone, this.schema);
    if (refused) return this.notice(refused);
    if (type === 'capped-cpu' && readCappedCpu(cfg)) return this.notice('The capped-cpu resource already exists.');
    if (type === 'capped-memory') {
      if (readCappedMemory(cfg)) return this.notice('The capped-memory resource or a related resource control already exists.');
      if (this.isGlobalZone) this.notice(GLOBAL_ZONE_MEMCAP_WARNING);
    }
    if (this.schema.resourceType(type)?.single && cfg.resources.some((r) => r.type === type)) {
      return this.notice(`The ${type} resource already exists.`);
    }
    this.scope = { type, working: { type, props: {} } };
  }

  protected addToProperty(name: string, value: Value): void {
    const scope = this.scope!;
    const prop = this.schema.resourceProperty(scope.type, name);
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

  protected setResourceProperty(name: string, value: Value): void {
    const scope = this.scope!;
    const prop = this.schema.resourceProperty(scope.type, name);
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

  protected select(cmd: Command): void {
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

  protected async remove(cmd: Command): Promise<void> {
    const o = this.getopt(cmd, 'F');
    if (!o || this.refusedReadOnly(cmd)) return;
    if (this.scope) {
      if (!cmd.propValue) return this.longUsageError('remove');
      return this.removeFromProperty(cmd.propValue.name, cmd.propValue.value);
    }
    if (!cmd.target) return this.longUsageError('remove');
    const type = cmd.target as ResourceType;
    const refused = this.isGlobalZone && globalZoneResourceError(type, this.schema);
    if (refused) return this.error(refused);
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
      return this.error(this.schema.resourceType(type)?.single ? `remove ${type}: No such resource with that id` : `remove ${type}: No such entry`);
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

  protected removeFromProperty(name: string, value: Value): void {
    const scope = this.scope!;
    const prop = this.schema.resourceProperty(scope.type, name);
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

  protected end(cmd: Command): void {
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
      const problems = checkResourceEnd(scope.working, cfg, scope.replacing, this.isGlobalZone, {}, this.schema);
      if (problems.length > 0) return this.error(...problems);
      if (scope.replacing !== undefined) cfg.resources[scope.replacing] = scope.working;
      else cfg.resources.push(scope.working);
    }
    this.scope = undefined;
    this.dirty();
  }

  protected cancel(cmd: Command): void {
    if (!this.getopt(cmd, '')) return;
    if (!this.scope) return this.error('The cancel command only makes sense in the resource scope.');
    this.scope = undefined;
  }
}
