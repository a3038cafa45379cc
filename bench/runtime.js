#!/usr/bin/env node
// Zone runtime bench: `zoneadm boot` of a sparse zone with the minimal init (its own user
// namespace, idmapped mounts, seccomp: what every zone has) against raw `unshare` and LXC
// (`lxc-start -d` + `lxc-wait`), privileged and unprivileged (lxc.idmap with an idmapped rootfs and
// LXC's common.seccomp: the same isolation as a zone); `zlogin z true` against `lxc-attach -- true`
// into both, `nsenter -a` and the zenter helper alone; supervisor memory against LXC's monitor;
// and 100 sparse zones booted at once. Baselines are measured in the same run; prints numbers only, never asserts
// (docs/architecture.md#numbers-to-reach targets shown as PASS/MISS for information). Needs root, a built tree
// (`npx tsc -b && npm run build:native`), util-linux; LXC is optional (`lxc: not available (why)`).
// Everything lives in a temporary directory and is halted / stopped / removed at the end, also on
// failure or ^C.
//
// LXC missing: scripts/bench-deps.sh installs it from Debian's archive (unless --no-install).
//
// --against REV also builds the tree of git revision REV (a worktree in the temporary directory,
// this checkout's node_modules) and times its `zoneadm boot` and `zlogin z true` in the same
// interleaved loop: what a change costs, measured on one machine in one run (c7dfed9 is the last
// revision before zones got user namespaces, idmapped mounts and seccomp).
//
//   node bench/runtime.js [--runs N] [--zones N] [--concurrency N] [--json] [--no-install] [--against REV]
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { f1, memAvailableKiB, median, pool, rssKiB } from './measure.js';
import { runDir } from '../packages/core/dist/store/paths.js';
import { RUN_FILES } from '../packages/core/dist/runtime/run-files.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ZONEADM = join(REPO, 'packages/zoneadm/bin/run.js');
const ZONECFG = join(REPO, 'packages/zonecfg/bin/run.js');
const ZLOGIN = join(REPO, 'bin/zlogin');
const ZENTER = join(REPO, 'packages/core/native/bin/zenter');
const BUSYBOX_SCRIPT = join(REPO, 'fixtures/build-busybox-root.sh');

const opts = { runs: 20, zones: 100, concurrency: 8, json: false, install: true, against: undefined };
{
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 0) {
        process.stderr.write(`bench: ${a} needs a non-negative integer\n`);
        process.exit(2);
      }
      return n;
    };
    if (a === '--runs') opts.runs = Math.max(1, num());
    else if (a === '--zones') opts.zones = num();
    else if (a === '--concurrency') opts.concurrency = Math.max(1, num());
    else if (a === '--json') opts.json = true;
    else if (a === '--no-install') opts.install = false;
    else if (a === '--against') opts.against = argv[++i];
    else if (a === '-h' || a === '--help') {
      process.stdout.write('usage: node bench/runtime.js [--runs N] [--zones N] [--concurrency N] [--json] [--no-install] [--against REV]\n');
      process.exit(0);
    } else {
      process.stderr.write(`bench: unknown option ${a}\n`);
      process.exit(2);
    }
  }
}
if (process.getuid?.() !== 0) {
  process.stderr.write('bench: needs root (namespaces, cgroups)\n');
  process.exit(1);
}

const log = (s) => process.stderr.write(`bench: ${s}\n`);
const base = mkdtempSync(join(tmpdir(), 'zones-bench-rt-'));
chmodSync(base, 0o755);
const root = join(base, 'zr');
const zonesDir = join(base, 'zones');
mkdirSync(zonesDir, { mode: 0o755 });
const env = { ...process.env, ZONES_ROOT: root };
const lxcPath = join(base, 'lxc');
const booted = new Set();
let lxcStarted = false;

