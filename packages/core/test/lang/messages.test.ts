/**
 * zonecfg's wording and error accounting, command by command (docs/research/zonecfg-behaviour.md).
 * Each case: the commands, what stdout/stderr must say, and whether the session counts it as an error.
 */
import { describe, expect, test } from '@jest/globals';
import { Session, type InputMode } from '../../src/lang/session.js';
import { longUsage, propsBlock, resourcesBlock, shortUsage, subcommandsBlock, SYNTAX_BLOCK } from '../../src/lang/help.js';
import { CapturingIO, MemoryBackend } from './memory-backend.js';

async function run(text: string, opts: { zone?: string; mode?: InputMode; backend?: MemoryBackend; fileName?: string; alternateRoot?: boolean } = {}) {
  const backend = opts.backend ?? new MemoryBackend();
  const io = new CapturingIO();
  const session = new Session(backend, io, {
    zonename: opts.zone ?? 'z1',
    mode: opts.mode ?? 'argv',
    fileName: opts.fileName ?? 'cmds',
    alternateRoot: opts.alternateRoot ?? false,
  });
  await session.run(text + '\n');
  return { io, session, backend };
}
const ZONE = 'create; set zonepath=/z; ';

async function saved(cmds = '') {
  const backend = new MemoryBackend();
  await run(`${ZONE}${cmds}; commit`, { backend });
  return backend;
}

describe('parse errors', () => {
  test('an unknown command: the first character and the command list', async () => {
    const { io, session } = await run('quit');
    expect(io.stderr).toEqual(["syntax error at 'q'", ...subcommandsBlock(false)]);
    expect(session.sawError).toBe(true);
  });
  test('a newline where a value was due is shown as \\n', async () => {
    const { io } = await run('create; set zonepath=');
    expect(io.stderr[0]).toBe("syntax error at '\\n'");
  });
  test('bare set: usage and the property list', async () => {
    const { io } = await run('set');
    expect(io.stderr).toEqual([...shortUsage('set'), '', ...propsBlock()]);
  });
  test('bare add: usage, resources and properties', async () => {
    const { io } = await run('add');
    expect(io.stderr).toEqual([...shortUsage('add'), '', ...resourcesBlock(), ...propsBlock()]);
  });
  test('in -f mode a usage error names the line and file', async () => {
    const { io } = await run('create\n\nset', { mode: 'file', fileName: 'x.cfg' });
    expect(io.stderr.slice(0, 2)).toEqual(['syntax error on line 3 of x.cfg', 'usage:']);
  });
});

describe('options and extra words', () => {
  test('commit foo is a usage error', async () => {
    const { io, session } = await run(`${ZONE}commit foo`);
    expect(io.stderr).toEqual(shortUsage('commit'));
    expect(session.sawError).toBe(true);
  });
  test('an unknown option of commit prints its help on stdout and is no error', async () => {
    const { io, session } = await run(`${ZONE}commit -x`);
    expect(io.stdout).toEqual(longUsage('commit'));
    expect(session.sawError).toBe(false);
  });
  test('create with an unknown option is a usage error', async () => {
    const { io } = await run('create -x');
    expect(io.stderr).toEqual(shortUsage('create'));
  });
  test('verify foo just verifies (illumos quirk)', async () => {
    const { io, session } = await run(`${ZONE}verify foo`);
    expect(io.stderr).toEqual([]);
    expect(session.sawError).toBe(false);
  });
  test('-? on any command prints its longer help', async () => {
    const { io } = await run('set -? zonepath=/x');
    expect(io.stdout.slice(0, 3)).toEqual(['usage:', 'set <property-name>=<property-value>', '\tSets property values.']);
  });
});

