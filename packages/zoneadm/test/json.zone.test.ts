/**
 * The `--json` outputs (docs/reference.md#43-list, #81-zps, #32-info, #9-zonestat) of the real
 * bins, validated against their JSON Schemas in docs/schemas/ (draft 2020-12, ajv), with a zone
 * the test boots with core's bootZone (root only) beside an installed and a configured one:
 * `zoneadm list --json` lists the zones each -c/-i/-v/-z line lists and every field of -p, zps,
 * zprstat and zonestat show the running zone, zonecfg info gives the configuration from the schema's
 * walk. The schemas' names are checked against the tables the outputs walk (states, -o fields,
 * properties, resource types), so neither can change alone. The zone is halted and the temporary
 * ZONES_ROOT removed in afterAll, also on failure.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { ZoneStore } from '@zones/core/store/zone-store';
import { defaultTemplate } from '@zones/core/store/templates';
import { bootZone, haltZone, zoneadmdPath } from '@zones/core/runtime/index';
import { zoneCgroupFor, zoneRuntimeInfo } from '@zones/core/runtime/state';
import { ZONE_STATES } from '@zones/core/model/states';
import { SCHEMA } from '@zones/core/model/schema';
import { PS_FIELDS } from '@zones/core/ptools/ps';
import { prepareSparseRoot } from '../../core/test/runtime/sparse-root.js';
import { traceLines } from '../../core/test/faults/trace.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const REPO = resolve(here, '../../..');
const canRun = process.getuid?.() === 0 && existsSync(zoneadmdPath());
const d = canRun ? describe : describe.skip;
if (!canRun) console.warn('json zone tests skipped: need root and the native helpers (npm run build:native)');

type Json = Record<string, unknown>;
const schemaOf = (name: string) => JSON.parse(readFileSync(join(REPO, 'docs/schemas', `${name}.schema.json`), 'utf8')) as Json;
const ajv = new Ajv2020({ strict: true, allErrors: true });
const validators = Object.fromEntries(['zoneadm-list', 'zps', 'zprstat', 'zonecfg-info', 'zonestat'].map((n) => [n, ajv.compile(schemaOf(n))]));

/** The output as JSON, valid against its schema (the errors shown when not). */
function valid(schema: string, stdout: string): Json {
  const v = JSON.parse(stdout) as Json;
  const check = validators[schema]!;
  expect({ valid: check(v), errors: check.errors ?? null }).toEqual({ valid: true, errors: null });
  return v;
}

const base = mkdtempSync(join(tmpdir(), 'json-zone-'));
const root = join(base, 'zr');
const store = new ZoneStore(root);
const tag = `zj${process.pid % 100000}`;
const RUN = `${tag}r`;
const INST = `${tag}i`;
const CONF = `${tag}c`;
const booted: string[] = [];
const DATA = join(base, 'data');

function bin(path: string, args: string[]) {
  const r = spawnSync(join(REPO, path), args, { encoding: 'utf8', env: { ...process.env, ZONES_ROOT: root }, timeout: 20_000 });
  expect(traceLines(r.stdout + r.stderr)).toEqual([]);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  if (!canRun) return;
  mkdirSync(join(base, 'zones'), { recursive: true, mode: 0o755 });
  mkdirSync(DATA);
  for (const name of [RUN, INST, CONF]) {
    const cfg = defaultTemplate(name);
    cfg.globals.zonepath = join(base, 'zones', name);
    if (name === RUN) {
      cfg.globals.autoboot = 'true';
      cfg.resources.push({ type: 'fs', props: { dir: '/mnt', special: DATA, type: 'lofs', options: ['ro', 'nodevices'] } });
      cfg.resources.push({ type: 'rctl', props: { name: 'zone.max-lwps', value: [{ priv: 'privileged', limit: '500', action: 'deny' }] } });
    }
    store.save(cfg);
    if (name === CONF) continue;
    prepareSparseRoot(cfg.globals.zonepath);
    store.setState(name, 'installed');
  }
  booted.push(RUN);
  await bootZone(RUN, { root, bootargs: ['-i', 'zsched'] });
}, 60_000);

afterAll(async () => {
  for (const name of booted) await haltZone(name, { root }).catch(() => undefined);
  rmSync(base, { recursive: true, force: true });
}, 60_000);

