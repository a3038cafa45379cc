/**
 * "Adding a property is one edit": a property added to the schema table alone (here by extending
 * the table) is accepted by `set`, saved by the real store on disk, read back, shown by `info`,
 * written by `export` and replayed by `-f`, as a global property and as a new property of an
 * existing resource type. Nothing else in the program knows these names.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { Session, type InputMode } from '../../src/lang/session.js';
import { storeBackend } from '../../src/zonecfg/backend.js';
import { ZoneStore } from '../../src/store/zone-store.js';
import { configPath } from '../../src/store/paths.js';
import { complete } from '../../src/lang/complete.js';
import { propsBlock } from '../../src/lang/help.js';
import { checkResourceEnd, verifyReport } from '../../src/model/validate.js';
import { SCHEMA, SCHEMA_TABLE, makeSchema, type GlobalPropSpec, type PropSpec, type Schema } from '../../src/model/schema.js';
import type { ZoneConfig } from '../../src/model/types.js';
import { CapturingIO } from './memory-backend.js';
import { tempRoot } from '../store/helpers.js';

const LABEL: GlobalPropSpec = {
  name: 'x-label',
  default: '',
  clearable: true,
  globalZone: [],
  export: 'unless-default',
  check: (v) => (v.length > 12 ? `${v}: label too long` : undefined),
};
const MTU: PropSpec = { name: 'x-mtu', kind: 'simple', required: false };

/** The program's table with one more global property and one more net property. */
const EXTENDED = makeSchema({
  ...SCHEMA_TABLE,
  globals: [...SCHEMA_TABLE.globals, LABEL],
  resources: SCHEMA_TABLE.resources.map((r) => (r.type === 'net' ? { ...r, props: [...r.props, MTU] } : r)),
});

let t: ReturnType<typeof tempRoot>;
beforeEach(() => {
  t = tempRoot();
});
afterEach(() => t.cleanup());

async function zonecfg(zone: string, text: string, opts: { schema?: Schema; mode?: InputMode } = {}) {
  const schema = opts.schema ?? EXTENDED;
  const io = new CapturingIO();
  const session = new Session(storeBackend(t.root, schema), io, { zonename: zone, mode: opts.mode ?? 'argv', fileName: 'web.cfg', schema });
  await session.run(text.endsWith('\n') ? text : text + '\n');
  const status = await session.finish();
  return { status, stdout: io.stdout, stderr: io.stderr };
}

const CREATE = [
  'create -b',
  'set zonepath=/zones/web',
  'set x-label="front end"',
  'add net',
  'set physical=eth0',
  'set address=10.0.0.5/24',
  'set x-mtu=9000',
  'end',
].join('\n');

const ownGlobals = (cfg: ZoneConfig): Record<string, string> => cfg.globals;

