/**
 * `zonelab check NN` and `zonelab list`: a lab's check against this host, and every lab's status.
 * A check that throws (a zone half-configured by hand, a file it cannot read) is reported as a
 * missing item with the reason, never as a crash.
 */
import { type Lab, type LabReport, item, labNumber } from './lab.js';
import { LabHost } from './host.js';
import { LABS } from './registry.js';

export async function checkLab(lab: Lab, host: LabHost): Promise<LabReport> {
  const limits = lab.hostLimits?.(host) ?? [];
  let items;
  try {
    items = await lab.check(host);
  } catch (err) {
    items = [item('the check could read this host', false, err instanceof Error ? err.message : String(err))];
  }
  return { lab, items, limits, done: items.length > 0 && items.every((i) => i.done) };
}

/** The report as `zonelab check` prints it. */
export function formatReport(r: LabReport): string {
  const lines = [`Lab ${labNumber(r.lab.id)}: ${r.lab.title}`];
  for (const l of r.limits) lines.push(`  [host]    ${l}`);
  for (const i of r.items) lines.push(`  ${i.done ? '[done]   ' : '[missing]'} ${i.what}${i.detail ? `: ${i.detail}` : ''}`);
  const n = r.items.filter((i) => i.done).length;
  lines.push(r.done ? `Lab ${labNumber(r.lab.id)} is done.` : `${n} of ${r.items.length} done.`);
  return lines.join('\n') + '\n';
}

export type LabStatus = 'done' | 'started' | 'not started';

export interface LabListing {
  id: number;
  slug: string;
  title: string;
  status: LabStatus;
  done: number;
  items: number;
  limits: string[];
}

function statusOf(r: LabReport): LabStatus {
  if (r.done) return 'done';
  return r.items.some((i) => i.done) ? 'started' : 'not started';
}

export async function listLabs(host: LabHost, labs: readonly Lab[] = LABS): Promise<LabListing[]> {
  const out: LabListing[] = [];
  for (const lab of labs) {
    const r = await checkLab(lab, host);
    out.push({ id: lab.id, slug: lab.slug, title: lab.title, status: statusOf(r), done: r.items.filter((i) => i.done).length, items: r.items.length, limits: r.limits });
  }
  return out;
}

export function formatListing(rows: readonly LabListing[]): string {
  const lines = ['LAB  STATUS        DONE   TITLE'];
  for (const r of rows) {
    const done = `${r.done}/${r.items}`.padEnd(6);
    lines.push(`${labNumber(r.id)}   ${r.status.padEnd(13)} ${done} ${r.title}${r.limits.length ? `  (host: ${r.limits.join('; ')})` : ''}`);
  }
  return lines.join('\n') + '\n';
}