d('--json against a running zone, validated by the schemas of docs/schemas/', () => {
  test('zoneadm list --json: the zones of each -c/-i/-v/-z line, every field of -p typed', () => {
    for (const sel of [[], ['-i'], ['-c'], ['-cv'], ['-iv'], ['-v'], ['-z', RUN], ['-z', CONF]]) {
      const global = sel[0] === '-z' ? sel.slice(0, 2) : [];
      const flags = sel[0] === '-z' ? [] : sel;
      const j = bin('bin/zoneadm', [...global, 'list', ...flags, '--json']);
      expect(j.code).toBe(0);
      const zones = valid('zoneadm-list', j.stdout).zones as Json[];
      const letters = flags.map((f) => f.replace('v', '')).filter((f) => f !== '-');
      const names = bin('bin/zoneadm', [...global, 'list', ...letters]).stdout.split('\n').filter(Boolean);
      expect(zones.map((z) => z.zonename)).toEqual(names);
      // every -p field: the same values, `-` as null, the empty uuid as null
      const p = bin('bin/zoneadm', [...global, 'list', '-p', ...letters]).stdout.split('\n').filter(Boolean);
      expect(zones.map((z) => [z.zoneid ?? '-', z.zonename, z.state, z.zonepath, z.uuid ?? '', z.brand, z['ip-type'], z.debugid].join(':'))).toEqual(p);
    }
    const all = valid('zoneadm-list', bin('bin/zoneadm', ['list', '-c', '--json']).stdout).zones as Json[];
    expect(all.map((z) => [z.zonename, z.state])).toEqual([['global', 'running'], [RUN, 'running'], [INST, 'installed'], [CONF, 'configured']]);
    expect(all[1]!.zoneid).toBe(zoneRuntimeInfo(RUN, { root })!.zoneid);
    expect(bin('bin/zoneadm', ['list', '-p', '--json'])).toEqual({ code: 1, stdout: '', stderr: 'zoneadm: list -p and --json are mutually exclusive.\n' });
  });

  test('zps --json: the processes of the zone, with its name and id; -o picks the fields', () => {
    const j = bin('bin/zps', ['-z', RUN, '--json']);
    expect(j.code).toBe(0);
    const procs = valid('zps', j.stdout).processes as Json[];
    const pids = zoneCgroupFor(RUN, { root }).pids().sort((a, b) => a - b);
    expect(procs.map((p) => p.pid)).toEqual(pids);
    const id = zoneRuntimeInfo(RUN, { root })!.zoneid;
    for (const p of procs) expect(p).toMatchObject({ zone: RUN, zoneid: id, uid: expect.any(Number), fname: expect.any(String) });
    expect(Object.keys(procs[0]!)).toEqual(PS_FIELDS.map((f) => f.name));
    const picked = valid('zps', bin('bin/zps', ['-e', '-o', 'pid,zone', '--json']).stdout).processes as Json[];
    expect(picked.find((p) => p.pid === process.pid)).toEqual({ pid: process.pid, zone: 'global' });
    const gone = spawnSync('true').pid;
    const none = bin('bin/zps', ['-p', String(gone), '--json']);
    expect(none.code).toBe(1);
    expect(valid('zps', none.stdout)).toEqual({ processes: [] });
  });

  test('zprstat --json: one valid line per report, the zone among the zone lines of -Z', () => {
    const r = bin('bin/zprstat', ['-Z', '-z', RUN, '--json', '1', '2']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    const reports = lines.map((l) => valid('zprstat', l));
    const id = zoneRuntimeInfo(RUN, { root })!.zoneid;
    for (const rep of reports) {
      expect(rep.zones).toEqual([expect.objectContaining({ zone: RUN, zoneid: id })]);
      for (const p of rep.processes as Json[]) expect(p).toMatchObject({ zone: RUN, zoneid: id });
    }
  }, 20_000);

  test('zonestat --json: one valid line per interval, the zone among the zones', () => {
    const r = bin('bin/zonestat', ['--json', '1', '1']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const u = valid('zonestat', lines[0]!);
    expect((u.zones as Json[]).map((z) => z.name)).toEqual(['global', RUN]);
  }, 20_000);

  test('zonecfg info --json: the whole configuration, one property, the resources of a type', () => {
    const all = valid('zonecfg-info', bin('bin/zonecfg', ['-z', RUN, 'info', '--json']).stdout);
    expect(all.properties).toMatchObject({ zonename: RUN, zonepath: join(base, 'zones', RUN), autoboot: true, bootargs: null });
    expect(all['rctl-aliases']).toMatchObject({ 'max-lwps': 500, 'cpu-shares': null });
    expect(all.resources).toContainEqual({ type: 'fs', properties: { dir: '/mnt', special: DATA, raw: null, type: 'lofs', options: ['ro', 'nodevices'] } });
    expect(valid('zonecfg-info', bin('bin/zonecfg', ['-z', RUN, 'info', 'autoboot', '--json']).stdout)).toEqual({ properties: { autoboot: true } });
    expect(valid('zonecfg-info', bin('bin/zonecfg', ['-z', RUN, 'info', '--json', 'fs', 'dir=/mnt']).stdout).resources).toHaveLength(1);
    expect(valid('zonecfg-info', bin('bin/zonecfg', ['-z', CONF, 'info', '--json', 'fs']).stdout)).toEqual({ resources: [] });
    expect(valid('zonecfg-info', bin('bin/zonecfg', ['-z', 'global', 'info', '--json']).stdout).properties).toHaveProperty('zonename', 'global');
  });
});

describe('the schemas name what the outputs walk', () => {
  const props = (s: Json, ...path: string[]) => Object.keys(path.reduce<Json>((o, k) => o[k] as Json, s));
  test('states, -o fields, global properties, rctl aliases and resource types', () => {
    const list = schemaOf('zoneadm-list');
    expect(((list.$defs as Json).zone as { properties: { state: { enum: string[] } } }).properties.state.enum).toEqual([...ZONE_STATES]);
    expect(props(schemaOf('zps'), '$defs', 'process', 'properties')).toEqual(PS_FIELDS.map((f) => f.name));
    const info = schemaOf('zonecfg-info');
    expect(props(info, 'properties', 'properties', 'properties')).toEqual(SCHEMA.globals.map((g) => g.name));
    expect(props(info, 'properties', 'rctl-aliases', 'properties')).toEqual(SCHEMA.aliases.map((a) => a.alias));
    const res = ((info.$defs as Json).resource as { properties: { type: { enum: string[] } } }).properties.type.enum;
    expect(res).toEqual(SCHEMA.resources.map((r) => r.type));
  });
});
