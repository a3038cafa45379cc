import { describe, expect, test } from '@jest/globals';
import { Session, type InputMode } from '../../src/lang/session.js';
import { CapturingIO, MemoryBackend } from './memory-backend.js';
import { defaultGlobals as blankGlobals } from '../../src/model/schema.js';

function open(zone = 'z1', mode: InputMode = 'argv', backend = new MemoryBackend()) {
  const io = new CapturingIO();
  const session = new Session(backend, io, { zonename: zone, mode, fileName: 'cmds.cfg' });
  return { io, session, backend };
}

async function runAll(text: string, zone = 'z1', mode: InputMode = 'argv', backend = new MemoryBackend()) {
  const s = open(zone, mode, backend);
  await s.session.run(text.endsWith('\n') ? text : text + '\n');
  const status = await s.session.finish();
  return { ...s, status };
}

describe('seed workflows', () => {
  test('small zone: create; set zonepath; commit', async () => {
    const { backend, status, io } = await runAll('create; set zonepath=/viernes13; commit', 'viernes13');
    expect(io.stderr).toEqual([]);
    expect(status).toBe(0);
    const z = backend.zones.get('viernes13')!;
    expect(z.state).toBe('configured');
    expect(z.config.globals.zonepath).toBe('/viernes13');
    expect(z.config.resources).toEqual([{ type: 'inherit-pkg-dir', props: { dir: '/usr' } }]);
  });
  test('big zone: create, then remove each inherit-pkg-dir', async () => {
    const { backend, status } = await runAll('create\nset zonepath=/bigzone\nremove inherit-pkg-dir dir=/usr\ncommit', 'bigzone');
    expect(status).toBe(0);
    expect(backend.zones.get('bigzone')!.config.resources).toEqual([]);
  });
  test('removing an inherit-pkg-dir the template does not have', async () => {
    const { io, status } = await runAll('create; set zonepath=/b; remove inherit-pkg-dir dir=/sbin', 'b');
    expect(io.stderr).toEqual(['remove inherit-pkg-dir: No such resource with that id']);
    expect(status).toBe(1);
  });
  test('net, fs and rctl resources', async () => {
    const { backend, status, io } = await runAll(
      [
        'create -b',
        'set zonepath=/zones/web',
        'add net',
        'set physical=zbr0',
        'set address=10.9.8.7/24',
        'end',
        'add fs',
        'set dir=/data',
        'set special=/srv/data',
        'set type=lofs',
        'add options [ro,nodevices]',
        'end',
        'add rctl',
        'set name=zone.max-lwps',
        'add value (priv=privileged,limit=500,action=deny)',
        'end',
        'set limitpriv="default,sys_time"',
      ].join('\n'),
      'web',
    );
    expect(io.stderr).toEqual([]);
    expect(status).toBe(0);
    const cfg = backend.zones.get('web')!.config;
    expect(cfg.globals.limitpriv).toBe('default,sys_time');
    expect(cfg.resources.map((r) => r.type)).toEqual(['net', 'fs', 'rctl']);
    expect(cfg.resources[1]!.props.options).toEqual(['ro', 'nodevices']);
    expect(cfg.resources[2]!.props.value).toEqual([{ priv: 'privileged', limit: '500', action: 'deny' }]);
  });
});

