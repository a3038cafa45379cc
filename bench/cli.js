#!/usr/bin/env node
// CLI startup bench: zoneadm/zonecfg/zlogin against `node -e 0` and LXC's `lxc-ls --fancy`,
// measured in the same run. Prints numbers only; never asserts timing (docs/architecture.md#numbers-to-reach targets
// are shown as PASS/MISS for information). Exit status is 0 unless something crashed (a CLI under
// test exited with another status than its case expects, or the fixture could not be made).
//
//   node bench/cli.js [--runs N] [--json] [--no-install] [--compare DIR]
//
// Run `npm run build` first: the CLIs run from packages/*/dist (and its bundles). --compare DIR
// times the CLIs of another built checkout (e.g. a `git worktree` of main) in the same loop.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ZONEADM = join(REPO, 'packages/zoneadm/bin/run.js');
const ZONECFG = join(REPO, 'packages/zonecfg/bin/run.js');
const ZLOGIN = join(REPO, 'packages/zlogin/bin/run.js');
const DEPS_SCRIPT = join(REPO, 'scripts/bench-deps.sh');
const ZONE_COUNT = 200;
const WARMUP = 3;
// docs/architecture.md#numbers-to-reach, first row of the targets table.
const TARGET = {
  id: 'cli-floor',
  text: 'CLI floor: zoneadm list -cv with 200 zones <= 1.5x node -e 0',
  case: 'zoneadm-list',
  baseline: 'node-e-0',
  limit: 1.5,
};

// ---------------------------------------------------------------- options
function usage(code) {
  (code === 0 ? process.stdout : process.stderr).write(
    'usage: node bench/cli.js [--runs N] [--json] [--no-install] [--compare DIR]\n' +
      '  --runs N       timed runs per case (default 30), after 3 warm-up runs\n' +
      '  --json         print the results as JSON on stdout (progress goes to stderr)\n' +
      '  --no-install   do not run scripts/bench-deps.sh when lxc-ls is missing\n' +
      '  --compare DIR  also time the CLIs of the built checkout DIR, interleaved with these\n',
  );
  process.exit(code);
}

const opts = { runs: 30, json: false, install: true, compare: undefined };
{
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') opts.json = true;
    else if (a === '--no-install') opts.install = false;
    else if (a === '--compare' || a.startsWith('--compare=')) {
      const v = a === '--compare' ? argv[++i] : a.slice('--compare='.length);
      if (!v) {
        process.stderr.write('bench: --compare needs the directory of a built checkout\n');
        usage(2);
      }
      opts.compare = resolve(v);
    }
    else if (a === '--runs' || a.startsWith('--runs=')) {
      const v = a === '--runs' ? argv[++i] : a.slice('--runs='.length);
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) {
        process.stderr.write(`bench: --runs needs a positive integer, got ${v ?? 'nothing'}\n`);
        usage(2);
      }
      opts.runs = n;
    } else if (a === '-h' || a === '--help') usage(0);
    else {
      process.stderr.write(`bench: unknown option ${a}\n`);
      usage(2);
    }
  }
}

const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

// ---------------------------------------------------------------- temp dirs, cleaned up whatever happens
const tempDirs = [];
function makeTemp(prefix) {
  const d = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(d);
  return d;
}
function cleanup() {
  while (tempDirs.length > 0) {
    const d = tempDirs.pop();
    try {
      rmSync(d, { recursive: true, force: true });
    } catch (err) {
      process.stderr.write(`bench: could not remove ${d}: ${err.message}\n`);
    }
  }
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    cleanup();
    process.exit(128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[sig]));
  });
}

// ---------------------------------------------------------------- helpers
function which(cmd) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, cmd);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* not here */
    }
  }
  // sbin dirs are not always on PATH for non-root shells
  for (const dir of ['/usr/local/bin', '/usr/bin', '/bin', '/usr/sbin', '/sbin']) {
    const p = join(dir, cmd);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

/** Sorted-sample percentile, nearest rank (p90 of 30 runs = 27th smallest). */
function percentile(sorted, p) {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}
function median(sorted) {
  const n = sorted.length;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}
const round = (x, d = 2) => (x === undefined || x === null || Number.isNaN(x) ? null : Number(x.toFixed(d)));

class CaseFailed extends Error {}

/**
 * Discarded output: /dev/null opened write-only, as a shell's `>/dev/null`. (stdio 'ignore' hands
 * the child a read-write /dev/null, which the CLIs cannot tell from a closed stdout and report as
 * a lost write: docs/architecture.md#output-faults.)
 */
const DISCARD = openSync('/dev/null', 'w');

/** Lets pending signal handlers run between (synchronous) runs, outside the timed region. */
const yieldToSignals = () => new Promise((r) => setImmediate(r));

/** One run: wall time of spawnSync in ms. stdout discarded, stderr kept for the error message. */
function runOnce(c) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(c.cmd, c.args, { cwd: REPO, env: c.env, stdio: ['ignore', DISCARD, 'pipe'] });
  const t1 = process.hrtime.bigint();
  if (r.error || r.status !== (c.status ?? 0)) {
    const why = r.error ? r.error.message : r.signal ? `killed by ${r.signal}` : `exit ${r.status}`;
    throw new CaseFailed(`${c.label}: ${why}\n${String(r.stderr ?? '').trim()}`);
  }
  return Number(t1 - t0) / 1e6;
}

