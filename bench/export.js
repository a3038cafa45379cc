#!/usr/bin/env node
// Export bench: `zoneadm export -t oci-bundle` of a sparse zone (the default template) and
// `-t oci-image` of a blank busybox zone, each beside its baseline in the same run: the copy
// alone (`cp -a --reflink=auto` of the zone root) for the bundle, `tar -cz` of the zone root for
// the image. Prints numbers; never asserts. Exit status 0 unless something broke.
//
//   node bench/export.js [--runs N] [--json]
//
// Run `npm run build` first (it runs bin/zonecfg and bin/zoneadm). Must run as root.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const opts = { runs: 5, json: false };
{
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--json') opts.json = true;
    else if (argv[i] === '--runs' && Number.isInteger(Number(argv[i + 1])) && Number(argv[i + 1]) > 0) opts.runs = Number(argv[++i]);
    else {
      process.stderr.write('usage: node bench/export.js [--runs N] [--json]\n');
      process.exit(2);
    }
  }
}
if (process.getuid && process.getuid() !== 0) {
  process.stderr.write('bench: run as root (exports shift owners)\n');
  process.exit(1);
}

const base = mkdtempSync(join(tmpdir(), 'zones-bench-export-'));
const cleanup = () => rmSync(base, { recursive: true, force: true });
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => process.exit(130));

const env = { ...process.env, ZONES_ROOT: join(base, 'zr') };
function run(cmd, args) {
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) {
    process.stderr.write(`bench: ${cmd} ${args.join(' ')} failed: ${r.stderr}\n`);
    process.exit(1);
  }
}
function timed(cmd, args) {
  const t0 = process.hrtime.bigint();
  run(cmd, args);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const du = (p) => Number(spawnSync('du', ['-sk', p], { encoding: 'utf8' }).stdout.split('\t')[0]);
const log = (m) => process.stderr.write(`bench: ${m}\n`);

const ZONECFG = join(REPO, 'bin/zonecfg');
const ZONEADM = join(REPO, 'bin/zoneadm');
const zones = join(base, 'zones');
mkdirSync(zones);

log('installing a sparse zone and a busybox zone');
run(ZONECFG, ['-z', 'sparse', `create; set zonepath=${zones}/sparse; commit`]);
mkdirSync(join(zones, 'sparse'), { mode: 0o700 });
run(ZONEADM, ['-z', 'sparse', 'install']);
run('bash', [join(REPO, 'fixtures/build-busybox-root.sh'), join(base, 'bb')]);
run(ZONECFG, ['-z', 'bb', `create -b; set zonepath=${zones}/bb; commit`]);
run(ZONEADM, ['-z', 'bb', 'install', '-d', join(base, 'bb/root')]);

const cases = {
  'export -t oci-bundle (sparse zone)': [],
  'baseline: cp -a --reflink=auto of its root': [],
  'export -t oci-image (busybox zone)': [],
  'baseline: tar -cz of its root': [],
};
const names = Object.keys(cases);
for (let i = 0; i < opts.runs; i++) {
  log(`run ${i + 1}/${opts.runs}`);
  const out = join(base, `out${i}`);
  mkdirSync(out);
  cases[names[0]].push(timed(ZONEADM, ['-z', 'sparse', 'export', '-t', 'oci-bundle', join(out, 'bundle')]));
  mkdirSync(join(out, 'copy'));
  cases[names[1]].push(timed('cp', ['-a', '--reflink=auto', '--', `${zones}/sparse/root/.`, join(out, 'copy')]));
  cases[names[2]].push(timed(ZONEADM, ['-z', 'bb', 'export', '-t', 'oci-image', join(out, 'image')]));
  cases[names[3]].push(timed('tar', ['-czf', join(out, 'root.tgz'), '-C', `${zones}/bb/root`, '.']));
  rmSync(out, { recursive: true, force: true });
}

const results = {
  date: new Date().toISOString(),
  runs: opts.runs,
  sizesKiB: { sparseRoot: du(join(zones, 'sparse/root')), busyboxRoot: du(join(zones, 'bb/root')) },
  medianMs: Object.fromEntries(names.map((n) => [n, Number(median(cases[n]).toFixed(1))])),
};
if (opts.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
else {
  process.stdout.write(`export bench, ${opts.runs} runs (median ms); sparse root ${results.sizesKiB.sparseRoot} KiB, busybox root ${results.sizesKiB.busyboxRoot} KiB\n`);
  for (const n of names) process.stdout.write(`  ${n.padEnd(46)} ${String(results.medianMs[n]).padStart(8)}\n`);
}