describe('scopes and prompts', () => {
  test('prompt follows the scope and a rename', async () => {
    const { session } = open('z1', 'interactive');
    expect(session.prompt).toBe('zonecfg:z1> ');
    await session.run('create\nadd net\n');
    expect(session.prompt).toBe('zonecfg:z1:net> ');
    await session.run('cancel\nset zonename=z2\n');
    expect(session.prompt).toBe('zonecfg:z2> ');
  });
  test('end and cancel only in resource scope, select only in global scope', async () => {
    const { io } = await runAll('create; end; cancel; set zonepath=/z; add fs; select fs dir=/a; cancel');
    expect(io.stderr).toEqual([
      'The end command only makes sense in the resource scope.',
      'The cancel command only makes sense in the resource scope.',
      'The select command only makes sense in the global scope.',
    ]);
  });
  test('end stays in the resource scope when the resource is incomplete', async () => {
    const { session, io } = open();
    await session.run('create\nset zonepath=/z\nadd fs\nset dir=/a\nend\n');
    expect(session.inResourceScope).toBe(true);
    expect(io.stderr.length).toBeGreaterThan(0);
  });
  test('resource-specific property from the global scope', async () => {
    const { io } = await runAll('create; set zonepath=/z; set dir=/x');
    expect(io.stderr).toEqual(['Cannot set a resource-specific property from the global scope.']);
  });
});

describe('end of input', () => {
  test('auto-commit at end of argv', async () => {
    const { backend, status } = await runAll('create; set zonepath=/a');
    expect(status).toBe(0);
    expect(backend.zones.has('z1')).toBe(true);
  });
  test('Configuration not saved when verify fails', async () => {
    const { backend, status, io } = await runAll('create');
    expect(status).toBe(1);
    expect(backend.zones.has('z1')).toBe(false);
    expect(io.stderr[io.stderr.length - 1]).toBe('Configuration not saved.');
  });
  test('Resource incomplete: nothing committed', async () => {
    const { backend, status, io } = await runAll('create; set zonepath=/a; add fs', 'z1', 'stdin');
    expect(status).toBe(1);
    expect(io.stderr).toEqual(['Resource incomplete.']);
    expect(backend.zones.has('z1')).toBe(false);
  });
  test('an error earlier makes the exit status 1 even if the commit works', async () => {
    const { backend, status } = await runAll('create; set autoboot=maybe; set zonepath=/a');
    expect(status).toBe(1);
    expect(backend.zones.has('z1')).toBe(true);
  });
  test('-f stops at the first error with the line prefix', async () => {
    const { io, status, backend } = await runAll('create\nset zonepath=/a\nset autoboot=maybe\nset bootargs=x\n', 'z1', 'file');
    expect(status).toBe(1);
    expect(io.stderr).toEqual(['On line 3 of cmds.cfg:', "autoboot value must be 'true' or 'false'."]);
    // As zonecfg's cleanup(): processing stops, then what was read so far is committed.
    expect(backend.zones.get('z1')!.config.globals.bootargs).toBe('');
    expect(backend.zones.get('z1')!.config.globals.zonepath).toBe('/a');
  });
  test('-f syntax errors carry the line number', async () => {
    const { io } = await runAll('create\nset zonepath=/a\nquit\n', 'z1', 'file');
    expect(io.stderr[0]).toBe("syntax error on line 3 at 'q'");
  });
  test('argv mode goes on after an error', async () => {
    const { io, backend } = await runAll('create; set autoboot=maybe; set zonepath=/a; set bootargs=x');
    expect(io.stderr).toEqual(["autoboot value must be 'true' or 'false'."]);
    expect(backend.zones.get('z1')!.config.globals.bootargs).toBe('x');
  });
});