describe('help', () => {
  test('help in the global scope lists every command with its description', async () => {
    const { io } = await run('help');
    expect(io.stdout).toEqual(subcommandsBlock(true));
    expect(io.stdout.slice(0, 7)).toEqual([
      'Commands:',
      '',
      'add <resource-type>',
      '\t(global scope)',
      'add <property-name> <property-value>',
      '\t(resource scope)',
      '\tAdd specified resource to configuration.',
    ]);
  });
  test('help inside a resource scope describes that scope', async () => {
    const { io } = await run(`${ZONE}add fs; help`);
    expect(io.stdout[0]).toBe("The 'fs' resource scope is used to configure a file-system.");
    expect(io.stdout.slice(-4)).toEqual([
      'And from any resource scope, you can:',
      '\tend\t(to conclude this operation)',
      '\tcancel\t(to cancel this operation)',
      '\texit\t(to exit the zonecfg utility)',
    ]);
  });
  test('help usage and help syntax', async () => {
    expect((await run('help usage')).io.stdout).toEqual([
      'usage:\tzonecfg help',
      '\tzonecfg -z <zone>\t\t\t(interactive)',
      '\tzonecfg -z <zone> <command>',
      '\tzonecfg -z <zone> -f <command-file>',
    ]);
    const syntax = (await run('help syntax')).io.stdout;
    expect(syntax.slice(0, 3)).toEqual(SYNTAX_BLOCK);
    expect(syntax).toContain('<resource type> := fs | inherit-pkg-dir | net | device | rctl | attr |');
    expect(syntax).toContain('\tfs\t\tdir, special, raw, type, options');
  });
  test('an unknown subject is not an error', async () => {
    const { io, session } = await run('help me');
    expect(io.stderr[0]).toBe('Unknown help subject me.  More help is available for the following:');
    expect(session.sawError).toBe(false);
  });
});

describe('notices that are not errors (they print but do not fail the session)', () => {
  test('create on an installed zone', async () => {
    const backend = await saved();
    backend.zones.get('z1')!.state = 'installed';
    const { io, session } = await run('create -F', { backend });
    expect(io.stderr).toEqual(['Zone z1 already installed; create not allowed.']);
    expect(session.sawError).toBe(false);
  });
  test('set zonepath and brand on an installed zone', async () => {
    const backend = await saved();
    backend.zones.get('z1')!.state = 'installed';
    const { io, session } = await run('set zonepath=/elsewhere; set brand=debian', { backend });
    expect(io.stderr).toEqual(['Zone z1 already installed; set zonepath not allowed.', 'Zone z1 already installed; set brand not allowed.']);
    expect(session.sawError).toBe(false);
  });
  test('a second dedicated-cpu, capped-cpu or capped-memory', async () => {
    const { io, session } = await run(
      `${ZONE}add dedicated-cpu; set ncpus=1; end; add dedicated-cpu; add capped-memory; set physical=1g; end; add capped-memory`,
    );
    expect(io.stderr).toEqual([
      'The dedicated-cpu resource already exists.',
      'The capped-memory resource or a related resource control already exists.',
    ]);
    expect(session.sawError).toBe(false);
    expect(session.inResourceScope).toBe(false);
  });
  test('No such <rt> resource. goes to stdout', async () => {
    const { io, session } = await run(`${ZONE}info fs dir=/nothing`);
    expect(io.stdout).toEqual(['No such fs resource.']);
    expect(session.sawError).toBe(false);
  });
  test('an invalid rctl name at set time', async () => {
    const { io, session } = await run(`${ZONE}add rctl; set name=bogus`);
    expect(io.stderr).toEqual(["'bogus' is not a valid zone rctl name."]);
    expect(session.sawError).toBe(false);
  });
  test('export -f to a file that cannot be opened', async () => {
    const backend = new MemoryBackend();
    backend.writeFile = () => {
      throw Object.assign(new Error('x'), { code: 'ENOENT' });
    };
    const { io, session } = await run(`${ZONE}export -f /no/such/dir/f`, { backend });
    expect(io.stderr).toEqual(['opening file /no/such/dir/f: No such file or directory']);
    expect(session.sawError).toBe(false);
  });
});

