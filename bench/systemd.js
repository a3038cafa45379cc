#!/usr/bin/env node
// systemd boot bench: a whole-root Debian zone (debootstrap, default variant: systemd is its
// /sbin/init) booted with `zoneadm boot` until `systemctl is-system-running` says running (or
// degraded), against LXC booting a copy of the very same root until the same answer. Runs are
// interleaved; prints medians and never asserts (docs/architecture.md#numbers-to-reach: boot of a systemd whole-root
// zone to multi-user <= LXC's on the same root). Root only, needs a built tree (`npm run build`).
// The bootstrap is cached in /var/cache/zones-bench (the first run downloads ~300 MB of packages,
// about 1.5 min here); everything else lives in a temporary directory, removed at the end, also
// on failure or ^C. LXC missing: scripts/bench-deps.sh installs it (unless --no-install).
//
//   node bench/systemd.js [--runs N] [--json] [--no-install]
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDir } from '../packages/core/dist/store/paths.js';
import { RUN_FILES } from '../packages/core/dist/runtime/run-files.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ZONEADM = join(REPO, 'packages/zoneadm/bin/run.js');
const ZONECFG = join(REPO, 'packages/zonecfg/bin/run.js');
const CACHE = '/var/cache/zones-bench';

const argv = process.argv.slice(2);
const opts = { runs: 5, json: argv.includes('--json'), install: !argv.includes('--no-install') };
if (argv.includes('--runs')) opts.runs = Math.max(1, Number(argv[argv.indexOf('--runs') + 1]) || 5);
if (argv.includes('-h') || argv.includes('--help')) {
  process.stdout.write('usage: node bench/systemd.js [--runs N] [--json] [--no-install]\n');
  process.exit(0);
}
if (process.getuid?.() !== 0) {
  process.stderr.write('bench: needs root (namespaces, cgroups)\n');
  process.exit(1);
}
const log = (s) => process.stderr.write(`bench: ${s}\n`);
const base = mkdtempSync(join(tmpdir(), 'zones-bench-sd-'));
chmodSync(base, 0o755);
const root = join(base, 'zr');
const zonepath = join(base, 'zones', 'sd');
const lxcPath = join(base, 'lxc');
const env = { ...process.env, ZONES_ROOT: root };
let zoneUp = false;
let lxcUp = false;