describe('confirmations', () => {
  test('create over an existing zone, not on a terminal', async () => {
    const backend = new MemoryBackend();
    await runAll('create; set zonepath=/a', 'z1', 'argv', backend);
    const { io, status } = await runAll('create; set zonepath=/b', 'z1', 'argv', backend);
    expect(io.stderr).toEqual(['Zone exists, input not from terminal and -F not specified:', 'create command ignored, exiting.']);
    expect(status).toBe(1);
    expect(backend.zones.get('z1')!.config.globals.zonepath).toBe('/a');
  });
  test('create over an existing zone at a terminal asks', async () => {
    const backend = new MemoryBackend();
    await runAll('create; set zonepath=/a', 'z1', 'argv', backend);
    const { session, io } = open('z1', 'interactive', backend);
    io.answers.push('y');
    await session.run('create\nset zonepath=/b\nexit\n');
    expect(await session.finish()).toBe(0);
    expect(io.questions).toEqual(['Zone z1 already exists; create anyway (y/[n])? ']);
    expect(backend.zones.get('z1')!.config.globals.zonepath).toBe('/b');
  });
  test('create -F overwrites', async () => {
    const backend = new MemoryBackend();
    await runAll('create; set zonepath=/a', 'z1', 'argv', backend);
    const { status } = await runAll('create -F; set zonepath=/c', 'z1', 'argv', backend);
    expect(status).toBe(0);
    expect(backend.zones.get('z1')!.config.globals.zonepath).toBe('/c');
  });
  test('create on an installed zone', async () => {
    const backend = new MemoryBackend();
    await runAll('create; set zonepath=/a', 'z1', 'argv', backend);
    backend.zones.get('z1')!.state = 'installed';
    const { io } = await runAll('create -F', 'z1', 'argv', backend);
    expect(io.stderr).toEqual(['Zone z1 already installed; create not allowed.']);
  });
  test('delete without -F off a terminal', async () => {
    const backend = new MemoryBackend();
    await runAll('create; set zonepath=/a', 'z1', 'argv', backend);
    const { io, status } = await runAll('delete', 'z1', 'argv', backend);
    expect(io.stderr).toEqual(['Input not from terminal and -F not specified:', 'delete command ignored, exiting.']);
    expect(status).toBe(1);
    expect(backend.zones.has('z1')).toBe(true);
    const again = await runAll('delete -F', 'z1', 'argv', backend);
    expect(again.status).toBe(0);
    expect(backend.zones.has('z1')).toBe(false);
  });
  test('delete at a terminal asks with the Solaris wording', async () => {
    const backend = new MemoryBackend();
    await runAll('create; set zonepath=/a', 'z1', 'argv', backend);
    const { session, io } = open('z1', 'interactive', backend);
    io.answers.push('n');
    await session.run('delete\n');
    expect(io.questions).toEqual(['Are you sure you want to delete zone z1 (y/[n])? ']);
    expect(backend.zones.has('z1')).toBe(true);
  });
  test('remove of several resources without qualification', async () => {
    const { io } = await runAll('create; set zonepath=/a; add inherit-pkg-dir; set dir=/opt; end; remove inherit-pkg-dir');
    expect(io.stderr).toEqual([
      'There are multiple instances of this resource.  Either qualify the resource to',
      'remove a single instance or use the -F option to remove all instances.',
    ]);
  });
  test('revert', async () => {
    const backend = new MemoryBackend();
    await runAll('create; set zonepath=/a', 'z1', 'argv', backend);
    const { session, io } = open('z1', 'interactive', backend);
    io.answers.push('y');
    await session.run('set zonepath=/changed\nrevert\ninfo zonepath\n');
    expect(io.questions).toEqual(['Are you sure you want to revert (y/[n])? ']);
    expect(io.stdout).toEqual(['zonepath: /a']);
  });
  test('revert of a zone never saved', async () => {
    const { io } = await runAll('create; set zonepath=/a; revert -F');
    expect(io.stderr).toEqual(['z1: no such saved zone to revert to.']);
  });
});

describe('unknown zones', () => {
  test('info on a zone that is not configured', async () => {
    const { io, status } = await runAll('info', 'nosuch');
    expect(io.stderr).toEqual(['nosuch: No such zone configured']);
    expect(status).toBe(1);
  });
  test('the interactive greeting', () => {
    const { session, io } = open('newzone', 'interactive');
    session.greeting();
    expect(io.stderr).toEqual(['newzone: No such zone configured']);
    expect(io.stdout).toEqual([`Use 'create' to begin configuring a new zone.`]);
  });
});

