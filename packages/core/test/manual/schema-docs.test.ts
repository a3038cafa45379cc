/**
 * "Adding a property is one edit", for the documentation: a property (or a resource type) added
 * to the schema table alone appears in zonecfg's reference (docs/commands/zonecfg.md) and in
 * zonecfg(8), with its syntax, values, default and scope; nothing else names it.
 */
import { describe, expect, test } from '@jest/globals';
import { SCHEMA_TABLE, makeSchema, type GlobalPropSpec, type PropSpec, type ResourceSpec } from '../../src/model/schema.js';
import { zonecfgManual } from '../../src/manual/zonecfg.js';
import { renderMarkdown } from '../../src/manual/markdown.js';
import { renderRoff } from '../../src/manual/roff.js';

const LABEL: GlobalPropSpec = {
  name: 'x-label',
  default: 'none',
  clearable: true,
  values: ['none', 'front', 'back'],
  globalZone: ['set', 'info'],
  export: 'unless-default',
  summary: 'A label for the zone.',
  check: () => undefined,
};
const MTU: PropSpec = { name: 'x-mtu', kind: 'simple', required: true };
const TUNNEL: ResourceSpec = {
  type: 'x-tunnel',
  props: [
    { name: 'x-peer', kind: 'simple', required: true },
    { name: 'x-mode', kind: 'simple', required: false, values: ['gre', 'ipip'] },
  ],
  single: false,
  keys: ['x-peer'],
  globalZoneAllowed: false,
  rank: { export: 12 },
};

const EXTENDED = makeSchema({
  ...SCHEMA_TABLE,
  globals: [...SCHEMA_TABLE.globals, LABEL],
  resources: [...SCHEMA_TABLE.resources.map((r) => (r.type === 'net' ? { ...r, props: [...r.props, MTU] } : r)), TUNNEL],
});

const plain = renderMarkdown(zonecfgManual());
const md = renderMarkdown(zonecfgManual(EXTENDED));
const roff = renderRoff(zonecfgManual(EXTENDED));

describe('a row added to the schema table alone', () => {
  test('is not in the reference of the program as it is', () => {
    expect(plain).not.toContain('x-label');
    expect(plain).not.toContain('x-tunnel');
  });

  test('a global property: its syntax, values, default, clear, export and global-zone use', () => {
    expect(md).toContain(
      '| `x-label` | `set x-label=none\\|front\\|back` | `none`, `front`, `back` | `none` | `clear x-label` restores the default | unless at its default | set, info | A label for the zone. |',
    );
    expect(roff).toContain('.TP\n\\fBx\\-label\\fR\nsyntax: \\fBset x\\-label=none|front|back\\fR\n');
  });

  test('a property of an existing resource type, under that type', () => {
    const net = md.slice(md.indexOf('### Resource type net'), md.indexOf('### Resource type device'));
    expect(net).toContain('| `x-mtu` | `set x-mtu=<value>` | yes |  |  |');
  });

  test('a new resource type, with its properties, its key and its scope', () => {
    const tunnel = md.slice(md.indexOf('### Resource type x-tunnel'));
    expect(tunnel).toContain("The 'x-tunnel' resource scope.");
    expect(tunnel).toContain('`select x-tunnel x-peer=<value>` picks one by `x-peer`');
    expect(tunnel).toContain('Refused in the global zone');
    expect(tunnel).toContain('| `x-mode` | `set x-mode=<value>` | no | `gre`, `ipip` |  |');
    expect(roff).toContain('.SS "Resource type x\\-tunnel"');
  });
});