function run(cmd, args, { check = true } = {}) {
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10 * 60_000 });
  if (check && r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status} ${r.stderr || r.error || ''}`);
  return r;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : 'n/a');

/** Polls `enter ... systemctl is-system-running` until the boot is over; ms since t0 and the state. */
function waitBooted(enter, t0) {
  for (let i = 0; i < 3000; i++) {
    const st = run(enter[0], [...enter.slice(1), 'systemctl', 'is-system-running'], { check: false }).stdout.trim();
    if (st === 'running' || st === 'degraded') return { ms: performance.now() - t0, state: st };
    spawnSync('sleep', ['0.01']);
  }
  throw new Error(`no end of boot within 30 s (${enter.join(' ')})`);
}
/** systemd's own `Startup finished in ...ms (userspace)`. */
function userspaceMs(enter) {
  const out = run(enter[0], [...enter.slice(1), 'systemd-analyze'], { check: false }).stdout;
  const m = /Startup finished in (?:(\d+)min )?([\d.]+)(ms|s) \(userspace\)/.exec(out);
  return m ? Number(m[1] ?? 0) * 60_000 + Number(m[2]) * (m[3] === 's' ? 1000 : 1) : NaN;
}

function cleanup() {
  if (zoneUp) run('node', [ZONEADM, '-z', 'sd', 'halt'], { check: false });
  if (lxcUp) run('lxc-stop', ['-P', lxcPath, '-n', 'sd', '-k'], { check: false });
  rmSync(base, { recursive: true, force: true });
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => (cleanup(), process.exit(130)));

const res = { zone: [], zoneUser: [], lxc: [], lxcUser: [], list: [] };
try {
  // the zone: whole root, systemd as init, bootstrap cached across runs
  mkdirSync(join(root, 'var/cache'), { recursive: true });
  mkdirSync(CACHE, { recursive: true, mode: 0o755 });
  symlinkSync(CACHE, join(root, 'var/cache/zones'));
  mkdirSync(dirname(zonepath), { recursive: true, mode: 0o755 });
  run('node', [ZONECFG, '-z', 'sd', `create -b; set zonepath=${zonepath}; commit`]);
  log('installing a whole-root zone (debootstrap, default variant: systemd; cached in /var/cache/zones-bench)');
  run('node', [ZONEADM, '-z', 'sd', 'install', '-v', '-']);

  // LXC on a copy of the same root
  const haveLxc = () => spawnSync('sh', ['-c', 'command -v lxc-start && command -v lxc-attach'], { stdio: 'ignore' }).status === 0;
  if (!haveLxc() && opts.install) spawnSync('bash', [join(REPO, 'scripts/bench-deps.sh')], { stdio: ['ignore', 2, 2] });
  const lxc = haveLxc();
  if (lxc) {
    const dir = join(lxcPath, 'sd');
    mkdirSync(dir, { recursive: true });
    run('cp', ['-a', join(zonepath, 'root'), join(dir, 'rootfs')]);
    writeFileSync(
      join(dir, 'config'),
      [
        'lxc.uts.name = sd',
        `lxc.rootfs.path = dir:${join(dir, 'rootfs')}`,
        'lxc.net.0.type = empty',
        'lxc.apparmor.profile = unconfined',
        'lxc.mount.auto = proc:mixed sys:ro cgroup:mixed',
        'lxc.tty.max = 1',
        'lxc.pty.max = 4',
        '',
      ].join('\n'),
    );
  } else log('lxc: not available');

  log(`timing: 1 warm-up + ${opts.runs} boots each, interleaved`);
  for (let i = 0; i <= opts.runs; i++) {
    const keep = i > 0;
    let t0 = performance.now();
    run('node', [ZONEADM, 'list']);
    const list = performance.now() - t0;
    t0 = performance.now();
    run('node', [ZONEADM, '-z', 'sd', 'boot']);
    zoneUp = true;
    const pid = readFileSync(join(runDir('sd', root), RUN_FILES.initPid), 'utf8').trim();
    const zone = waitBooted(['nsenter', '-t', pid, '-a'], t0);
    const zu = userspaceMs(['nsenter', '-t', pid, '-a']);
    run('node', [ZONEADM, '-z', 'sd', 'halt']);
    zoneUp = false;
    let l = { ms: NaN };
    let lu = NaN;
    if (lxc) {
      t0 = performance.now();
      run('lxc-start', ['-P', lxcPath, '-n', 'sd', '-d']);
      lxcUp = true;
      l = waitBooted(['lxc-attach', '-P', lxcPath, '-n', 'sd', '--'], t0);
      lu = userspaceMs(['lxc-attach', '-P', lxcPath, '-n', 'sd', '--']);
      run('lxc-stop', ['-P', lxcPath, '-n', 'sd', '-k']);
      lxcUp = false;
    }
    if (keep) {
      res.list.push(list);
      res.zone.push(zone.ms);
      res.zoneUser.push(zu);
      res.lxc.push(l.ms);
      res.lxcUser.push(lu);
      res.zoneState = zone.state;
      res.lxcState = l.state;
    }
  }
} catch (e) {
  log(`failed: ${e.stack ?? e}`);
  process.exitCode = 1;
} finally {
  cleanup();
}

if (res.zone.length) {
  const m = Object.fromEntries(['list', 'zone', 'zoneUser', 'lxc', 'lxcUser'].map((k) => [k, median(res[k])]));
  const work = m.zone - m.list;
  if (opts.json) process.stdout.write(`${JSON.stringify({ runs: opts.runs, medians: m, zoneWork: work, zoneState: res.zoneState, lxcState: res.lxcState }, null, 2)}\n`);
  else {
    const v = (ok) => (ok ? 'PASS' : 'MISS');
    process.stdout.write(
      [
        `systemd whole-root boot to multi-user (systemctl is-system-running: zone ${res.zoneState}, lxc ${res.lxcState ?? 'n/a'}), ${opts.runs} runs, interleaved`,
        `zoneadm -z sd boot until booted     ${f0(m.zone).padStart(6)} ms   (systemd userspace ${f0(m.zoneUser)} ms)`,
        `  minus zoneadm list (${f0(m.list)} ms)      ${f0(work).padStart(6)} ms`,
        `lxc-start -d until booted           ${f0(m.lxc).padStart(6)} ms   (systemd userspace ${f0(m.lxcUser)} ms)`,
        '',
        `target  systemd zone boot <= LXC's on the same root: end to end ${f0(m.zone)} vs ${f0(m.lxc)} ms = ${(m.zone / m.lxc).toFixed(2)}x  ${v(m.zone <= m.lxc)}; ` +
          `zone work (minus the CLI floor, as the other boot target of docs/architecture.md#numbers-to-reach) ${f0(work)} ms = ${(work / m.lxc).toFixed(2)}x  ${v(work <= m.lxc)}  (informational)`,
      ].join('\n') + '\n',
    );
  }
}