describe('set', () => {
  test('a list where a simple value is due', async () => {
    const { io } = await run(`${ZONE}add fs; set dir=[a,b]`);
    expect(io.stderr).toEqual(['A simple value was expected here.']);
  });
  test('a property of another resource type', async () => {
    const { io } = await run(`${ZONE}add fs; set address=1.2.3.4`);
    expect(io.stderr).toEqual(['address: No such property type', ...longUsage('set'), ...propsBlock()]);
  });
  test('set -F is only for zonepath, and only with an alternate root', async () => {
    // The grammar takes an option only before zonepath: anything else is a syntax error there.
    expect((await run(`${ZONE}set -F autoboot=true`)).io.stderr[0]).toBe("syntax error at 'autoboot'");
    expect((await run(`${ZONE}set -F zonepath=/q`)).io.stderr).toEqual(['Zonepath is changeable only in an alternate root.']);
    expect((await run(`${ZONE}set -F zonepath=/q`, { alternateRoot: true })).io.stderr).toEqual([]);
  });
  test('values checked at set time', async () => {
    const { io } = await run(
      `${ZONE}add fs; set type=a/b; cancel; add net; set address=1.2.3.4/40; set physical=e1000g0:1; cancel; add dedicated-cpu; set ncpus=3-1; set importance=x; cancel; add capped-memory; set physical=12; set swap=1m`,
    );
    expect(io.stderr).toEqual([
      '"a/b" is not a valid type.',
      '1.2.3.4/40: IPv4 address prefix lengths must be 0 - 32.',
      'e1000g0:1: LUNs not allowed in physical interface names',
      'ncpus property is out of range.',
      'importance property is out of range.',
      'physical value is too small.  It must be at least 1M.',
      'swap value is too small.  It must be at least 50M.',
    ]);
  });
  test('renames: bogus names and names in use print the name syntax', async () => {
    const backend = await saved();
    await run('create; set zonepath=/o; commit', { backend, zone: 'other' });
    const { io } = await run('set zonename=other; set zonename=-x', { backend });
    expect(io.stderr).toEqual(['other: Zone name already in use', '', ...SYNTAX_BLOCK, '-x: Bogus zone name', '', ...SYNTAX_BLOCK]);
  });
  test('a rename is committed under the new name and the old one is gone', async () => {
    const backend = await saved();
    const { session } = await run('set zonename=renamed', { backend });
    expect(await session.finish()).toBe(0);
    expect([...backend.zones.keys()]).toEqual(['renamed']);
  });
});

describe('clear', () => {
  test('globals, aliases and the refusals', async () => {
    const { io, session, backend } = await run(
      `${ZONE}set autoboot=true; set max-lwps=300; clear autoboot; clear max-lwps; clear max-lwps; clear zonepath; clear dir`,
    );
    expect(io.stderr).toEqual([
      'clear max-lwps: No such entry',
      'zonepath: Clearing this property is not allowed',
      'dir: No such property type',
      ...longUsage('clear'),
      ...propsBlock(),
    ]);
    await session.finish();
    expect(backend.zones.get('z1')!.config.globals.autoboot).toBe('false');
  });
  test('inside a resource', async () => {
    const { io } = await run(`${ZONE}add fs; set raw=/dev/x; clear raw; clear dir`);
    expect(io.stderr).toEqual(['dir: Clearing this property is not allowed']);
  });
});

