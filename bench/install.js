#!/usr/bin/env node
// Install bench: small-zone install (time, disk), debootstrap whole-root install (first run and
// from the cache), and the clone copy of a minbase root (`cp -a --reflink=auto` against plain
// `cp -a`, in the same run). Prints numbers; never asserts (docs/architecture.md#numbers-to-reach targets are shown
// as PASS/MISS for information). Exit status 0 unless something broke.
//
//   node bench/install.js [--runs N] [--cache DIR] [--fresh] [--xfs] [--json]
//
// Run `npx tsc -b` first: it loads packages/core/dist. Must run as root (installs chown files).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(REPO, 'packages/core/dist/brands');

function usage(code) {
  (code === 0 ? process.stdout : process.stderr).write(
    'usage: node bench/install.js [--runs N] [--cache DIR] [--fresh] [--xfs] [--json]\n' +
      '  --runs N     sparse installs and clone copies to time (default 5; medians are shown)\n' +
      '  --cache DIR  bootstrap cache (default $ZONES_TEST_CACHE or /var/cache/zones-test, shared with the tests)\n' +
      '  --fresh      measure a first debootstrap into an empty temporary cache (about 30 s)\n' +
      '  --xfs        also time the clone copies on a loop-mounted XFS with reflink (needs xfsprogs)\n' +
      '  --json       print the results as JSON on stdout\n',
  );
  process.exit(code);
}

const opts = { runs: 5, cache: process.env.ZONES_TEST_CACHE ?? '/var/cache/zones-test', fresh: false, json: false, xfs: false };
{
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') opts.json = true;
    else if (a === '--fresh') opts.fresh = true;
    else if (a === '--xfs') opts.xfs = true;
    else if (a === '--runs') {
      opts.runs = Number(argv[++i]);
      if (!Number.isInteger(opts.runs) || opts.runs < 1) usage(2);
    } else if (a === '--cache') {
      opts.cache = argv[++i];
      if (!opts.cache) usage(2);
    } else if (a === '-h' || a === '--help') usage(0);
    else {
      process.stderr.write(`bench: unknown option ${a}\n`);
      usage(2);
    }
  }
}
if (process.getuid && process.getuid() !== 0) {
  process.stderr.write('bench: run as root (installs set owners and modes)\n');
  process.exit(1);
}

