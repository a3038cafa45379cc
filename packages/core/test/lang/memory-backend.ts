import type { ZoneConfig } from '../../src/model/types.js';
import type { ConfigBackend, SessionIO, StoredZone, UnreadableZone, ZoneStateName } from '../../src/lang/session.js';
import { defaultGlobals } from '../../src/model/schema.js';

/** An in-memory store with the same contract as the real one, for fast session tests. */
export class MemoryBackend implements ConfigBackend {
  zones = new Map<string, { config: ZoneConfig; state: ZoneStateName }>();
  files = new Map<string, string>();

  lookup(name: string): StoredZone | UnreadableZone | undefined {
    const z = this.zones.get(name);
    return z ? structuredClone(z) : undefined;
  }
  template(name: string): ZoneConfig | undefined {
    const globals = defaultGlobals(name);
    if (name === 'SUNWblank') return { globals, resources: [] };
    if (name === 'SUNWdefault') return { globals, resources: [{ type: 'inherit-pkg-dir', props: { dir: '/usr' } }] };
    const z = this.zones.get(name);
    return z ? structuredClone(z.config) : undefined;
  }
  save(config: ZoneConfig, previousName: string | undefined, uuid?: string): void {
    this.askedUuids.push(uuid);
    const name = config.globals.zonename;
    if (previousName !== undefined && previousName !== name) {
      if (this.zones.has(name)) throw new Error('Zone name already in use');
      const old = this.zones.get(previousName);
      this.zones.delete(previousName);
      this.zones.set(name, { config: structuredClone(config), state: old?.state ?? 'configured' });
      return;
    }
    const state = this.zones.get(name)?.state ?? 'configured';
    this.zones.set(name, { config: structuredClone(config), state });
  }
  remove(name: string): void {
    this.zones.delete(name);
  }
  readOnly = false;
  manifests = new Map<string, ZoneConfig | 'invalid-manifest'>();
  /** The uuid each manifest records, and the uuid each save asked for. */
  manifestUuids = new Map<string, string>();
  askedUuids: (string | undefined)[] = [];
  async detached(path: string) {
    const m = this.manifests.get(path);
    if (m === undefined || m === 'invalid-manifest') return m ?? 'no-manifest';
    return { config: m, uuid: this.manifestUuids.get(path) };
  }
  writable(): boolean {
    return !this.readOnly;
  }
  writeFile(path: string, text: string): void {
    this.files.set(path, text);
  }
}

export class CapturingIO implements SessionIO {
  stdout: string[] = [];
  stderr: string[] = [];
  answers: string[] = [];
  questions: string[] = [];
  out(l: string) {
    this.stdout.push(l);
  }
  err(l: string) {
    this.stderr.push(l);
  }
  async confirm(q: string) {
    this.questions.push(q);
    return /^y/i.test(this.answers.shift() ?? '');
  }
}
