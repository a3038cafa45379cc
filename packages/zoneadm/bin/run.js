#!/usr/bin/env node
// zoneadm entry point. Global options (-z/-u/-R) precede the subcommand in Solaris syntax, so they
// are moved after it before oclif picks the command id (hoistGlobalFlags). No subcommand, an
// unknown one, `-?` and `help` are answered here without loading oclif, as zoneadm.c does:
// error usage to stderr with exit 2; `help` (explicit usage) to stdout with exit 0.
import { hoistGlobalFlags, splitGlobalFlags } from '@zones/core/argv';
import { findSubcommand, subUsageText, usageText } from '../dist/usage.js';
import { fastPathModule } from '@zones/core/fast-path';

const raw = process.argv.slice(2);
const { rest } = splitGlobalFlags(raw);
const sub = rest[0];
let fast;

/** The simple global options (-z/-u/-R, each once) as runList/runLifecycle flags, else undefined. */
function plainGlobals(nGlobal) {
  const o = {};
  const g = raw.slice(0, nGlobal);
  const names = { z: 'zone', u: 'uuid', R: 'root', zone: 'zone', uuid: 'uuid', root: 'root' };
  for (let i = 0; i < g.length; i++) {
    const m = /^(?:-([zuR])(.*)|--(zone|uuid|root)(?:=(.*))?)$/s.exec(g[i]);
    if (!m) return undefined;
    const key = names[m[1] ?? m[3]];
    let v = m[1] ? m[2] : m[4];
    if (v === undefined || v === '') v = g[++i];
    if (v === undefined || key in o) return undefined;
    o[key] = v;
  }
  return o;
}

/** Options for runList if this is a plain `[-z z|-u u|-R r]... list [-cipv]...` line, else undefined. */
function plainList(nGlobal, listArgs) {
  const o = plainGlobals(nGlobal);
  if (!o) return undefined;
  const letters = { c: 'configured', i: 'installed', p: 'parsable', v: 'verbose' };
  for (const a of listArgs) {
    if (!/^-[cipv]+$/.test(a)) return undefined;
    for (const ch of a.slice(1)) o[letters[ch]] = true;
  }
  return o;
}

/**
 * For a plain `[globals] boot|ready|halt|reboot|shutdown [-s|-r] [words] [-- words]` line: the
 * flags and arguments of runLifecycle, else undefined (oclif then parses and reports).
 */
const LIFECYCLE_OPTS = { boot: { s: 'single' }, shutdown: { r: 'reboot' }, reboot: {}, ready: {}, halt: {} };
function plainLifecycle(nGlobal, args) {
  const flags = plainGlobals(nGlobal);
  const allowed = Object.hasOwn(LIFECYCLE_OPTS, sub) ? LIFECYCLE_OPTS[sub] : undefined;
  if (!flags || !allowed) return undefined;
  const a = { operands: [] };
  const dd = args.indexOf('--');
  const head = dd === -1 ? args : args.slice(0, dd);
  if (dd !== -1) a.tail = args.slice(dd + 1);
  let i = 0;
  for (; i < head.length && /^-./.test(head[i]); i++) {
    for (const ch of head[i].slice(1)) {
      if (!allowed[ch]) return undefined;
      a[allowed[ch]] = true;
    }
  }
  a.operands = head.slice(i);
  if (a.operands.some((w) => w.startsWith('-'))) return undefined;
  return { flags, a };
}

if (sub === '-?') {
  process.stdout.write(usageText(true));
  process.exitCode = 2;
} else if (sub === undefined || sub.startsWith('-') || !findSubcommand(sub)) {
  process.stderr.write(usageText(false));
  process.exitCode = 2;
} else if (sub === 'help') {
  const topics = rest.slice(1);
  if (topics.length === 0) process.stdout.write(usageText(true));
  for (const t of topics) {
    if (!findSubcommand(t)) {
      process.stderr.write(subUsageText('help'));
      process.exitCode = 2;
      break;
    }
    process.stderr.write(subUsageText(t));
  }
} else if (sub === 'list' && (fast = plainList(raw.length - rest.length, rest.slice(1)))) {
  // Fast path (startup time): plain `list [-cipv]` with simple global options runs the same
  // code as the oclif command without loading oclif (~60 ms). Anything else goes through oclif.
  const { runList } = await import(fastPathModule(import.meta.url, 'list-main'));
  process.exitCode = runList(fast);
} else if (Object.hasOwn(LIFECYCLE_OPTS, sub) && (fast = plainLifecycle(raw.length - rest.length, rest.slice(1)))) {
  // Same fast path for the runtime subcommands: a boot's own work is ~10 ms, oclif's load ~100.
  const { runLifecycleMain } = await import(fastPathModule(import.meta.url, 'lifecycle-main'));
  process.exitCode = await runLifecycleMain(sub, fast.flags, fast.a);
} else {
  const { execute } = await import('@oclif/core/execute');
  await execute({ args: hoistGlobalFlags(raw), dir: import.meta.url });
}
