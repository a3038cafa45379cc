#!/usr/bin/env node
// Resource controls bench: what caps (capped-memory, capped-cpu, max-lwps) and an exclusive-IP
// veth add to `zoneadm boot` against the plain sparse boot, timed interleaved in one run; then N
// zones (100) booted with caps and a veth each (total time, `zlogin z true` in each, memory); and
// zonestat's own cost per sample with them running: the CPU time of the zonestat process between
// samples (/proc/PID/stat utime + stime), against the same with no zone running, and that as a
// percentage of one CPU at a 5 s interval (docs/architecture.md#numbers-to-reach: well under 1 %).
// Prints numbers only, never asserts.
//
// Needs root and a built tree (`npm run build`). The veths need a network stack of their own: the
// bench runs itself again inside a network namespace it makes (`ip netns exec`, the host's cgroup
// hierarchies mounted again there), whose bridge has no address and no physical port; nothing
// touches the host's network. Everything (zones, the temporary ZONES_ROOT, the namespace and so
// the bridge and the veths) is removed at the end, also on failure or ^C.
//
//   node bench/limits.js [--runs N] [--zones N] [--samples N (30)] [--concurrency N] [--json]
import { execFile, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { f1, memAvailableKiB, median, pool, rssKiB } from './measure.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ZONEADM = join(REPO, 'packages/zoneadm/bin/run.js');
const ZONECFG = join(REPO, 'packages/zonecfg/bin/run.js');
const ZLOGIN = join(REPO, 'packages/zlogin/bin/run.js');
const ZONESTAT = join(REPO, 'packages/zonestat/bin/run.js');
const INNER = '--inner';
/** zonestat samples left out of its cost: the first ones pay for Node's start (lazy compilation, the first collections) */
const SAMPLE_WARMUP = 4;

const opts = { runs: 10, zones: 100, samples: 30, concurrency: 8, json: false, inner: false };
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
    else if (a === '--samples') opts.samples = Math.max(SAMPLE_WARMUP + 2, num());
    else if (a === '--concurrency') opts.concurrency = Math.max(1, num());
    else if (a === '--json') opts.json = true;
    else if (a === INNER) opts.inner = true;
    else if (a === '-h' || a === '--help') {
      process.stdout.write('usage: node bench/limits.js [--runs N] [--zones N] [--samples N] [--concurrency N] [--json]\n');
      process.exit(0);
    } else {
      process.stderr.write(`bench: unknown option ${a}\n`);
      process.exit(2);
    }
  }
}
if (process.getuid?.() !== 0) {
  process.stderr.write('bench: needs root (namespaces, cgroups, veths)\n');
  process.exit(1);
}
const log = (s) => process.stderr.write(`bench: ${s}\n`);

// ---------------------------------------------------------------- outer: the network namespace
if (!opts.inner) {
  const netns = `zones-bench-${process.pid}`;
  const made = spawnSync('ip', ['netns', 'add', netns], { encoding: 'utf8' });
  if (made.status !== 0) {
    log(`ip netns add: ${made.stderr || made.error}`);
    process.exit(1);
  }
  const { hostCgroupLayout } = await import('../packages/core/dist/platform/cgroups/mounts.js');
  const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
  const { mounts, links } = hostCgroupLayout();
  const steps =
    mounts.length === 1 && mounts[0].name === '.'
      ? ['mount -t cgroup2 cgroup2 /sys/fs/cgroup']
      : [
          'mount -t tmpfs -o mode=755 cgroup_root /sys/fs/cgroup',
          ...mounts.flatMap((m) => [`mkdir -p /sys/fs/cgroup/${q(m.name)}`, `mount -t cgroup -o ${q(m.options)} cgroup /sys/fs/cgroup/${q(m.name)}`]),
          ...links.map((l) => `ln -s ${q(l.target)} /sys/fs/cgroup/${q(l.name)}`),
        ];
  const child = spawn('ip', ['netns', 'exec', netns, 'sh', '-c', `${steps.join(' && ')} && exec node "$@"`, 'sh', fileURLToPath(import.meta.url), ...process.argv.slice(2), INNER], { stdio: 'inherit' });
  // The inner bench halts its zones on SIGINT or SIGTERM (a terminal's ^C reaches it directly, as
  // the same process group); the namespace goes once it has exited.
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  const code = await new Promise((res) => child.on('exit', (c, s) => res(c ?? (s ? 130 : 1))));
  spawnSync('ip', ['netns', 'del', netns]);
  process.exit(code);
}

// ---------------------------------------------------------------- inner: the bench itself
const base = mkdtempSync(join(tmpdir(), 'zones-bench-limits-'));
chmodSync(base, 0o755);
const root = join(base, 'zr');
const zonesDir = join(base, 'zones');
mkdirSync(zonesDir, { mode: 0o755 });
const env = { ...process.env, ZONES_ROOT: root };
const BRIDGE = `zlb${process.pid % 100000}`;
const CAPS = 'add capped-memory; set physical=256m; end; add capped-cpu; set ncpus=0.5; end; set max-lwps=500';

