/**
 * A student's answers to a lab (`zonelab answer NN key value`): what a check cannot see in the
 * host's state afterwards (the pid a process had before it was killed, the cgroup file that
 * held a limit). One small file per lab, `key=value` lines, written atomically; a check compares
 * each answer with the truth, so an answer only counts when it is right.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../store/atomic.js';
import { labAnswersDir } from '../store/paths.js';
import { labNumber } from './number.js';

const KEY = /^[a-z][a-z0-9-]{0,39}$/;

export function answersPath(root: string, id: number): string {
  return join(labAnswersDir(root), `${labNumber(id)}.answers`);
}

/** The recorded answers; a line that is not `key=value` (a hand edit) is skipped. */
export function readAnswers(root: string, id: number): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(answersPath(root, id), 'utf8');
  } catch {
    return {};
  }
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && KEY.test(line.slice(0, eq))) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

/** Why `key value` cannot be recorded, or undefined. */
export function answerProblem(key: string, value: string): string | undefined {
  if (!KEY.test(key)) return `${key}: not an answer name (lowercase letters, digits and -)`;
  if (/[\n\r]/.test(value)) return 'an answer is one line';
  return undefined;
}

/** Records (or replaces) one answer. */
export function recordAnswer(root: string, id: number, key: string, value: string): void {
  const answers = { ...readAnswers(root, id), [key]: value.trim() };
  mkdirSync(labAnswersDir(root), { recursive: true, mode: 0o755 });
  const text = Object.entries(answers).map(([k, v]) => `${k}=${v}\n`).join('');
  writeFileAtomic(answersPath(root, id), text);
}