const log = (m) => process.stderr.write(`bench: ${m}\n`);
const tempDirs = [];
function makeTemp(prefix) {
  const d = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(d);
  return d;
}
function cleanup() {
  while (tempDirs.length) rmSync(tempDirs.pop(), { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    cleanup();
    process.exit(128 + { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[sig]);
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
const r2 = (x) => Number(x.toFixed(2));
function duK(p) {
  const r = spawnSync('du', ['-sk', p], { encoding: 'utf8' });
  return Number(r.stdout.split('\t')[0]);
}
function fsType(p) {
  const r = spawnSync('stat', ['-f', '-c', '%T', p], { encoding: 'utf8' });
  return r.stdout.trim() || 'unknown';
}

let brands;
try {
  brands = {
    index: await import(pathToFileURL(join(DIST, 'index.js')).href),
    debootstrap: await import(pathToFileURL(join(DIST, 'debootstrap.js')).href),
    cache: await import(pathToFileURL(join(DIST, 'cache.js')).href),
  };
} catch (err) {
  process.stderr.write(`bench: cannot load ${DIST} (run npx tsc -b first): ${err.message}\n`);
  process.exit(1);
}

function ctxFor(base, zonename, cfg, cacheDir) {
  const zonepath = join(base, zonename);
  mkdirSync(zonepath, { mode: 0o700, recursive: true });
  const steps = [];
  return {
    zonename,
    zonepath,
    root: join(zonepath, 'root'),
    config: cfg,
    options: {},
    profile: brands.index.defaultProfile(zonename),
    progress: { step: (m) => steps.push(m), log: () => {} },
    cacheDir,
    hostRoot: '/',
    signal: new AbortController().signal,
    steps,
  };
}
const cfg = (name, brand, inherit) => ({
  globals: { zonename: name, zonepath: `/zones/${name}`, brand, autoboot: 'false', bootargs: '', pool: '', limitpriv: '', 'scheduling-class': '', 'ip-type': 'shared', hostid: '', 'fs-allowed': '' },
  resources: inherit.map((dir) => ({ type: 'inherit-pkg-dir', props: { dir } })),
});

const results = { date: new Date().toISOString(), runs: opts.runs, tmpfs: fsType(tmpdir()) };

// ---------------------------------------------------------------- 1. sparse install
{
  log(`sparse install x${opts.runs}`);
  const base = makeTemp('zones-bench-sparse-');
  const times = [];
  let kib = 0;
  for (let i = 0; i < opts.runs; i++) {
    const ctx = ctxFor(base, `s${i}`, cfg(`s${i}`, 'native', ['/usr']), join(base, 'cache'));
    const t0 = process.hrtime.bigint();
    await brands.index.installerFor('native', ctx.config, {}).install(ctx);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    kib = duK(ctx.root);
    rmSync(ctx.zonepath, { recursive: true, force: true });
  }
  results.sparse = { median_ms: r2(median(times)), min_ms: r2(Math.min(...times)), max_ms: r2(Math.max(...times)), disk_kib: kib };
}

// ---------------------------------------------------------------- 2. debootstrap, first and cached
let minbaseRoot;
{
  const base = makeTemp('zones-bench-deb-');
  const plan = await brands.debootstrap.planDebootstrap({ options: {}, hostRoot: '/' });
  const cacheDir = opts.fresh ? join(base, 'fresh-cache') : opts.cache;
  const file = join(cacheDir, brands.cache.cacheFileName({ distro: plan.distro, release: plan.suite, arch: plan.arch, variant: plan.variant, mirror: plan.mirror }));
  results.debootstrap = { suite: plan.suite, arch: plan.arch, variant: plan.variant, cache: cacheDir };
  if (existsSync(file)) {
    results.debootstrap.first_s = null;
    results.debootstrap.first = `cached (${file} exists; --fresh measures a first run)`;
  } else {
    log(`debootstrap ${plan.suite} ${plan.variant} (first run, into ${cacheDir})`);
    const ctx = ctxFor(base, 'first', cfg('first', 'debian', []), cacheDir);
    const t0 = process.hrtime.bigint();
    await new brands.debootstrap.DebootstrapInstaller().install(ctx);
    results.debootstrap.first_s = r2(Number(process.hrtime.bigint() - t0) / 1e9);
    results.debootstrap.first = 'measured';
    rmSync(ctx.zonepath, { recursive: true, force: true });
  }
  log('debootstrap from the cache');
  const ctx = ctxFor(base, 'cached', cfg('cached', 'debian', []), cacheDir);
  const t0 = process.hrtime.bigint();
  await new brands.debootstrap.DebootstrapInstaller().install(ctx);
  results.debootstrap.cached_s = r2(Number(process.hrtime.bigint() - t0) / 1e9);
  results.debootstrap.root_kib = duK(ctx.root);
  minbaseRoot = ctx.root;
}

// ---------------------------------------------------------------- 3. clone copy of the minbase root
// Each copy is timed up to a `sync`, so page-cache write-back is counted (a reflink clone must
// flush the source's dirty pages; a plain copy would otherwise just fill the page cache).
// Note: GNU cp >= 9.0 (Debian 12 has 9.1) already reflinks by default, so plain `cp -a` equals
// `--reflink=auto`; the real full copy is `--reflink=never`, which is the baseline of the ratio.
function cloneBench(src, base) {
  const variants = [
    ['cp -a --reflink=auto', ['-a', '--reflink=auto']],
    ['cp -a', ['-a']],
    ['cp -a --reflink=never', ['-a', '--reflink=never']],
  ];
  const times = Object.fromEntries(variants.map(([k]) => [k, []]));
  spawnSync('sync');
  for (let i = 0; i < opts.runs; i++) {
    for (const [label, args] of variants) {
      const dest = join(base, `c${i}`);
      mkdirSync(dest);
      const t0 = process.hrtime.bigint();
      const r = spawnSync('cp', [...args, `${src}/.`, `${dest}/`], { stdio: ['ignore', 'ignore', 'pipe'] });
      spawnSync('sync');
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r.status !== 0) throw new Error(`${label} failed: ${r.stderr}`);
      times[label].push(ms);
      rmSync(dest, { recursive: true, force: true });
      spawnSync('sync');
    }
  }
  const out = { fs: fsType(base) };
  for (const [label] of variants) out[label] = r2(median(times[label]));
  out.ratio = r2(out['cp -a --reflink=auto'] / out['cp -a --reflink=never']);
  return out;
}
{
  const base = makeTemp('zones-bench-clone-');
  log(`clone copies x${opts.runs} (interleaved) on ${fsType(base)}`);
  results.clone = cloneBench(minbaseRoot, base);
}
// --xfs: the same on a loop-mounted XFS with reflink (needs mkfs.xfs from xfsprogs and a loop device)
if (opts.xfs) {
  const base = makeTemp('zones-bench-xfs-');
  const img = join(base, 'xfs.img');
  const mnt = join(base, 'mnt');
  mkdirSync(mnt);
  const sh = (cmd, args) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.error?.message ?? r.stderr}`);
  };
  try {
    sh('truncate', ['-s', '4G', img]);
    sh('mkfs.xfs', ['-q', '-m', 'reflink=1', img]);
    sh('mount', ['-o', 'loop', img, mnt]);
    try {
      log('clone copies on a loop-mounted XFS (reflink=1)');
      mkdirSync(join(mnt, 'src'));
      sh('cp', ['-a', '--reflink=never', `${minbaseRoot}/.`, `${join(mnt, 'src')}/`]);
      spawnSync('sync');
      mkdirSync(join(mnt, 'work'));
      results.clone_xfs = cloneBench(join(mnt, 'src'), join(mnt, 'work'));
    } finally {
      spawnSync('umount', [mnt]);
    }
  } catch (err) {
    results.clone_xfs = { error: err.message };
  }
}

// ---------------------------------------------------------------- report
const targets = [
  { text: 'small-zone install < 1 s', ok: results.sparse.median_ms < 1000, value: `${results.sparse.median_ms} ms` },
  { text: 'small-zone install < 10 MiB', ok: results.sparse.disk_kib < 10240, value: `${results.sparse.disk_kib} KiB` },
  { text: 'whole-root install, second time < 5 s', ok: results.debootstrap.cached_s < 5, value: `${results.debootstrap.cached_s} s` },
  { text: `clone <= 0.2x a full copy (${results.clone.fs})`, ok: results.clone.ratio <= 0.2, value: `${results.clone.ratio}x` },
];
if (results.clone_xfs && !results.clone_xfs.error) {
  targets.push({ text: 'clone <= 0.2x a full copy (xfs, reflink)', ok: results.clone_xfs.ratio <= 0.2, value: `${results.clone_xfs.ratio}x` });
}
results.targets = targets.map((t) => ({ ...t, result: t.ok ? 'PASS' : 'MISS' }));
if (opts.json) {
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
} else {
  const d = results.debootstrap;
  const out = [
    `sparse install (native, inherit /usr), median of ${opts.runs}: ${results.sparse.median_ms} ms (min ${results.sparse.min_ms}, max ${results.sparse.max_ms}); disk ${results.sparse.disk_kib} KiB (du -sk)`,
    `debootstrap ${d.suite} ${d.variant} ${d.arch}, first run: ${d.first_s === null ? d.first : `${d.first_s} s`}`,
    `debootstrap ${d.suite} ${d.variant} ${d.arch}, from the cache: ${d.cached_s} s; root ${d.root_kib} KiB`,
    ...[['', results.clone], [' (loop XFS)', results.clone_xfs]]
      .filter(([, c]) => c)
      .map(([tag, c]) =>
        c.error
          ? `clone copies${tag}: not measured: ${c.error}`
          : `clone of that root${tag} on ${c.fs}, median of ${opts.runs}, each up to sync: cp -a --reflink=auto ${c['cp -a --reflink=auto']} ms, cp -a ${c['cp -a']} ms, cp -a --reflink=never ${c['cp -a --reflink=never']} ms; reflink/never ${c.ratio}x`,
      ),
    '',
    ...results.targets.map((t) => `target: ${t.text}: ${t.value} ${t.result}`),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}