function run(cmd, args, { check = true } = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - t0;
  if (check && r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status} ${r.stderr || r.error || ''}`);
  return { ms, ...r };
}
function runAsync(cmd, args) {
  return new Promise((res) => {
    const t0 = performance.now();
    execFile(cmd, args, { env, encoding: 'utf8' }, (err, stdout, stderr) => res({ ms: performance.now() - t0, code: err ? (err.code ?? 1) : 0, stdout, stderr }));
  });
}
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
/** utime + stime of a process, in seconds (USER_HZ = 100) */
const cpuSeconds = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) / 100;
};

/** `kind`: plain, caps, or net (caps and an exclusive-IP veth on the bench's bridge) */
async function makeZone(name, kind, n = 0) {
  const zp = join(zonesDir, name);
  const net = kind === 'net' ? `; set ip-type=exclusive; add net; set physical=${BRIDGE}; set allowed-address=10.77.${Math.floor(n / 250)}.${(n % 250) + 1}/16; end` : '';
  const c = await runAsync('node', [ZONECFG, '-z', name, `create; set zonepath=${zp}; set bootargs="-i zsched"${kind === 'plain' ? '' : `; ${CAPS}`}${net}; commit`]);
  if (c.code !== 0) throw new Error(`zonecfg ${name}: ${c.stderr}`);
  mkdirSync(zp, { mode: 0o700 });
  const i = await runAsync('node', [ZONEADM, '-z', name, 'install']);
  if (i.code !== 0) throw new Error(`install ${name}: ${i.stderr}`);
}

/**
 * Halts every zone in the kernel and removes the temporary directory; once, however often it is
 * called (^C reaches this process twice: from the terminal and forwarded by the outer one). The
 * halts run in a process group of their own, so that another ^C cannot cut them short.
 */
let cleaning;
function cleanup() {
  cleaning ??= (async () => {
    let names = [];
    try {
      names = readdirSync(join(root, 'var/run/zones')).filter((n) => !n.startsWith('.'));
    } catch {
      // nothing booted
    }
    await pool(names, 8, (z) => new Promise((res) => spawn('node', [ZONEADM, '-z', z, 'halt'], { env, stdio: 'ignore', detached: true }).on('exit', res)));
    rmSync(base, { recursive: true, force: true });
  })();
  return cleaning;
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (cleaning) return; // already on its way out
    log(`${sig}: cleaning up`);
    cleanup().finally(() => process.exit(130));
  });
}

/**
 * `zonestat -p 1 N` (or `args` for another node program printing the same footer lines) with its
 * CPU time (all its threads) and RSS read at each interval's footer: CPU per sample after the
 * first SAMPLE_WARMUP.
 */
function zonestatCost(samples, args = [ZONESTAT, '-p', '1', String(samples)]) {
  return new Promise((res, rej) => {
    const p = spawn('node', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const at = [];
    let rss = NaN;
    let buf = '';
    let err = '';
    p.stdout.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (line.startsWith('interval:footer:')) {
          at.push(cpuSeconds(p.pid));
          rss = rssKiB(p.pid);
        }
      }
    });
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => {
      if (code !== 0 || at.length < samples) return rej(new Error(`${args.join(' ')}: exit ${code}: ${err}`));
      const from = SAMPLE_WARMUP - 1;
      res({ perSampleMs: ((at[at.length - 1] - at[from]) / (at.length - 1 - from)) * 1000, samples: at.length, rss });
    });
  });
}

const results = { cpus: cpus().length, node: process.version };
try {
  // ---- (a) boot: plain, caps, caps + veth
  const kinds = { plain: 'lp', caps: 'lc', net: 'ln' };
  log('installing the three boot zones');
  for (const [kind, name] of Object.entries(kinds)) await makeZone(name, kind);
  const WARM = 2;
  const boot = { plain: [], caps: [], net: [] };
  log(`timing zoneadm boot: ${WARM} warm-up + ${opts.runs} runs per case, interleaved`);
  for (let i = 0; i < WARM + opts.runs; i++) {
    for (const [kind, name] of Object.entries(kinds)) {
      const ms = run('node', [ZONEADM, '-z', name, 'boot']).ms;
      run('node', [ZONEADM, '-z', name, 'halt']);
      if (i >= WARM) boot[kind].push(ms);
    }
  }
  results.boot = Object.fromEntries(Object.entries(boot).map(([k, v]) => [k, median(v)]));

  // ---- (c, baselines) a Node process that only wakes every second; zonestat with no zone running
  log(`node waking every second, ${opts.samples} times`);
  const tick = `let n = 0; const t = setInterval(() => { console.log('interval:footer:'); if (++n >= ${opts.samples}) clearInterval(t); }, 1000);`;
  results.nodeTimer = await zonestatCost(opts.samples, ['-e', tick]);
  log(`zonestat -p 1 ${opts.samples}, no zone running`);
  results.zonestatIdle = await zonestatCost(opts.samples);

  // ---- (b) N zones with caps and a veth each
  if (opts.zones > 0) {
    const names = Array.from({ length: opts.zones }, (_, i) => `m${String(i).padStart(3, '0')}`);
    log(`installing ${names.length} zones with caps and a veth (concurrency ${opts.concurrency})`);
    let t0 = performance.now();
    await pool(names, opts.concurrency, (z, i) => makeZone(z, 'net', i));
    results.massInstallS = (performance.now() - t0) / 1000;
    const memBefore = memAvailableKiB();
    log(`booting ${names.length} zones (concurrency ${opts.concurrency})`);
    t0 = performance.now();
    const boots = await pool(names, opts.concurrency, (z) => runAsync('node', [ZONEADM, '-z', z, 'boot']));
    results.massBootS = (performance.now() - t0) / 1000;
    results.massBooted = boots.filter((r) => r.code === 0).length;
    const failed = boots.map((r, i) => (r.code ? `${names[i]}: ${r.stderr.trim()}` : '')).filter(Boolean);
    if (failed.length) log(`boot failures:\n${failed.slice(0, 5).join('\n')}`);
    log('zlogin z true in each');
    t0 = performance.now();
    const answers = await pool(names, opts.concurrency, (z) => runAsync('node', [ZLOGIN, z, 'true']));
    results.massAnswerS = (performance.now() - t0) / 1000;
    results.massAnswered = answers.filter((r) => r.code === 0).length;
    results.massAnswerMedianMs = median(answers.map((r) => r.ms));
    results.massMemUsedKiB = memBefore - memAvailableKiB();
    results.massSupervisorRssKiB = names.reduce((s, z) => {
      try {
        return s + (rssKiB(Number(readFileSync(join(root, 'var/run/zones', z, 'zoneadmd.pid'), 'utf8'))) || 0);
      } catch {
        return s;
      }
    }, 0);
    results.massLinks = readdirSync('/sys/class/net').filter((n) => n.startsWith('zn')).length;

    // ---- (c) zonestat with them running
    log(`zonestat -p 1 ${opts.samples}, ${results.massBooted} zones running`);
    results.zonestatMass = await zonestatCost(opts.samples);
    const check = run('node', [ZONESTAT, '-p', '-P', 'zones', '1', '1']);
    results.zonestatZonesReported = check.stdout.split('\n').filter((l) => l.startsWith('interval:summary:m')).length;

    log(`halting ${names.length} zones`);
    t0 = performance.now();
    const halts = await pool(names, opts.concurrency, (z) => runAsync('node', [ZONEADM, '-z', z, 'halt']));
    results.massHaltS = (performance.now() - t0) / 1000;
    results.massHalted = halts.filter((r) => r.code === 0).length;
  }
} catch (e) {
  log(`failed: ${e.stack ?? e}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}

