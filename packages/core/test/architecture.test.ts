/**
 * The shape of the code (docs/architecture.md): no import cycle, and `platform/` is the only door
 * to the kernel. Outside the files listed below, no source file names /proc or /sys, runs a
 * program itself (child_process, execa), runs a tool that changes mounts or links, mounts
 * anything, or probes a process with kill(pid, 0). Type-only and lazy imports count as imports.
 */
import { describe, expect, test } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOOL_PACKAGES } from '../src/sys/tools.js';

const ALL_RULES = ['proc-sys', 'spawn', 'kernel-tool', 'mount', 'kill-probe'] as const;
type Rule = (typeof ALL_RULES)[number];

/** Who may do what; a path ending in `/` covers everything below it. Keep this list short. */
const ALLOWED: readonly { path: string; may: readonly Rule[]; why: string }[] = [
  { path: 'core/src/platform/', may: ALL_RULES, why: 'the door to the kernel itself' },
  { path: 'core/src/sys/tools.ts', may: ['spawn'], why: 'the one place that runs system tools (brands run tar, debootstrap... through it)' },
  { path: 'core/src/runtime/supervisor.ts', may: ['spawn'], why: 'starts the native supervisor zoneadmd and reads its handshake' },
  { path: 'core/src/zlogin/login.ts', may: ['spawn'], why: "runs the native zenter with the caller's terminal handed straight through" },
  { path: 'core/src/oci/runtime-config.ts', may: ['proc-sys'], why: "names /proc and /sys as the mount points of an OCI bundle's config.json; it reads neither" },
];

/** Source trees checked: core and the CLIs (tests are not: they may look at the kernel directly). */
const TREES = ['core/src', 'zoneadm/src', 'zlogin/src', 'zonecfg/src', 'ptools/src', 'zonestat/src', 'zonelab/src'];

/** Tools that change the kernel's mounts, namespaces or links: only platform/ may run them. */
const KERNEL_TOOLS = ['mount', 'umount', 'losetup', 'ip', 'nsenter', 'unshare', 'brctl', 'sysctl', 'setpriv'];