describe('a property added to the schema table alone', () => {
  test('is accepted by set and saved by the real store to disk', async () => {
    expect(await zonecfg('web', CREATE)).toEqual({ status: 0, stdout: [], stderr: [] });
    const text = readFileSync(configPath('web', t.root), 'utf8');
    expect(text).toContain('  x-label: front end\n');
    expect(text).toContain("x-mtu: '9000'");
  });

  test('is read back from disk (whole configuration and the fast globals path)', async () => {
    await zonecfg('web', CREATE);
    const store = new ZoneStore(t.root, { schema: EXTENDED });
    const cfg = store.load('web')!;
    expect(ownGlobals(cfg)['x-label']).toBe('front end');
    expect(cfg.resources).toEqual([{ type: 'net', props: { physical: 'eth0', address: '10.0.0.5/24', 'x-mtu': '9000' } }]);
    expect((store.readGlobals('web') as Record<string, string>)['x-label']).toBe('front end');
  });

  test('is shown by info, in table order', async () => {
    await zonecfg('web', CREATE);
    const { stdout, stderr } = await zonecfg('web', 'info');
    expect(stderr).toEqual([]);
    // after the other global properties; the unset rctl aliases print nothing, then the resources
    const at = stdout.indexOf('fs-allowed: ');
    expect(stdout.slice(at, at + 3)).toEqual(['fs-allowed: ', 'x-label: front end', 'net:']);
    expect(stdout.slice(stdout.indexOf('net:'))).toEqual(['net:', '\taddress: 10.0.0.5/24', '\tallowed-address not specified', '\tphysical: eth0', '\tdefrouter not specified', '\tx-mtu: 9000']);
    expect((await zonecfg('web', 'info x-label')).stdout).toEqual(['x-label: front end']);
  });

  test('is written by export and replayed by -f into an equal configuration', async () => {
    await zonecfg('web', CREATE);
    const exported = await zonecfg('web', 'export');
    expect(exported.stdout).toEqual([
      'create -b',
      'set zonepath=/zones/web',
      'set autoboot=false',
      'set ip-type=shared',
      'set x-label="front end"',
      'add net',
      'set address=10.0.0.5/24',
      'set physical=eth0',
      'set x-mtu=9000',
      'end',
    ]);
    const replay = exported.stdout.map((l) => l.replace('set zonepath=/zones/web', 'set zonepath=/zones/web2')).join('\n');
    expect(await zonecfg('web2', replay, { mode: 'file' })).toEqual({ status: 0, stdout: [], stderr: [] });
    const store = new ZoneStore(t.root, { schema: EXTENDED });
    const [web, web2] = [store.load('web')!, store.load('web2')!];
    expect(web2).toEqual({ ...web, globals: { ...web.globals, zonename: 'web2', zonepath: '/zones/web2' } });
  });

  test("is checked by its row's rule at set, cleared back to its default, completed and listed in help", async () => {
    await zonecfg('web', CREATE);
    expect(await zonecfg('web', 'set x-label=much-too-long-label')).toMatchObject({ status: 1, stderr: ['much-too-long-label: label too long'] });
    expect(await zonecfg('web', 'clear x-label; select net physical=eth0; clear x-mtu; end')).toMatchObject({
      stderr: ['x-mtu: Clearing this property is not allowed'],
    });
    expect(ownGlobals(new ZoneStore(t.root, { schema: EXTENDED }).load('web')!)['x-label']).toBe('');
    expect(complete('set x-', undefined, EXTENDED)).toEqual([['x-label='], 'x-']);
    expect(complete('set x', 'net', EXTENDED)).toEqual([['x-mtu='], 'x']);
    expect(propsBlock(EXTENDED)).toContain('\t(global)\tx-label');
    expect(propsBlock(EXTENDED)).toContain('\tnet\t\taddress, physical, defrouter, x-mtu');
  });

  test('a required property added to a type verify checks is required by end and verify', () => {
    const schema = makeSchema({
      ...SCHEMA_TABLE,
      resources: SCHEMA_TABLE.resources.map((r) =>
        r.type === 'attr' ? { ...r, props: [...r.props, { name: 'x-owner', kind: 'simple', required: true }] } : r,
      ),
    });
    const cfg: ZoneConfig = {
      globals: { ...schema.defaultGlobals('z'), zonepath: '/z' },
      resources: [{ type: 'attr', props: { name: 'a', type: 'string', value: 'v' } }],
    };
    expect(verifyReport(cfg, { isGlobal: false, schema })).toEqual({ messages: ['attr: x-owner not specified'], error: 'Required property missing' });
    expect(verifyReport(cfg, { isGlobal: false })).toEqual({ messages: [], error: undefined });
    const attr = cfg.resources[0]!;
    expect(checkResourceEnd(attr, { ...cfg, resources: [] }, undefined, false, {}, schema)).toEqual(['x-owner not specified']);
    expect(checkResourceEnd(attr, { ...cfg, resources: [] }, undefined, false)).toEqual([]);
  });
});

describe('without the extended table', () => {
  test('the same commands fail, and the program store drops what it does not know', async () => {
    const plain = await zonecfg('plain', CREATE, { schema: SCHEMA });
    expect(plain.status).toBe(1);
    // x-label is no keyword of the program's language
    expect(plain.stderr[0]).toBe("syntax error at '='");
    await zonecfg('web', CREATE);
    const cfg = new ZoneStore(t.root).load('web')!;
    expect(ownGlobals(cfg)['x-label']).toBeUndefined();
    expect(cfg.resources[0]!.props['x-mtu']).toBe('9000');
  });
});
