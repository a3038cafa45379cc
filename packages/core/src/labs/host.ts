/**
 * What a lab's check may look at: the zones of one ZONES_ROOT (configurations, states), the
 * processes of the host and of each zone (the process tools' snapshot), the zones' cgroups, a
 * read-only command run inside a running zone as zlogin would run it, and the answers a student
 * recorded with `zonelab answer`. Nothing here changes a zone.
 */
import type { ZoneConfig, Resource, ResourceType } from '../model/types.js';
import type { ZoneState } from '../model/states.js';
import { ZoneStore } from '../store/zone-store.js';
import { zoneCgroupFor, zoneRuntimeInfo, type ZoneRuntimeInfo } from '../runtime/state.js';
import type { ZoneCgroup } from '../platform/cgroups/index.js';
import { takeSnapshot, type Proc } from '../ptools/snapshot.js';
import { runProgram, type RunResult } from '../sys/tools.js';
import { loginCapabilityMask, zenterArgs, zenterPath, zloginTarget } from '../zlogin/login.js';
import { readAnswers } from './answers.js';

export class LabHost {
  readonly store: ZoneStore;

  constructor(readonly root: string) {
    this.store = new ZoneStore(root);
  }

  /** The configured zones' names, in index order. */
  zoneNames(): string[] {
    return this.store.list().map((e) => e.name);
  }

  config(name: string): ZoneConfig | undefined {
    return this.store.exists(name) ? this.store.load(name) : undefined;
  }

  /** The zone's resources of one type (`net`, `fs`...), empty when the zone is not configured. */
  resources(name: string, type: ResourceType): Resource[] {
    return (this.config(name)?.resources ?? []).filter((r) => r.type === type);
  }

  /** The state zoneadm list shows: the index state, or the runtime state while the zone is in the kernel. */
  state(name: string): ZoneState | undefined {
    const entry = this.store.get(name);
    if (!entry) return undefined;
    if (entry.state !== 'installed') return entry.state;
    return this.runtime(name)?.state ?? 'installed';
  }

  runtime(name: string): ZoneRuntimeInfo | undefined {
    return zoneRuntimeInfo(name, { root: this.root });
  }

  running(name: string): boolean {
    return this.state(name) === 'running';
  }

  /** Every process of the host with its zone (`global` for the host's own). */
  processes(): Proc[] {
    return takeSnapshot(this.root).procs;
  }

  /** The processes of one zone, as `zps -z name` lists them. */
  zoneProcesses(name: string): Proc[] {
    return this.processes().filter((p) => p.zone === name);
  }

  cgroup(name: string): ZoneCgroup {
    return zoneCgroupFor(name, { root: this.root });
  }

  /**
   * Runs `command` with /bin/sh -c in the running zone `name`, as `zlogin [-l user] name command`
   * would (the zone's namespaces, root, capabilities and cgroup), stdin /dev/null, and returns
   * its status and output. Checks run only commands that read.
   */
  async inZone(name: string, command: string, user = 'root'): Promise<RunResult> {
    const target = zloginTarget(name, { root: this.root });
    const args = zenterArgs(target, { user, nullStdin: true, command: [command] }, await loginCapabilityMask(target));
    return runProgram(zenterPath(), args);
  }

  /** What the student recorded for lab `id` with `zonelab answer` (key -> value). */
  answers(id: number): Record<string, string> {
    return readAnswers(this.root, id);
  }
}