/** Each rule looks at the code without comments (`code`) or also without strings (`bare`); see {@link scan}. */
const RULES: readonly { rule: Rule; what: string; on: 'code' | 'bare'; re: RegExp }[] = [
  { rule: 'proc-sys', what: 'reads /proc or /sys', on: 'code', re: /['"`]\/(proc|sys)(\/|['"`$])/ },
  {
    rule: 'spawn',
    what: 'runs a program (child_process, execa)',
    on: 'code',
    re: /(\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s*)['"`](node:)?(child_process|execa)['"`]/m,
  },
  {
    rule: 'kernel-tool',
    what: `runs ${KERNEL_TOOLS.join('/')}`,
    on: 'code',
    re: new RegExp(`\\b(runTool|requireTool|findTool|spawn|spawnSync|execFile|execFileSync|exec|execSync|execa)\\s*\\(\\s*['"\`](${KERNEL_TOOLS.join('|')})['"\`]`),
  },
  {
    rule: 'mount',
    what: 'calls a mount system call',
    on: 'bare',
    re: /(^|[^\w$])(mount|umount2?|move_mount|fsmount|fsopen|fsconfig|open_tree|mount_setattr|pivot_root)\s*\(/,
  },
  { rule: 'kill-probe', what: 'probes a process with kill(pid, 0)', on: 'bare', re: /\bkill\s*\(\s*[^,()]+,\s*0\s*\)/ },
];

/**
 * The source without its comments (`code`), and also without the text of its strings, templates
 * and regular expressions (`bare`), so that a comment or a message may speak of /proc or mount(8).
 * A `/` starts a regular expression where an operand is expected.
 */
export function scan(src: string): { code: string; bare: string } {
  let i = 0;
  let code = '';
  let bare = '';
  let prev = ''; // the last character of code (not blank) so far
  const newlines = (text: string) => text.replace(/[^\n]/g, ''); // keeps line numbers
  const both = (s: string) => {
    code += s;
    bare += s;
  };
  const literal = (end: string) => {
    const start = i++;
    while (i < src.length && src[i] !== end && src[i] !== '\n') i += src[i] === '\\' ? 2 : 1;
    i++;
    code += src.slice(start, i);
    bare += src[start] + newlines(src.slice(start + 1, i - 1)) + src[i - 1];
  };
  const template = () => {
    both(src[i++]!);
    let start = i;
    while (i < src.length && src[i] !== '`') {
      if (src[i] === '\\') i += 2;
      else if (src[i] === '$' && src[i + 1] === '{') {
        code += src.slice(start, i);
        bare += newlines(src.slice(start, i));
        both('${');
        i += 2;
        prev = '{';
        codeUntilBrace(true);
        start = i;
      } else i++;
    }
    code += src.slice(start, i);
    bare += newlines(src.slice(start, i));
    if (i < src.length) both(src[i++]!);
  };
  const regexHere = () => prev === '' || /[(,=:[!&|?{};+\-*%<>~^]/.test(prev) || /\b(return|typeof|case|of|in|void|throw)\s*$/.test(code);
  const codeUntilBrace = (inTemplate: boolean) => {
    let depth = 0;
    while (i < src.length) {
      const c = src[i]!;
      const n = src[i + 1];
      if (c === '/' && n === '/') {
        while (i < src.length && src[i] !== '\n') i++;
      } else if (c === '/' && n === '*') {
        const end = src.indexOf('*/', i + 2);
        const comment = src.slice(i, end < 0 ? src.length : end + 2);
        i += comment.length;
        both(newlines(comment) || ' ');
      } else if (c === '`') {
        template();
        prev = c;
      } else if (c === '"' || c === "'") {
        literal(c);
        prev = c;
      } else if (c === '/' && regexHere()) {
        const start = i++;
        let inClass = false;
        while (i < src.length && (src[i] !== '/' || inClass) && src[i] !== '\n') {
          if (src[i] === '[') inClass = true;
          else if (src[i] === ']') inClass = false;
          i += src[i] === '\\' ? 2 : 1;
        }
        i++;
        while (/[a-z]/.test(src[i] ?? '')) i++;
        code += src.slice(start, i);
        bare += '/ /';
        prev = '/';
      } else if (c === '}' && inTemplate && depth === 0) {
        both('}'); // back to the template around this `${`
        i++;
        return;
      } else {
        if (c === '{') depth++;
        else if (c === '}') depth--;
        both(c);
        i++;
        if (!/\s/.test(c)) prev = c;
      }
    }
  };
  codeUntilBrace(false);
  return { code, bare };
}

/** What a file imports, as written (`./x.js`, `node:fs`, `@zones/core/y`), static, type-only and lazy alike. */
export function importSpecifiers(code: string): string[] {
  const re = /(?:^|[^\w$.])(?:import|export)\s+(?:type\s+)?(?:[\w$*{}\s,]+?\s+from\s+)?['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;
  return [...code.matchAll(re)].map((m) => (m[1] ?? m[2])!);
}

/** Every cycle of a graph (one per strongly connected component), each as a path that ends where it starts. */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc = new Set<string>();
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      scc.add(w);
    } while (w !== v);
    if (scc.size > 1 || graph.get(v)?.includes(v)) cycles.push(cycleThrough(v, scc, graph));
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return cycles;
}

/** A shortest path from `start` back to itself inside one strongly connected component. */
function cycleThrough(start: string, scc: ReadonlySet<string>, graph: ReadonlyMap<string, readonly string[]>): string[] {
  const from = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!scc.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let x = v; x !== start; x = from.get(x)!) path.unshift(x);
        return [start, ...path];
      }
      if (!from.has(w)) {
        from.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

/** The rules a file breaks that its allow-list entry does not cover. */
export function violations(file: string, src: string): string[] {
  const allowed = new Set(ALLOWED.filter((a) => covers(a.path, file)).flatMap((a) => a.may));
  const views = scan(src);
  return RULES.filter((r) => !allowed.has(r.rule)).flatMap((r) => {
    const m = r.re.exec(views[r.on]);
    return m ? [`${file}:${views[r.on].slice(0, m.index + m[0].search(/\S/) + 1).split('\n').length} ${r.what}`] : [];
  });
}

const covers = (entry: string, file: string) => (entry.endsWith('/') ? file.startsWith(entry) : file === entry);

const packagesDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The source file an import names, if it is one of ours (`./x.js` -> x.ts, `@zones/core/y` -> core/src/y.ts). */
function resolveImport(from: string, spec: string): string | undefined {
  let base: string;
  if (spec.startsWith('.')) base = resolve(dirname(from), spec);
  else if (spec === '@zones/core') base = join(packagesDir, 'core/src/index');
  else if (spec.startsWith('@zones/core/')) base = join(packagesDir, 'core/src', spec.slice('@zones/core/'.length));
  else return undefined;
  base = base.replace(/\.js$/, '');
  return [`${base}.ts`, join(base, 'index.ts')].find((p) => existsSync(p));
}

const files = TREES.flatMap((t) => sourceFiles(join(packagesDir, t))).sort();
const sources = new Map(files.map((f) => [relative(packagesDir, f), readFileSync(f, 'utf8')]));

describe('architecture', () => {
  test('the trees are there (the walk saw the code it checks)', () => {
    for (const f of ['core/src/platform/proc.ts', 'core/src/zoneadm/kernel.ts', 'zoneadm/src/list-main.ts']) {
      expect([f, sources.has(f)]).toEqual([f, true]);
    }
  });

  test('scan keeps every line of every file (so a rule reports the right line)', () => {
    const lines = (t: string) => t.split('\n').length;
    const off = [...sources].filter(([, src]) => {
      const v = scan(src);
      return lines(v.code) !== lines(src) || lines(v.bare) !== lines(src);
    });
    expect(off.map(([f]) => f)).toEqual([]);
  });

  test('no import cycle', () => {
    const graph = new Map<string, string[]>();
    for (const [file, src] of sources) {
      const abs = join(packagesDir, file);
      const deps = importSpecifiers(scan(src).code).map((s) => resolveImport(abs, s));
      graph.set(file, [...new Set(deps.filter((d): d is string => d !== undefined).map((d) => relative(packagesDir, d)))]);
    }
    expect(findCycles(graph).map((c) => c.join(' -> '))).toEqual([]);
  });

  test('platform/ is the only door to the kernel', () => {
    expect([...sources].flatMap(([file, src]) => violations(file, src))).toEqual([]);
  });

  test('every tool the code runs by name has its Debian package in TOOL_PACKAGES, and every entry there is run', () => {
    // runTool/requireTool/findTool, network.ts's tool(), the brands' injected this.run, tarball.ts's `tool:` rows
    const re = /\b(?:runTool|requireTool|findTool|tool|this\.run)\(\s*'([\w.-]+)'|\btool:\s*'([\w.-]+)'/g;
    const run = new Set([...sources.values()].flatMap((src) => [...scan(src).code.matchAll(re)].map((m) => (m[1] ?? m[2])!)));
    expect(run.size).toBeGreaterThan(5);
    expect([...run].filter((t) => !Object.hasOwn(TOOL_PACKAGES, t))).toEqual([]);
    expect(Object.keys(TOOL_PACKAGES).filter((t) => !run.has(t))).toEqual([]);
  });

  test('every allow-list entry names a file or directory that exists, and a file still needs its entry', () => {
    for (const a of ALLOWED) {
      expect([a.path, existsSync(join(packagesDir, a.path))]).toEqual([a.path, true]);
      if (a.path.endsWith('/')) continue;
      const covered = [...sources].filter(([f]) => covers(a.path, f)).map(([, src]) => scan(src));
      const used = a.may.filter((rule) => {
        const r = RULES.find((x) => x.rule === rule)!;
        return covered.some((views) => r.re.test(views[r.on]));
      });
      expect([a.path, used]).toEqual([a.path, a.may]);
    }
  });
});

describe('the checks themselves', () => {
  const f = 'core/src/zoneadm/example.ts';

  test('each rule catches what it is for', () => {
    expect(violations(f, "const s = readFileSync(`/proc/${pid}/stat`, 'utf8');")).toEqual([`${f}:1 reads /proc or /sys`]);
    expect(violations(f, 'existsSync("/sys/fs/cgroup/x");')).toEqual([`${f}:1 reads /proc or /sys`]);
    expect(violations(f, "join('/proc', String(pid));")).toEqual([`${f}:1 reads /proc or /sys`]);
    expect(violations(f, "import { spawn } from 'node:child_process';")).toEqual([`${f}:1 runs a program (child_process, execa)`]);
    expect(violations(f, "const { execa } = await import('execa');")).toEqual([`${f}:1 runs a program (child_process, execa)`]);
    expect(violations(f, "await runTool('umount', ['-l', dir]);")).toEqual([`${f}:1 runs ${KERNEL_TOOLS.join('/')}`]);
    expect(violations(f, "runTool('ip', ['link', 'del', 'dev', n]);")).toEqual([`${f}:1 runs ${KERNEL_TOOLS.join('/')}`]);
    expect(violations(f, 'mount(src, dst, "none", MS_BIND);')).toEqual([`${f}:1 calls a mount system call`]);
    expect(violations(f, 'process.kill(pid, 0);')).toEqual([`${f}:1 probes a process with kill(pid, 0)`]);
    const later = "/*\n * a\n */\nconst t = `\n${a}\n`;\nmsg('x\\\n');\n  process.kill(p, 0);\nreadFileSync('/proc/x');";
    expect(violations(f, later)).toEqual([`${f}:10 reads /proc or /sys`, `${f}:9 probes a process with kill(pid, 0)`]);
  });

  test('comments, messages and look-alikes are not kernel access; the allow-list is per rule', () => {
    const innocent = [
      '// reads /proc/PID/stat through platform/proc',
      '/* a mount(2) of /sys/fs/cgroup */',
      "const msg = 'cgroupfs must be mounted at /sys/fs/cgroup; see mount(8)';",
      "symlinkIn(root, 'etc/mtab', '../proc/self/mounts');",
      "const best = mountOf(path); process.kill(pid, signal); runTool('tar', ['-x']);",
      "const re = /^\\/\\/ '/; const t = `x ${a ? 'y' : ''}`;",
    ].join('\n');
    expect(violations(f, innocent)).toEqual([]);
    expect(violations('core/src/platform/proc.ts', "readFileSync('/proc/self/stat')")).toEqual([]);
    expect(violations('core/src/sys/tools.ts', "readFileSync('/proc/self/stat')")).toEqual(['core/src/sys/tools.ts:1 reads /proc or /sys']);
  });

  test('scan keeps strings, templates and regular expressions in code and blanks them in bare', () => {
    expect(scan("a('//x'); // gone")).toEqual({ code: "a('//x'); ", bare: "a(''); " });
    expect(scan('const r = /\\/\\*[^/]*/g; /* gone */ b();').code).toBe('const r = /\\/\\*[^/]*/g;   b();');
    expect(scan('t = `${x /* gone */}/proc` // gone')).toEqual({ code: 't = `${x  }/proc` ', bare: 't = `${x  }` ' });
    expect(scan('y = a / 2; // gone\nz = b / 3;').code).toBe('y = a / 2; \nz = b / 3;');
  });

  test('imports of every form are seen', () => {
    const src = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      "export { c } from './c.js';",
      "export * from './d.js';",
      "import './e.js';",
      "const f = await import('./f.js');",
      "import {\n  g,\n  type H,\n} from './g.js';",
    ].join('\n');
    expect(importSpecifiers(src)).toEqual(['./a.js', '../b.js', './c.js', './d.js', './e.js', './f.js', './g.js']);
  });

  test('a cycle is found and printed as a path', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
      ['e', ['e']],
    ]);
    expect(findCycles(g).map((c) => c.join(' -> '))).toEqual(['a -> b -> c -> a', 'e -> e']);
    expect(findCycles(new Map([['a', ['b']], ['b', []]]))).toEqual([]);
  });
});