// ---------------------------------------------------------------- fixture: 200 zones + `z`
async function makeZonesRoot() {
  const root = makeTemp('zones-bench-');
  const names = [...Array.from({ length: ZONE_COUNT }, (_, i) => `z${String(i + 1).padStart(3, '0')}`), 'z'];
  let how;
  try {
    const { ZoneStore } = await import(pathToFileURL(join(REPO, 'packages/core/dist/store/zone-store.js')).href);
    const { defaultTemplate } = await import(pathToFileURL(join(REPO, 'packages/core/dist/store/templates.js')).href);
    const store = new ZoneStore(root);
    for (const name of names) {
      const cfg = defaultTemplate(name);
      cfg.globals.zonepath = `/zones/${name}`;
      store.save(cfg);
    }
    how = 'store API';
  } catch (err) {
    // The store API moved or broke (someone mid-edit): fall back to the CLI, slower but public.
    log(`store API unusable (${err.message.split('\n')[0]}); creating zones through zonecfg`);
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    for (const name of names) {
      const r = spawnSync(process.execPath, [ZONECFG, '-z', name, `create; set zonepath=/zones/${name}`], {
        cwd: REPO,
        env: { ...process.env, ZONES_ROOT: root },
        stdio: ['ignore', DISCARD, 'pipe'],
      });
      if (r.status !== 0) throw new CaseFailed(`zonecfg create ${name}: exit ${r.status}\n${r.stderr}`);
    }
    how = 'zonecfg';
  }
  return { root, how, count: names.length };
}

/** `zoneadm list -cv` must actually list the 200 zones, or the timing means nothing. */
function checkList(env) {
  const r = spawnSync(process.execPath, [ZONEADM, 'list', '-cv'], { cwd: REPO, env, encoding: 'utf8' });
  if (r.status !== 0) throw new CaseFailed(`zoneadm list -cv: exit ${r.status}\n${r.stderr}`);
  const zoneLines = r.stdout.split('\n').filter((l) => /\bz\d{3}\b|\sz\s/.test(l)).length;
  if (zoneLines !== ZONE_COUNT + 1) {
    throw new CaseFailed(`zoneadm list -cv printed ${zoneLines} zone lines, expected ${ZONE_COUNT + 1}:\n${r.stdout.slice(0, 400)}`);
  }
}

// ---------------------------------------------------------------- LXC
function findLxc() {
  let lxc = which('lxc-ls');
  if (lxc) return { path: lxc };
  if (!opts.install) return { reason: 'lxc-ls not installed; --no-install given (scripts/bench-deps.sh installs it)' };
  log('lxc-ls missing: running scripts/bench-deps.sh');
  // Its output goes to stderr so that --json keeps stdout clean.
  const r = spawnSync('bash', [DEPS_SCRIPT], { cwd: REPO, stdio: ['ignore', 2, 2], timeout: 10 * 60_000 });
  lxc = which('lxc-ls');
  if (lxc) return { path: lxc };
  const why = r.error ? r.error.message : r.signal ? `killed by ${r.signal}` : `exit ${r.status}`;
  return { reason: `scripts/bench-deps.sh failed (${why}); lxc-ls still missing` };
}

