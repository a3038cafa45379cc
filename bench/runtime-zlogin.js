#!/usr/bin/env node
// zlogin bench: `zlogin z true` against `nsenter -t PID -a true`, the zenter helper alone, and the
// CLI floor (`node -e 0`, `zoneadm list`), all in one interleaved run against one booted sparse
// zone (minimal init). Prints medians; never asserts. DESIGN.md section 4 target: zone work of
// `zlogin z true` (its time minus `zoneadm list`) <= 2x `lxc-attach -- true`; no LXC container is
// made here, so the ratio uses the 6.0 ms lxc-attach baseline of DESIGN.md section 4.
//
//   node bench/runtime-zlogin.js [--runs N] [--json]        (root; run `npm run build` first)
//
// Note: on cgroup v1 without `favordynmods`, joining a cgroup waits for an RCU grace period
// (~15-20 ms on a 250 Hz kernel) unless another migration happened just before; back-to-back
// runs of a C tool hide that, a Node CLI does not. See docs in the zlogin report.
import { spawnSync } from 'node:child_process';
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const core = (m) => import(pathToFileURL(join(REPO, 'packages/core/dist', m)).href);
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) > 0 && args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 50;
const json = args.includes('--json');
const log = (s) => process.stderr.write(`${s}\n`);
if (process.getuid() !== 0) {
  log('bench/runtime-zlogin: needs root');
  process.exit(1);
}

const { ZoneStore } = await core('store/zone-store.js');
const { defaultTemplate } = await core('store/templates.js');
const { bootZone, haltZone } = await core('runtime/index.js');

const base = mkdtempSync(join(tmpdir(), 'zones-bench-zlogin-'));
const root = join(base, 'zr');
const name = 'zbench';
let booted = false;
async function cleanup() {
  if (booted) await haltZone(name, { root }).catch(() => undefined);
  booted = false;
  rmSync(base, { recursive: true, force: true });
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => cleanup().then(() => process.exit(130)));

try {
  const store = new ZoneStore(root);
  const cfg = defaultTemplate(name);
  cfg.globals.zonepath = join(base, 'zones', name);
  store.save(cfg);
  const zroot = join(cfg.globals.zonepath, 'root');
  mkdirSync(cfg.globals.zonepath, { recursive: true, mode: 0o700 });
  for (const d of ['etc', 'var', 'tmp', 'root', 'dev', 'proc', 'sys', 'usr']) mkdirSync(join(zroot, d), { recursive: true });
  for (const l of ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32']) {
    try {
      if (lstatSync(`/${l}`).isSymbolicLink()) symlinkSync(readlinkSync(`/${l}`), join(zroot, l));
    } catch {
      // not on this host
    }
  }
  cpSync('/etc', join(zroot, 'etc'), { recursive: true, verbatimSymlinks: true });
  store.setState(name, 'installed');
  const z = await bootZone(name, { root, bootargs: ['-i', 'zsched'] });
  booted = true;
  const pid = String(z.initPid);
  const env = { ...process.env, ZONES_ROOT: root };
  const node = process.execPath;
  const cases = [
    ['node -e 0', node, ['-e', '0']],
    ['zoneadm list', node, [join(REPO, 'packages/zoneadm/bin/run.js'), 'list']],
    ['zlogin z true', node, [join(REPO, 'packages/zlogin/bin/run.js'), name, 'true']],
    ['nsenter -t PID -a true', 'nsenter', ['-t', pid, '-a', 'true']],
    ['zenter -t PID -- true', join(REPO, 'packages/core/native/bin/zenter'), ['-t', pid, '--', 'true']],
  ];
  const times = Object.fromEntries(cases.map(([n]) => [n, []]));
  for (let i = -3; i < runs; i++) {
    for (const [n, cmd, a] of cases) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(cmd, a, { env, stdio: ['ignore', 'ignore', 'pipe'] });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r.status !== 0) throw new Error(`${n} failed (${r.status}): ${r.stderr}`);
      if (i >= 0) times[n].push(ms);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const res = Object.fromEntries(Object.entries(times).map(([n, xs]) => [n, Number(median(xs).toFixed(2))]));
  const work = res['zlogin z true'] - res['zoneadm list'];
  const LXC_ATTACH = 6.0;
  if (json) process.stdout.write(`${JSON.stringify({ runs, medians: res, zloginWork: work, lxcAttachBaseline: LXC_ATTACH }, null, 2)}\n`);
  else {
    for (const [n, v] of Object.entries(res)) process.stdout.write(`${n.padEnd(26)} ${v.toFixed(2)} ms\n`);
    process.stdout.write(
      `zone work of zlogin z true (minus zoneadm list): ${work.toFixed(2)} ms; target <= ${2 * LXC_ATTACH} ms ` +
        `(2x lxc-attach ${LXC_ATTACH} ms, DESIGN.md 4): ${work <= 2 * LXC_ATTACH ? 'PASS' : 'MISS'}\n`,
    );
  }
} finally {
  await cleanup();
}