// ---------------------------------------------------------------- helpers
function run(cmd, args, { check = true, envv = env } = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { env: envv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - t0;
  if (check && r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status} ${r.stderr || r.error || ''}`);
  return { ms, ...r };
}
function runAsync(cmd, args) {
  return new Promise((res) => {
    const t0 = performance.now();
    execFile(cmd, args, { env, encoding: 'utf8' }, (err, stdout, stderr) =>
      res({ ms: performance.now() - t0, code: err ? (err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}
const runFile = (z, f) => {
  try {
    return readFileSync(join(runDir(z, root), RUN_FILES[f]), 'utf8').trim();
  } catch {
    return undefined;
  }
};

const zoneadm = (...a) => run('node', [ZONEADM, ...a]);
const zoneadmAsync = (...a) => runAsync('node', [ZONEADM, ...a]);

async function makeZone(name) {
  const zp = join(zonesDir, name);
  const c = await runAsync('node', [ZONECFG, '-z', name, `create; set zonepath=${zp}; set bootargs="-i zsched"; commit`]);
  if (c.code !== 0) throw new Error(`zonecfg ${name}: ${c.stderr}`);
  mkdirSync(zp, { mode: 0o700 });
  const i = await zoneadmAsync('-z', name, 'install');
  if (i.code !== 0) throw new Error(`install ${name}: ${i.stderr}`);
  return i.ms;
}

// ---------------------------------------------------------------- another revision (--against)
const against = { dir: join(base, 'against'), root: join(base, 'zr-against') };
against.env = { ...process.env, ZONES_ROOT: against.root };
let againstMade = false;
/** A worktree of `rev`, built with this checkout's node_modules (its own packages linked in). */
function buildAgainst(rev) {
  const git = (...a) => run('git', ['-C', REPO, ...a]);
  git('worktree', 'add', '--detach', against.dir, rev);
  againstMade = true;
  const nm = join(against.dir, 'node_modules');
  mkdirSync(join(nm, '@zones'), { recursive: true });
  for (const e of readdirSync(join(REPO, 'node_modules'))) if (e !== '@zones') symlinkSync(join(REPO, 'node_modules', e), join(nm, e));
  for (const p of readdirSync(join(against.dir, 'packages'))) {
    symlinkSync(join(against.dir, 'packages', p), join(nm, '@zones', p));
    // packages whose dependencies npm could not hoist (core's js-yaml 5) have node_modules of their own
    const own = join(REPO, 'packages', p, 'node_modules');
    if (existsSync(own) && !existsSync(join(against.dir, 'packages', p, 'node_modules'))) symlinkSync(own, join(against.dir, 'packages', p, 'node_modules'));
  }
  for (const [cmd, args] of [['node', [join(REPO, 'node_modules/typescript/bin/tsc'), '-b']], ['sh', ['packages/core/native/build.sh']], ['node', ['scripts/bundle.mjs']]]) {
    const r = spawnSync(cmd, args, { cwd: against.dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`building ${rev}: ${cmd} ${args.join(' ')}: ${r.stdout}${r.stderr}`);
  }
  const bin = (t) => join(against.dir, 'bin', t);
  const c = run(bin('zonecfg'), ['-z', 'bz', `create; set zonepath=${join(zonesDir, 'against-bz')}; set bootargs="-i zsched"; commit`], { envv: against.env });
  mkdirSync(join(zonesDir, 'against-bz'), { mode: 0o700 });
  run(bin('zoneadm'), ['-z', 'bz', 'install'], { envv: against.env });
  return { zoneadm: (...a) => run(bin('zoneadm'), a, { envv: against.env }), zlogin: (...a) => run(bin('zlogin'), a, { envv: against.env }), c };
}

// ---------------------------------------------------------------- cleanup
let cleaned = false;
async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  // every zone that may be in the kernel, by name, through zoneadm halt
  const names = new Set(booted);
  try {
    for (const n of readdirSync(runDir(undefined, root))) if (!n.startsWith('.')) names.add(n);
  } catch {
    // nothing booted
  }
  await pool([...names], 8, (z) => zoneadmAsync('-z', z, 'halt'));
  if (lxcStarted) for (const name of LXC) spawnSync('lxc-stop', ['-P', lxcPath, '-n', name, '-k'], { stdio: 'ignore' });
  if (againstMade) {
    spawnSync(join(against.dir, 'bin/zoneadm'), ['-z', 'bz', 'halt'], { env: against.env, stdio: 'ignore' });
    spawnSync('git', ['-C', REPO, 'worktree', 'remove', '--force', against.dir], { stdio: 'ignore' });
  }
  rmSync(base, { recursive: true, force: true });
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    log(`${sig}: cleaning up`);
    cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------- LXC
// `bench`: privileged. `benchu`: unprivileged, its root idmapped to a block of host ids as a zone's is.
const LXC = ['bench', 'benchu'];
const LXC_UNPRIV_IDS = 2_100_000_000; // above the zones' default range: a block no zone uses
const lxcConfig = (name, dir) => {
  const lines = [
    `lxc.uts.name = ${name}`,
    `lxc.rootfs.path = dir:${join(dir, 'rootfs')}`,
    'lxc.net.0.type = empty',
    // the minimal init's counterpart: one process that waits
    'lxc.init.cmd = /bin/sleep 1000000',
    'lxc.apparmor.profile = unconfined',
    'lxc.mount.auto = proc:mixed sys:ro',
    'lxc.tty.max = 0',
    'lxc.pty.max = 4',
  ];
  if (name === 'benchu') {
    lines.push(
      'lxc.rootfs.options = idmap=container',
      `lxc.idmap = u 0 ${LXC_UNPRIV_IDS} 65536`,
      `lxc.idmap = g 0 ${LXC_UNPRIV_IDS} 65536`,
      'lxc.seccomp.profile = /usr/share/lxc/config/common.seccomp',
    );
  }
  return `${lines.join('\n')}\n`;
};

function setupLxc(bbRoot) {
  const haveLxc = () =>
    spawnSync('sh', ['-c', 'command -v lxc-start && command -v lxc-wait && command -v lxc-stop && command -v lxc-attach'], { stdio: 'ignore' }).status === 0;
  if (!haveLxc() && opts.install) {
    log('LXC missing: running scripts/bench-deps.sh');
    spawnSync('bash', [join(REPO, 'scripts/bench-deps.sh')], { cwd: REPO, stdio: ['ignore', 2, 2], timeout: 10 * 60_000 });
  }
  if (!haveLxc()) return `lxc-start/lxc-wait/lxc-attach not installed${opts.install ? ' and scripts/bench-deps.sh could not install them' : ' (--no-install)'}`;
  for (const name of LXC) {
    const dir = join(lxcPath, name);
    mkdirSync(dir, { recursive: true });
    cpSync(bbRoot, join(dir, 'rootfs'), { recursive: true, verbatimSymlinks: true });
    writeFileSync(join(dir, 'config'), lxcConfig(name, dir));
    const s = spawnSync('lxc-start', ['-P', lxcPath, '-n', name, '-d'], { encoding: 'utf8' });
    lxcStarted = true;
    const w = spawnSync('lxc-wait', ['-P', lxcPath, '-n', name, '-s', 'RUNNING', '-t', '5'], { encoding: 'utf8' });
    spawnSync('lxc-stop', ['-P', lxcPath, '-n', name, '-k'], { stdio: 'ignore' });
    if (s.status !== 0 || w.status !== 0) return `lxc-start ${name} failed: ${(s.stderr || w.stderr || '').trim().split('\n')[0]}`;
  }
  return undefined;
}
function lxcStartOnce(name = 'bench') {
  const t0 = performance.now();
  run('lxc-start', ['-P', lxcPath, '-n', name, '-d']);
  run('lxc-wait', ['-P', lxcPath, '-n', name, '-s', 'RUNNING', '-t', '5']);
  return performance.now() - t0;
}
function lxcInitPid() {
  const r = run('lxc-info', ['-P', lxcPath, '-n', 'bench', '-p', '-H'], { check: false });
  return Number(r.stdout.trim());
}
const lxcStop = (name = 'bench') => run('lxc-stop', ['-P', lxcPath, '-n', name, '-k'], { check: false });

// ---------------------------------------------------------------- main
const results = {};
try {
  log(`temporary ZONES_ROOT ${root}`);
  // a busybox root: the raw-unshare baseline and the LXC container's rootfs
  const bb = join(base, 'bb');
  const b = spawnSync('bash', [BUSYBOX_SCRIPT, bb], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`build-busybox-root.sh: ${b.stderr}`);
  const bbRoot = join(bb, 'root');
  const lxcWhy = setupLxc(bbRoot);
  if (lxcWhy) log(`lxc: not available (${lxcWhy})`);

  log('installing the sparse zone bz (real installer, bootargs -i zsched)');
  results.installMs = await makeZone('bz');
  let other;
  if (opts.against) {
    log(`building ${opts.against} in a worktree (--against)`);
    other = buildAgainst(opts.against);
  }

  // ---- boot timings, interleaved, after warm-up
  const WARM = 3;
  const times = { list: [], boot: [], unshare: [], lxc: [], lxcu: [], nodeE0: [], otherList: [], otherBoot: [] };
  log(`timing: ${WARM} warm-up + ${opts.runs} runs per case, interleaved`);
  for (let i = 0; i < WARM + opts.runs; i++) {
    const keep = i >= WARM;
    const l = zoneadm('list');
    const n = run('node', ['-e', '0']);
    const bt = zoneadm('-z', 'bz', 'boot');
    booted.add('bz');
    zoneadm('-z', 'bz', 'halt');
    const u = run('unshare', ['--pid', '--fork', '--mount', '--uts', '--ipc', '--net', '--mount-proc', 'chroot', bbRoot, 'true']);
    let ol = NaN;
    let ob = NaN;
    if (other) {
      ol = other.zoneadm('list').ms;
      ob = other.zoneadm('-z', 'bz', 'boot').ms;
      other.zoneadm('-z', 'bz', 'halt');
    }
    let lx = NaN;
    let lxu = NaN;
    if (!lxcWhy) {
      lx = lxcStartOnce();
      lxcStop();
      lxu = lxcStartOnce('benchu');
      lxcStop('benchu');
    }
    if (keep) {
      times.list.push(l.ms);
      times.nodeE0.push(n.ms);
      times.boot.push(bt.ms);
      times.unshare.push(u.ms);
      times.lxc.push(lx);
      times.lxcu.push(lxu);
      times.otherList.push(ol);
      times.otherBoot.push(ob);
    }
  }
  const med = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  results.medians = med;
  results.zoneWorkMs = med.boot - med.list;
  results.otherZoneWorkMs = med.otherBoot - med.otherList;

  // ---- zlogin timings: one running zone and one running container, interleaved
  zoneadm('-z', 'bz', 'boot');
  const bzInit = runFile('bz', 'initPid');
  if (!lxcWhy) {
    lxcStartOnce();
    lxcStartOnce('benchu');
  }
  if (other) other.zoneadm('-z', 'bz', 'boot');
  const zl = { list: [], zlogin: [], nsenter: [], zenter: [], lxcAttach: [], lxcAttachU: [], otherList: [], otherZlogin: [] };
  log(`timing zlogin: ${WARM} warm-up + ${opts.runs} runs per case, interleaved`);
  for (let i = 0; i < WARM + opts.runs; i++) {
    const keep = i >= WARM;
    const row = {
      list: zoneadm('list').ms,
      zlogin: run(ZLOGIN, ['bz', 'true']).ms,
      nsenter: run('nsenter', ['-t', bzInit, '-a', 'true']).ms,
      zenter: run(ZENTER, ['-t', bzInit, '--', 'true']).ms,
      lxcAttach: lxcWhy ? NaN : run('lxc-attach', ['-P', lxcPath, '-n', 'bench', '--', '/bin/true']).ms,
      lxcAttachU: lxcWhy ? NaN : run('lxc-attach', ['-P', lxcPath, '-n', 'benchu', '--', '/bin/true']).ms,
      otherList: other ? other.zoneadm('list').ms : NaN,
      otherZlogin: other ? other.zlogin('bz', 'true').ms : NaN,
    };
    if (keep) for (const [k, v] of Object.entries(row)) zl[k].push(v);
  }
  if (!lxcWhy) {
    lxcStop();
    lxcStop('benchu');
  }
  zoneadm('-z', 'bz', 'halt');
  if (other) other.zoneadm('-z', 'bz', 'halt');
  results.zlogin = Object.fromEntries(Object.entries(zl).map(([k, v]) => [k, median(v)]));
  results.zloginWorkMs = results.zlogin.zlogin - results.zlogin.list;
  results.otherZloginWorkMs = results.zlogin.otherZlogin - results.zlogin.otherList;

  // ---- memory: supervisor vs LXC monitor
  zoneadm('-z', 'bz', 'boot');
  results.supervisorRssKiB = rssKiB(Number(runFile('bz', 'supervisorPid')));
  zoneadm('-z', 'bz', 'halt');
  results.lxcMonitorRssKiB = NaN;
  if (!lxcWhy) {
    lxcStartOnce();
    const init = lxcInitPid();
    const ppid = Number(/^PPid:\s*(\d+)/m.exec(readFileSync(`/proc/${init}/status`, 'utf8'))?.[1]);
    const comm = readFileSync(`/proc/${ppid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    results.lxcMonitorRssKiB = rssKiB(ppid);
    results.lxcMonitor = comm;
    lxcStop();
  }

  // ---- N zones at once
  if (opts.zones > 0) {
    const names = Array.from({ length: opts.zones }, (_, i) => `m${String(i).padStart(3, '0')}`);
    log(`installing ${names.length} sparse zones (concurrency ${opts.concurrency})`);
    let t0 = performance.now();
    await pool(names, opts.concurrency, (z) => makeZone(z));
    results.massInstallS = (performance.now() - t0) / 1000;

    const memBefore = memAvailableKiB();
    const loadBefore = loadavg()[0];
    log(`booting ${names.length} zones (concurrency ${opts.concurrency})`);
    t0 = performance.now();
    const boots = await pool(names, opts.concurrency, async (z) => {
      booted.add(z);
      return zoneadmAsync('-z', z, 'boot');
    });
    results.massBootS = (performance.now() - t0) / 1000;
    results.massBooted = boots.filter((r) => r.code === 0).length;
    const failedBoot = boots.map((r, i) => (r.code ? `${names[i]}: ${r.stderr.trim()}` : '')).filter(Boolean);
    if (failedBoot.length) log(`boot failures:\n${failedBoot.slice(0, 5).join('\n')}`);
    results.massListRunning = zoneadm('list').stdout.trim().split('\n').length - 1;

    // zlogin if it works, else nsenter into the init's namespaces
    const z0init = runFile(names[0], 'initPid');
    const zl = existsSync(ZLOGIN) ? run(ZLOGIN, [names[0], 'true'], { check: false }) : { status: 1 };
    results.answerVia = zl.status === 0 ? 'zlogin z true' : 'nsenter -t <init> -a true';
    log(`asking every zone for \`true\` via ${results.answerVia}${z0init ? '' : ' (no init pid!)'}`);
    t0 = performance.now();
    const answers = await pool(names, opts.concurrency, (z) =>
      zl.status === 0 ? runAsync(ZLOGIN, [z, 'true']) : runAsync('nsenter', ['-t', runFile(z, 'initPid') ?? '0', '-a', 'true']),
    );
    results.massAnswerS = (performance.now() - t0) / 1000;
    results.massAnswered = answers.filter((r) => r.code === 0).length;
    results.massAnswerMedianMs = median(answers.map((r) => r.ms));

    // responsiveness with all of them running: node -e 0 and the supervisors' memory
    results.nodeE0WhileRunningMs = median(Array.from({ length: 5 }, () => run('node', ['-e', '0']).ms));
    results.massSupervisorRssKiB = names.reduce((s, z) => s + (rssKiB(Number(runFile(z, 'supervisorPid'))) || 0), 0);
    results.massMemUsedKiB = memBefore - memAvailableKiB();
    results.loadBefore = loadBefore;
    results.loadAfterBoot = loadavg()[0];

    log(`halting ${names.length} zones`);
    t0 = performance.now();
    const halts = await pool(names, opts.concurrency, (z) => zoneadmAsync('-z', z, 'halt'));
    results.massHaltS = (performance.now() - t0) / 1000;
    results.massHalted = halts.filter((r) => r.code === 0).length;
    results.massLeft = zoneadm('list').stdout.trim().split('\n').length - 1;
    results.loadAfterHalt = loadavg()[0];
  }
  results.cpus = cpus().length;
  results.lxc = lxcWhy ? `not available (${lxcWhy})` : 'ok';
} catch (e) {
  log(`failed: ${e.stack ?? e}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}

// ---------------------------------------------------------------- report
const r = results;
if (opts.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
else if (r.medians) {
  const m = r.medians;
  const lines = [];
  lines.push(`Zone runtime, ${opts.runs} runs per case after 3 warm-up, interleaved; node ${process.version}; ${r.cpus} CPUs`);
  lines.push(`sparse zone install (real installer): ${f1(r.installMs)} ms`);
  lines.push('case                                              median ms');
  lines.push('------------------------------------------------  ---------');
  const row = (name, v) => lines.push(`${name.padEnd(48)}  ${f1(v).padStart(9)}`);
  row('node -e 0', m.nodeE0);
  row('zoneadm list', m.list);
  row('zoneadm -z bz boot (bootargs -i zsched)', m.boot);
  row('  zone work = boot - list', r.zoneWorkMs);
  row('unshare --pid --fork ... chroot ROOT true', m.unshare);
  row(`lxc-start -d + lxc-wait RUNNING${r.lxc === 'ok' ? '' : ' (n/a)'}`, m.lxc);
  row(`  same, unprivileged (lxc.idmap, idmapped rootfs, seccomp)`, m.lxcu);
  const z = r.zlogin;
  row('zoneadm list (zlogin series)', z.list);
  row('zlogin bz true', z.zlogin);
  row('  zone work = zlogin - list', r.zloginWorkMs);
  row('nsenter -t PID -a true', z.nsenter);
  row('zenter -t PID -- true (zlogin\'s helper alone)', z.zenter);
  row(`lxc-attach -- /bin/true${r.lxc === 'ok' ? '' : ' (n/a)'}`, z.lxcAttach);
  row('  same, into the unprivileged container', z.lxcAttachU);
  if (opts.against) {
    row(`zone work of boot, revision ${opts.against}`, r.otherZoneWorkMs);
    row(`zone work of zlogin, revision ${opts.against}`, r.otherZloginWorkMs);
  }
  lines.push(`supervisor VmRSS (zoneadmd): ${r.supervisorRssKiB} kB; LXC monitor: ${Number.isFinite(r.lxcMonitorRssKiB) ? `${r.lxcMonitorRssKiB} kB (${r.lxcMonitor})` : r.lxc}`);
  if (r.massBootS !== undefined) {
    lines.push(
      `${opts.zones} sparse zones: install ${f1(r.massInstallS)} s; boot ${f1(r.massBootS)} s (${r.massBooted} booted, ` +
        `${r.massListRunning} in zoneadm list); \`true\` in each via ${r.answerVia}: ${f1(r.massAnswerS)} s ` +
        `(${r.massAnswered} answered, median ${f1(r.massAnswerMedianMs)} ms); halt ${f1(r.massHaltS)} s (${r.massHalted} halted, ${r.massLeft} left)`,
    );
    lines.push(
      `  while running: node -e 0 ${f1(r.nodeE0WhileRunningMs)} ms (idle ${f1(m.nodeE0)}); supervisors ${Math.round(r.massSupervisorRssKiB / 1024)} MiB total; ` +
        `host memory used ${Math.round(r.massMemUsedKiB / 1024)} MiB; load1 ${r.loadBefore.toFixed(2)} -> ${r.loadAfterBoot.toFixed(2)} (after halt ${r.loadAfterHalt.toFixed(2)})`,
    );
  }
  lines.push('');
  const verdict = (ok) => (ok ? 'PASS' : 'MISS');
  if (r.lxc === 'ok') {
    const ratio = (a, b, k) => `${f1(a)} ms vs ${k}x ${f1(b)} ms = ${(a / b).toFixed(2)}x  ${verdict(a <= k * b)}`;
    lines.push(`target  zone work of zoneadm boot <= 2x lxc-start -d + lxc-wait: privileged ${ratio(r.zoneWorkMs, m.lxc, 2)}; unprivileged ${ratio(r.zoneWorkMs, m.lxcu, 2)}  (informational)`);
    lines.push(`target  zone work of zlogin z true <= 1.5x lxc-attach -- true: privileged ${ratio(r.zloginWorkMs, z.lxcAttach, 1.5)}; unprivileged ${ratio(r.zloginWorkMs, z.lxcAttachU, 1.5)}  (informational)`);
    lines.push(`target  supervisor memory <= LXC monitor RSS: ${r.supervisorRssKiB} kB vs ${r.lxcMonitorRssKiB} kB  ${verdict(r.supervisorRssKiB <= r.lxcMonitorRssKiB)}  (informational)`);
  } else {
    lines.push(`target  zone work <= 2x lxc-start / zlogin <= 1.5x lxc-attach / supervisor <= LXC monitor: not measured (lxc ${r.lxc})`);
  }
  if (r.massBootS !== undefined) {
    const ok = r.massBooted === opts.zones && r.massAnswered === opts.zones && r.nodeE0WhileRunningMs <= 2 * m.nodeE0;
    lines.push(
      `target  ${opts.zones} zones at once: all boot, all answer true, host responsive (node -e 0 <= 2x idle): ` +
        `${r.massBooted}/${opts.zones} booted, ${r.massAnswered}/${opts.zones} answered, node -e 0 ${(r.nodeE0WhileRunningMs / m.nodeE0).toFixed(2)}x  ${verdict(ok)}  (informational)`,
    );
  }
  lines.push(`vs raw unshare: zone work = ${(r.zoneWorkMs / m.unshare).toFixed(2)}x unshare ... chroot true`);
  if (opts.against) {
    lines.push(
      `vs ${opts.against}: boot ${f1(r.zoneWorkMs - r.otherZoneWorkMs)} ms, zlogin ${f1(r.zloginWorkMs - r.otherZloginWorkMs)} ms more zone work ` +
        `(${f1(r.otherZoneWorkMs)} -> ${f1(r.zoneWorkMs)}, ${f1(r.otherZloginWorkMs)} -> ${f1(r.zloginWorkMs)})`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