// ---------------------------------------------------------------- main
async function main() {
  const nodeVersion = process.version;
  log(`creating ${ZONE_COUNT} zones + z`);
  const fixture = await makeZonesRoot();
  const zenv = { ...process.env, ZONES_ROOT: fixture.root };
  checkList(zenv);

  // The CLI cases: each fast path (zoneadm's lifecycle one and zlogin's up to their first check of
  // the zone: `z` is only configured, so both refuse it with exit 1).
  const cli = (dir) => [
    { id: 'zoneadm-list', label: `zoneadm list -cv (${ZONE_COUNT} zones)`, args: [ZONEADM, 'list', '-cv'] },
    { id: 'zonecfg-info', label: 'zonecfg -z z info', args: [ZONECFG, '-z', 'z', 'info'] },
    { id: 'zoneadm-halt', label: 'zoneadm -z z halt (refused)', args: [ZONEADM, '-z', 'z', 'halt'], status: 1 },
    { id: 'zlogin', label: 'zlogin z true (refused)', args: [ZLOGIN, 'z', 'true'], status: 1 },
  ].map((c) => ({ ...c, cmd: process.execPath, env: zenv, args: [join(dir, relative(REPO, c.args[0])), ...c.args.slice(1)] }));
  const cases = [{ id: 'node-e-0', label: 'node -e 0', cmd: process.execPath, args: ['-e', '0'], env: zenv }, ...cli(REPO)];
  if (opts.compare) {
    log(`--compare: also timing the CLIs of ${opts.compare}`);
    for (const c of cli(opts.compare)) cases.push({ ...c, id: `${c.id}@compare`, label: `${c.label} [${opts.compare}]`, compare: true });
  }

  const lxc = findLxc();
  let lxcCase;
  if (lxc.path) {
    const lxcPath = makeTemp('zones-bench-lxc-');
    lxcCase = { id: 'lxc-ls', label: 'lxc-ls --fancy (empty -P)', cmd: lxc.path, args: ['--fancy', '-P', lxcPath], env: process.env };
    // Must work once; if it cannot (e.g. no permission), report it as unavailable, not a crash.
    try {
      runOnce(lxcCase);
      cases.push(lxcCase);
    } catch (err) {
      lxc.reason = `lxc-ls --fancy failed: ${err.message.split('\n').slice(0, 2).join(' ').trim()}`;
      lxcCase = undefined;
    }
  }

  log(`warm-up: ${WARMUP} runs per case`);
  for (const c of cases) for (let i = 0; i < WARMUP; i++) runOnce(c), await yieldToSignals();

  // Cases are interleaved run by run, so drift in machine load hits them all alike.
  log(`timing: ${opts.runs} runs per case, interleaved`);
  const samples = new Map(cases.map((c) => [c.id, []]));
  for (let i = 0; i < opts.runs; i++) {
    for (const c of cases) samples.get(c.id).push(runOnce(c));
    await yieldToSignals();
  }

  const stats = new Map();
  for (const c of cases) {
    const s = samples.get(c.id).slice().sort((a, b) => a - b);
    stats.set(c.id, { median: median(s), p90: percentile(s, 90), min: s[0], max: s[s.length - 1] });
  }
  const floor = stats.get('node-e-0').median;
  const lxcMedian = lxcCase ? stats.get('lxc-ls').median : undefined;

  const results = cases.map((c) => {
    const st = stats.get(c.id);
    return {
      id: c.id,
      case: c.label,
      command: [c.cmd === process.execPath ? 'node' : c.cmd, ...c.args.map((a) => (a.startsWith(REPO + '/') ? a.slice(REPO.length + 1) : a))].join(' '),
      median_ms: round(st.median),
      p90_ms: round(st.p90),
      min_ms: round(st.min),
      max_ms: round(st.max),
      ratio_to_node: round(st.median / floor),
      ratio_to_lxc_ls: lxcMedian ? round(st.median / lxcMedian) : null,
    };
  });

  const tRatio = stats.get(TARGET.case).median / stats.get(TARGET.baseline).median;
  const target = { ...TARGET, ratio: round(tRatio), result: tRatio <= TARGET.limit ? 'PASS' : 'MISS' };

  const out = {
    date: new Date().toISOString(),
    node: nodeVersion,
    runs: opts.runs,
    warmup: WARMUP,
    zones: ZONE_COUNT,
    extra_zone: 'z',
    fixture: fixture.how,
    lxc: lxcCase ? { available: true, path: lxc.path } : { available: false, reason: lxc.reason },
    compare: opts.compare ?? null,
    cases: results,
    targets: [target],
  };

  if (opts.json) {
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return;
  }

  const head = ['case', 'median ms', 'p90 ms', 'x node -e 0', 'x lxc-ls'];
  const rows = results.map((r) => [
    r.case,
    r.median_ms.toFixed(1),
    r.p90_ms.toFixed(1),
    r.ratio_to_node.toFixed(2) + 'x',
    r.ratio_to_lxc_ls === null ? '-' : r.ratio_to_lxc_ls.toFixed(1) + 'x',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  const lines = [];
  lines.push(`CLI startup, ${opts.runs} runs per case after ${WARMUP} warm-up, interleaved; node ${nodeVersion}; ${ZONE_COUNT} zones + z in a temporary ZONES_ROOT (made via ${fixture.how})`);
  lines.push(fmt(head));
  lines.push(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) lines.push(fmt(r));
  if (!lxcCase) lines.push(`lxc-ls: not available (${lxc.reason})`);
  lines.push('');
  lines.push(`target  ${target.text}: ${tRatio.toFixed(2)}x  ${target.result}  (informational)`);
  if (lxcMedian) {
    const zl = stats.get('zoneadm-list').median;
    const zi = stats.get('zonecfg-info').median;
    lines.push(`vs LXC  zoneadm list -cv = ${(zl / lxcMedian).toFixed(1)}x lxc-ls --fancy; zonecfg info = ${(zi / lxcMedian).toFixed(1)}x; node -e 0 alone = ${(floor / lxcMedian).toFixed(1)}x`);
  }
  if (opts.compare) {
    const diffs = cases.filter((c) => c.compare).map((c) => {
      const id = c.id.replace(/@compare$/, '');
      const d = stats.get(id).median - stats.get(c.id).median;
      return `${id} ${d >= 0 ? '+' : ''}${d.toFixed(1)} ms`;
    });
    lines.push(`vs ${opts.compare}  (medians, this checkout minus that one)  ${diffs.join('; ')}`);
  }
  process.stdout.write(lines.join('\n') + '\n');
}

try {
  await main();
} catch (err) {
  process.stderr.write(`bench: ${err instanceof CaseFailed ? err.message : err.stack ?? err}\n`);
  process.exitCode = 1;
} finally {
  cleanup();
}