describe('export', () => {
  test('export -f writes the file', async () => {
    const { backend } = await runAll('create; set zonepath=/a; export -f /tmp/out.cfg');
    expect(backend.files.get('/tmp/out.cfg')).toBe(
      ['create -b', 'set zonepath=/a', 'set autoboot=false', 'set ip-type=shared', 'add inherit-pkg-dir', 'set dir=/usr', 'end', ''].join('\n'),
    );
  });
});

describe('sizes past what the kernel takes', () => {
  test('set physical=99999999999999999999999T is refused at set time, not stored as 1e+23T', async () => {
    const { io, status, backend } = await runAll(
      'create; set zonepath=/z; add capped-memory; set physical=99999999999999999999999T; set physical=1G; end; add rctl; set name=zone.max-swap; cancel; set max-shm-memory=16777216T',
    );
    expect(io.stderr).toEqual([
      'A positive number with a required scale suffix (K, M, G or T) was expected here.',
      'A non-negative number with a required scale suffix (K, M, G or T) was expected\nhere.'.split('\n'),
    ].flat());
    expect(status).toBe(1);
    expect(backend.zones.get('z1')!.config.resources).toContainEqual({ type: 'capped-memory', props: { physical: String(1024 ** 3) } });
  });
});

describe('a zone the store cannot read, a zone in the kernel', () => {
  class Backend extends MemoryBackend {
    unreadable = new Map<string, string>();
    kernel = new Map<string, 'ready' | 'running' | 'shutting_down'>();
    override lookup(name: string) {
      const problem = this.unreadable.get(name);
      if (problem) return { state: 'configured' as const, problem };
      return super.lookup(name);
    }
    async runtimeState(name: string) {
      return this.kernel.get(name);
    }
  }
  const problem = 'Invalid document: /etc/zones/z1.yaml: not a mapping';

  test('every command on it says so; create -F replaces it, delete -F removes it', async () => {
    const backend = new Backend();
    backend.unreadable.set('z1', problem);
    const r = await runAll('info; export; verify; set autoboot=true; set zonename=z9', 'z1', 'stdin', backend);
    expect(r.io.stderr).toEqual(Array(5).fill(`z1: ${problem}`));
    expect(r.status).toBe(1);
    const c = await runAll('create -F; set zonepath=/z', 'z1', 'argv', backend);
    expect([c.status, c.io.stdout, c.io.stderr]).toEqual([0, ['Zone z1 already exists; overwriting.'], []]);
    backend.unreadable.set('z1', problem);
    backend.zones.set('z1', { config: backend.zones.get('z1')!.config, state: 'configured' });
    const d = await runAll('delete -F', 'z1', 'argv', backend);
    expect([d.status, d.io.stderr]).toEqual([0, []]);
    expect(backend.zones.has('z1')).toBe(false);
  });

  test('renaming onto it: the name is in use', async () => {
    const backend = new Backend();
    backend.unreadable.set('z2', problem);
    const r = await runAll('create; set zonepath=/z; set zonename=z2', 'z1', 'argv', backend);
    expect(r.io.stderr[0]).toBe('z2: Zone name already in use');
  });

  test.each(['ready', 'running', 'shutting_down'] as const)('delete of a %s zone is refused, even with -F (zonecfg_destroy)', async (state) => {
    const backend = new Backend();
    backend.zones.set('z1', { config: { globals: { ...blankGlobals('z1'), zonepath: '/z' }, resources: [] }, state: 'installed' });
    backend.kernel.set('z1', state);
    const f = await runAll('delete -F', 'z1', 'argv', backend);
    expect([f.status, f.io.stderr]).toEqual([1, ['z1: Zone state is invalid for the requested operation']]);
    const s = open('z1', 'interactive', backend);
    s.io.answers.push('y');
    await s.session.run('delete\n');
    expect(s.io.stderr).toEqual(['Zone z1 not in configured state; delete not allowed.  Use -F to force delete.']);
    expect(backend.zones.has('z1')).toBe(true);
  });
});
