/**
 * What the privilege labs (07 security, 18 capabilities) look at: a running zone's init, the
 * capabilities its configured limitpriv gives (model/privileges.ts) against those its init holds
 * (/proc/PID/status), attempts made inside the zone that are harmless even when they succeed, and
 * the answers a student recorded, which name a capability or an error.
 */
import type { ZoneConfig } from '../../model/types.js';
import { LINUX_CAPABILITIES, parseLimitpriv, type IpType } from '../../model/privileges.js';
import { capabilityMask, capabilityNames } from '../../platform/capabilities.js';
import { processStatusField } from '../../platform/proc.js';
import type { LabHost } from '../host.js';
import { type CheckItem, item, labNumber } from '../lab.js';

export function ipTypeOf(cfg: ZoneConfig): IpType {
  return cfg.globals['ip-type'] === 'exclusive' ? 'exclusive' : 'shared';
}

/** The zone's init (host pid) while it is running, else undefined. */
export function runningInit(host: LabHost, zone: string): number | undefined {
  if (!host.running(zone)) return undefined;
  const pid = host.runtime(zone)?.initPid;
  return pid ? pid : undefined;
}

/** The capabilities the zone's limitpriv gives its processes, or the limitpriv's errors. */
export function configuredCapabilities(cfg: ZoneConfig): { ok: true; privileges: string[]; capabilities: string[] } | { ok: false; why: string } {
  const lp = parseLimitpriv(cfg.globals.limitpriv ?? '', ipTypeOf(cfg));
  return lp.ok ? lp : { ok: false, why: lp.errors.join('; ') };
}

/** A capability set of `pid` (`CapBnd`, `CapEff`...) as a mask, or undefined when it is gone. */
export function capabilitySet(pid: number, field: 'CapBnd' | 'CapEff' | 'CapPrm'): bigint | undefined {
  const hex = processStatusField(pid, field);
  return hex !== undefined && /^[0-9a-f]+$/.test(hex) ? BigInt(`0x${hex}`) : undefined;
}

/** The number of capabilities in a mask. */
export function capabilityCount(mask: bigint): number {
  return capabilityNames(mask).length;
}

const hex = (m: bigint) => m.toString(16).padStart(16, '0');

/**
 * `zone X runs with the capabilities its limitpriv gives`: its init's bounding and effective sets
 * are exactly what the configuration gives now, so a limitpriv changed since the boot shows as
 * missing until the zone is rebooted.
 */
export function capabilitiesItem(host: LabHost, zone: string, reboot: string): CheckItem {
  const what = `zone ${zone} runs with the capabilities its limitpriv gives`;
  const cfg = host.config(zone);
  const pid = runningInit(host, zone);
  if (!cfg || !pid) return item(what, false, `zone ${zone} is not running`);
  const want = configuredCapabilities(cfg);
  if (!want.ok) return item(what, false, `its limitpriv is refused: ${want.why}`);
  const bnd = capabilitySet(pid, 'CapBnd');
  const eff = capabilitySet(pid, 'CapEff');
  if (bnd === undefined || eff === undefined) return item(what, false, `cannot read /proc/${pid}/status`);
  const mask = capabilityMask(want.capabilities);
  if (bnd === mask && eff === mask) return item(what, true, `CapBnd and CapEff of its init (pid ${pid}) are ${hex(mask)}`);
  const extra = capabilityNames(bnd & ~mask);
  const lacking = capabilityNames(mask & ~bnd);
  const diff = [...(extra.length ? [`it still has ${extra.join(', ')}`] : []), ...(lacking.length ? [`it lacks ${lacking.join(', ')}`] : [])];
  return item(what, false, `its init's CapBnd is ${hex(bnd)}, limitpriv gives ${hex(mask)}${diff.length ? ` (${diff.join('; ')})` : ''}: the limitpriv changed since it booted; ${reboot}`);
}