describe('select and remove', () => {
  test('select by key, modify, end', async () => {
    const backend = await saved('add fs; set dir=/a; set special=/s; set type=lofs; end');
    const { session } = await run('select fs dir=/a; set special=/t; end', { backend });
    await session.finish();
    expect(backend.zones.get('z1')!.config.resources.find((r) => r.type === 'fs')!.props.special).toBe('/t');
  });
  test('select errors', async () => {
    const backend = await saved('add net; set physical=a0; set address=1.1.1.1; end; add net; set physical=a0; set address=1.1.1.2; end');
    const { io } = await run('select net physical=b0; select net physical=a0; select net dir=/x; select capped-memory', { backend });
    expect(io.stderr).toEqual([
      'select net: No such resource with that id',
      'select net: Insufficient specification',
      'dir: No such property type',
      'select net: Insufficient specification',
      'select capped-memory: No such resource type',
    ]);
  });
  test('remove errors', async () => {
    const { io } = await run(`${ZONE}remove fs; remove fs dir=/x; remove capped-cpu`);
    expect(io.stderr).toEqual(['remove fs: No such entry', 'remove fs: No such resource with that id', 'remove capped-cpu: No such resource type']);
  });
  test('remove -F removes every instance', async () => {
    const backend = await saved('add device; set match=/dev/a; end; add device; set match=/dev/b; end');
    const { session } = await run('remove -F device', { backend });
    await session.finish();
    expect(backend.zones.get('z1')!.config.resources.filter((r) => r.type === 'device')).toEqual([]);
  });
  test('add options to a net is the wrong resource', async () => {
    const { io } = await run(`${ZONE}add net; add options ro`);
    expect(io.stderr).toEqual(['net: No such resource type', ...longUsage('add'), ...resourcesBlock()]);
  });
  test('add and remove fs options and rctl values', async () => {
    const { session, backend } = await run(
      `${ZONE}add fs; set dir=/d; set special=/s; set type=lofs; add options [ro,nosuid,noexec]; remove options nosuid; end; add rctl; set name=zone.max-msg-ids; add value (priv=privileged,limit=1,action=deny); add value (priv=privileged,limit=2,action=deny); remove value (priv=privileged,limit=1,action=deny); end`,
    );
    await session.finish();
    const res = backend.zones.get('z1')!.config.resources;
    expect(res.find((r) => r.type === 'fs')!.props.options).toEqual(['ro', 'noexec']);
    expect(res.find((r) => r.type === 'rctl')!.props.value).toEqual([{ priv: 'privileged', limit: '2', action: 'deny' }]);
  });
  test('rctl value pieces: duplicate, missing, invalid print without failing', async () => {
    const { io, session } = await run(`${ZONE}add rctl; set name=zone.max-lwps; add value (priv=privileged,priv=privileged); add value (priv=privileged,limit=5); add value (priv=basic,limit=5,action=deny)`);
    expect(io.stderr).toEqual(['priv already specified', 'action not specified', 'Invalid rctl value specification']);
    expect(session.sawError).toBe(false);
  });
});

describe('cancel undoes capped settings (differs from illumos, which wrote them at set time)', () => {
  test('capped-memory', async () => {
    const { io, session } = await run(`${ZONE}add capped-memory; set swap=1g; cancel; info capped-memory`);
    expect(io.stdout).toEqual([]);
    expect(session.sawError).toBe(false);
  });
});

describe('-f line prefixes', () => {
  test('one prefix per input line, with the file name', async () => {
    const { io } = await run('create\nset zonepath=/z\nadd rctl\nset name=zone.max-lwps\nadd value (priv=privileged,priv=x)\nend\n', {
      mode: 'file',
      fileName: 'a.cfg',
    });
    expect(io.stderr).toEqual(['On line 5 of a.cfg:', 'priv already specified', 'On line 6 of a.cfg:', 'no value specified']);
  });
  test('-f - prefixes without the file name and does not stop', async () => {
    const { io } = await run('create\nset autoboot=x\nset autoboot=y', { mode: 'file', fileName: '-' });
    expect(io.stderr).toEqual(['On line 2:', "autoboot value must be 'true' or 'false'.", 'On line 3:', "autoboot value must be 'true' or 'false'."]);
  });
});

