/**
 * Questions asked on a terminal: uninstall's y/n (zoneadm.c ask_yesno, exact wording, plain
 * readline) and install's system configuration (@inquirer/prompts, loaded only when asked).
 */
import { createInterface } from 'node:readline';
import type { ProfileAnswers } from '@zones/core/zoneadm/profile';
import type { SystemProfile } from '@zones/core/brands/types';

/**
 * ask_yesno(B_FALSE, ...): prints `question` and reads a line; `y...` is yes, `n...` or an empty
 * line or end of input is no; anything else asks again.
 */
export async function askYesNo(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  try {
    for (;;) {
      process.stdout.write(question);
      const { value, done } = await lines.next();
      if (done) {
        process.stdout.write('\n');
        return false;
      }
      const a = String(value).trim().toLowerCase();
      if (a === '' || a.startsWith('n')) return false;
      if (a.startsWith('y')) return true;
    }
  } finally {
    rl.close();
  }
}

/** The system configuration questions (hostname, time zone, locale, root password). */
export async function askProfile(defaults: SystemProfile): Promise<ProfileAnswers> {
  const { input, password } = await import('@inquirer/prompts');
  const { hostnameProblem, localeProblem, timezoneProblem } = await import('@zones/core/zoneadm/profile');
  const check = (f: (v: string) => string | undefined) => (v: string) => f(v.trim()) ?? true;
  const hostname = await input({ message: 'Host name', default: defaults.hostname, validate: check(hostnameProblem) });
  const timezone = await input({ message: 'Time zone', default: defaults.timezone, validate: check(timezoneProblem) });
  const locale = await input({ message: 'Locale', default: defaults.locale, validate: check(localeProblem) });
  let rootPassword: string | undefined;
  for (;;) {
    const p1 = await password({ message: 'Root password (empty: root login locked)', mask: '*' });
    if (p1 === '') break;
    const p2 = await password({ message: 'Root password again', mask: '*' });
    if (p1 === p2) {
      rootPassword = p1;
      break;
    }
    process.stdout.write('The passwords do not match; try again.\n');
  }
  return { hostname: hostname.trim(), timezone: timezone.trim(), locale: locale.trim(), rootPassword };
}
