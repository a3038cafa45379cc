#!/usr/bin/env node
// zoneadm entry point. Global options (-z/-u/-R) precede the subcommand in Solaris syntax, so they
// are moved after it before oclif picks the command id (hoistGlobalFlags). No subcommand, an
// unknown one, `-?` and `help` are answered here without loading oclif, as zoneadm.c does:
// error usage to stderr with exit 2; `help` (explicit usage) to stdout with exit 0.
import { hoistGlobalFlags, splitGlobalFlags } from '@zones/core/argv';
import { findSubcommand, subUsageText, usageText } from '../dist/usage.js';

const raw = process.argv.slice(2);
const { rest } = splitGlobalFlags(raw);
const sub = rest[0];
let fast;

/** Options for runList if this is a plain `[-z z|-u u|-R r]... list [-cipv]...` line, else undefined. */
function plainList(nGlobal, listArgs) {
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
  const letters = { c: 'configured', i: 'installed', p: 'parsable', v: 'verbose' };
  for (const a of listArgs) {
    if (!/^-[cipv]+$/.test(a)) return undefined;
    for (const ch of a.slice(1)) o[letters[ch]] = true;
  }
  return o;
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
  const { runList } = await import('../dist/list-main.js');
  process.exitCode = runList(fast);
} else {
  const { execute } = await import('@oclif/core/execute');
  await execute({ args: hoistGlobalFlags(raw), dir: import.meta.url });
}