// ---------------------------------------------------------------- report
const r = results;
if (opts.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
else if (r.boot) {
  const b = r.boot;
  const lines = [];
  lines.push(`Resource controls, ${opts.runs} runs per boot case after 2 warm-up, interleaved; node ${r.node}; ${r.cpus} CPUs`);
  lines.push('zoneadm boot (sparse zone, -i zsched)                         median ms  vs plain');
  lines.push('------------------------------------------------------------  ---------  --------');
  const row = (name, v) => lines.push(`${name.padEnd(60)}  ${f1(v).padStart(9)}  ${`${v >= b.plain ? '+' : ''}${f1(v - b.plain)}`.padStart(8)}`);
  row('plain', b.plain);
  row('caps: capped-memory 256m, capped-cpu 0.5, max-lwps 500', b.caps);
  row('caps + exclusive-IP veth on a bridge', b.net);
  if (r.massBootS !== undefined) {
    lines.push(
      `${opts.zones} zones with caps and a veth: install ${f1(r.massInstallS)} s; boot ${f1(r.massBootS)} s (${r.massBooted} booted, ${r.massLinks} veths); ` +
        `zlogin z true in each ${f1(r.massAnswerS)} s (${r.massAnswered} answered, median ${f1(r.massAnswerMedianMs)} ms); halt ${f1(r.massHaltS)} s (${r.massHalted} halted)`,
    );
    lines.push(`  memory: host ${Math.round(r.massMemUsedKiB / 1024)} MiB more in use, supervisors ${Math.round(r.massSupervisorRssKiB / 1024)} MiB`);
  }
  const zs = (x) => `${f2(x.perSampleMs)} ms CPU per sample = ${f2((x.perSampleMs / 5000) * 100)} % of one CPU at a 5 s interval, VmRSS ${Math.round(x.rss / 1024)} MiB`;
  lines.push(`node waking every second (the floor):   ${zs(r.nodeTimer).replace(' per sample', ' per wake-up')}`);
  lines.push(`zonestat -p, no zone running:           ${zs(r.zonestatIdle)}`);
  if (r.zonestatMass) {
    lines.push(`zonestat -p, ${r.massBooted} zones running:        ${zs(r.zonestatMass)} (${r.zonestatZonesReported} zones reported)`);
    const pct = (r.zonestatMass.perSampleMs / 5000) * 100;
    lines.push(`target  a zonestat sample with ${opts.zones} zones running well under 1 % of one CPU at 5 s: ${f2(pct)} %  ${pct < 0.5 ? 'PASS' : 'MISS'}  (informational; "well under" read as < 0.5 %)`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