/** A capability as a student may write it (`sys_module`, `CAP_SYS_MODULE`, `cap_sys_module`), or undefined. */
export function capabilityAnswer(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const t = text.trim().toUpperCase();
  const name = t.startsWith('CAP_') ? t : `CAP_${t}`;
  return (LINUX_CAPABILITIES as readonly string[]).includes(name) ? name : undefined;
}

/** The errors the attempts of the labs end with, by errno name, as strerror words them. */
const ERRNO_TEXT: readonly (readonly [string, string])[] = [
  ['EPERM', 'operation not permitted'],
  ['ENOENT', 'no such file or directory'],
  ['EACCES', 'permission denied'],
  ['EROFS', 'read-only file system'],
  ['ENOSYS', 'function not implemented'],
  ['EINVAL', 'invalid argument'],
  ['ENOEXEC', 'exec format error'],
  ['EFAULT', 'bad address'],
  ['EBUSY', 'device or resource busy'],
  ['ENODEV', 'no such device'],
];

/** The errno a message ends with (`RTNETLINK answers: Operation not permitted` -> EPERM), or an errno name itself; the last one named wins. */
export function errnoOf(text: string): string | undefined {
  const t = text.toLowerCase();
  let best: { name: string; at: number } | undefined;
  for (const [name, words] of ERRNO_TEXT) {
    const at = Math.max(t.lastIndexOf(words), t.search(new RegExp(`\\b${name.toLowerCase()}\\b`)));
    if (at >= 0 && (!best || at > best.at)) best = { name, at };
  }
  return best?.name;
}

/** What an attempt inside the zone came to: refused with an errno, allowed, or not known (the tool missing). */
export type Outcome = { kind: 'refused'; errno: string; text: string } | { kind: 'allowed'; text: string } | { kind: 'unknown'; text: string };

/**
 * Runs one attempt in the zone as its root. `command` must be harmless even when it succeeds
 * (write back the value already there, a call with arguments the kernel rejects after its
 * permission check). `allowedWhen`: errnos that mean the permission check was passed.
 */
export async function attempt(host: LabHost, zone: string, command: string, allowedWhen: readonly string[] = []): Promise<Outcome> {
  const r = await host.inZone(zone, `{ ${command} ; } 2>&1`);
  const text = (r.stdout + r.stderr).trim().split('\n').filter(Boolean).pop() ?? '';
  if (r.exitCode === 0) return { kind: 'allowed', text };
  if (r.exitCode === 127 || /not found/.test(text)) return { kind: 'unknown', text };
  const errno = errnoOf(text);
  if (errno === undefined) return { kind: 'unknown', text };
  return allowedWhen.includes(errno) ? { kind: 'allowed', text } : { kind: 'refused', errno, text };
}

/** The step that records answer `key` of lab `id`. */
export function answerStep(id: number, key: string, value: string): string {
  return `record it: zonelab answer ${labNumber(id)} ${key} ${value}`;
}

/**
 * `what`, judged on the student's answer `key` against an attempt the check made itself: done
 * when the attempt was refused and the answer names the same error.
 */
export function refusalItem(id: number, answers: Record<string, string>, key: string, what: string, outcome: Outcome): CheckItem {
  if (outcome.kind === 'allowed') return item(what, false, `the zone's root could do it here (${outcome.text || 'no error'}): this host does not hold the line (docs/security.md)`);
  if (outcome.kind === 'unknown') return item(what, false, `the check could not try it in the zone: ${outcome.text || 'no output'}`);
  const answer = answers[key];
  if (answer === undefined) return item(what, false, answerStep(id, key, "'<the error it printed>'"));
  const said = errnoOf(answer);
  if (said === outcome.errno) return item(what, true, `refused: ${outcome.text}`);
  return item(what, false, said ? `you recorded ${said}, but the zone answers otherwise: try it again and record what it prints` : `"${answer}" names no error: record the words the attempt ended with (after its last colon)`);
}