describe('read-only', () => {
  test('templates can be read, never changed', async () => {
    const { io, session } = await run('info zonepath; set autoboot=true', { zone: 'SUNWdefault' });
    expect(io.stdout).toEqual(['zonepath: ']);
    expect(io.stderr).toEqual(['SUNWdefault: zones beginning with SUNW are read-only.']);
    expect(session.sawError).toBe(true);
  });
  test('no write access to the store', async () => {
    const backend = await saved();
    backend.readOnly = true;
    const { io } = await run('info autoboot; set autoboot=true; commit', { backend });
    expect(io.stdout).toEqual(['autoboot: false']);
    expect(io.stderr).toEqual(['z1: cannot set in read-only mode.', 'z1: cannot commit in read-only mode.']);
  });
});

describe('the global zone', () => {
  test('refuses zone-only resources and properties, warns about low limits', async () => {
    const { io, session, backend } = await run('add fs; set zonepath=/x; info zonepath; set max-lwps=2000', { zone: 'global' });
    expect(io.stderr).toEqual([
      'Cannot add a fs resource to the global zone.',
      'zonepath is not a valid property for the global zone.',
      'zonepath is not a valid property for the global zone.',
      'WARNING: Setting a global zone resource control too low could deny',
      'service to even the root user; this could render the system impossible',
      'to administer.  Please use caution.',
    ]);
    expect(await session.finish()).toBe(1);
    expect(backend.zones.get('global')!.config.resources).toEqual([
      { type: 'rctl', props: { name: 'zone.max-lwps', value: [{ priv: 'privileged', limit: '2000', action: 'deny' }] } },
    ]);
  });
});

describe('end of input', () => {
  test('exit inside a resource: the commit fails on the incomplete resource', async () => {
    const { io, session } = await run(`${ZONE}add fs; exit -F`);
    expect(await session.finish()).toBe(1);
    expect(io.stderr).toEqual(['resource specification incomplete', 'Zone z1 failed to verify', 'z1: Insufficient specification', 'Configuration not saved.']);
  });
  test('exit inside a resource off a terminal exits at once', async () => {
    const { io, session, backend } = await run(`${ZONE}add fs; exit`);
    expect(io.stderr).toEqual(['Resource incomplete, input not from terminal and -F not specified:', 'exit command ignored, but exiting anyway.']);
    expect(await session.finish()).toBe(1);
    expect(backend.zones.size).toBe(0);
  });
  test('interactive: declining "really quit" keeps the session', async () => {
    const { io, session } = await run(`${ZONE}add fs`, { mode: 'interactive' });
    io.answers.push('n');
    expect(await session.finish()).toBe(-1);
    expect(io.questions).toEqual(['Resource incomplete; really quit (y/[n])? ']);
    expect(session.inResourceScope).toBe(true);
  });
  test('interactive: Configuration not saved; really quit', async () => {
    const { io, session } = await run('create', { mode: 'interactive' });
    io.answers.push('y');
    expect(await session.finish()).toBe(1);
    expect(io.questions).toEqual(['Configuration not saved; really quit (y/[n])? ']);
  });
});

describe('create -a', () => {
  test('takes the configuration of a detached zonepath, with that zonepath', async () => {
    const backend = new MemoryBackend();
    const carried = backend.template('SUNWblank')!;
    carried.globals.autoboot = 'true';
    carried.globals.zonepath = '/old/place';
    backend.manifests.set('/new/place', carried);
    const { session, io } = await run('create -a /new/place', { backend, zone: 'arrived' });
    expect(io.stderr).toEqual([]);
    expect(await session.finish()).toBe(0);
    const cfg = backend.zones.get('arrived')!.config;
    expect([cfg.globals.zonename, cfg.globals.zonepath, cfg.globals.autoboot]).toEqual(['arrived', '/new/place', 'true']);
  });
  test('no manifest, or one that cannot be read', async () => {
    const backend = new MemoryBackend();
    backend.manifests.set('/bad', 'invalid-manifest');
    const { io, session } = await run('create -a /nothing; create -a /bad', { backend });
    expect(io.stderr).toEqual(['invalid path to detached zone', 'Cannot attach to an earlier release of the operating system']);
    expect(session.sawError).toBe(false);
  });
});
