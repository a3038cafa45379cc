/**
 * What the process tools print of a process, as Solaris' ps and prstat print the same fields
 * (docs/reference.md#8-process-tools): names, arguments, terminals, times. Pure.
 */
import type { Proc } from './snapshot.js';

/** printf `%*s`. */
export const right = (s: string | number, width: number): string => String(s).padStart(width);
/** printf `%-*s`. */
export const left = (s: string | number, width: number): string => String(s).padEnd(width);

/** Solaris' PRARGSZ: pr_psargs holds the first 79 bytes of the argument string. */
const PRARGSZ = 80;

/**
 * Without what a terminal would act on (ps drops unprintable characters): a zone's root names its
 * processes, and must not be able to move the admin's cursor or retitle the terminal.
 */
export function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

/** pr_fname: the name of the program (the kernel's comm). */
export function fname(p: Proc): string {
  return printable(p.comm);
}

/** pr_psargs: the arguments joined by blanks, cut at 79 characters; a kernel thread's is its name. */
export function psargs(p: Proc): string {
  const all = p.argv.length > 0 ? p.argv.join(' ') : p.comm;
  return printable(all).slice(0, PRARGSZ - 1);
}

export const isZombie = (p: Proc): boolean => p.state === 'Z' || p.state === 'X';

/** The Solaris state letter (pr_sname) of a Linux state: O on a processor is not told apart from R. */
export function stateLetter(p: Proc): string {
  switch (p.state) {
    case 'D':
    case 'I':
    case 'W':
      return 'S';
    case 't':
      return 'T';
    case 'X':
      return 'Z';
    default:
      return p.state;
  }
}

/** The name of a controlling terminal (tty_nr), `?` for none, as ps prints it without /dev/. */
export function ttyName(ttyNr: number): string {
  if (ttyNr === 0) return '?';
  const major = (ttyNr >> 8) & 0xfff;
  const minor = (ttyNr & 0xff) | ((ttyNr >> 12) & 0xfff00);
  if (major >= 136 && major <= 143) return `pts/${(major - 136) * 256 + minor}`;
  if (major === 4) return minor < 64 ? `tty${minor}` : `ttyS${minor - 64}`;
  if (major === 5 && minor === 1) return 'console';
  if (major === 5 && minor === 0) return 'tty';
  return '??';
}

/** CPU seconds (user + system), rounded as ps rounds pr_time. */
export function cpuSeconds(p: Proc, hz: number): number {
  return Math.round((p.utime + p.stime) / hz);
}

/** When the process started, in seconds since the epoch. */
export function startedAt(p: Proc, bootTime: number, hz: number): number {
  return bootTime + p.starttime / hz;
}

const two = (n: number) => String(n).padStart(2, '0');

/** ps' print_time: `[[dd-]hh:]mm:ss`. */
export function elapsedText(seconds: number): string {
  if (seconds < 0) return '-';
  const s = Math.floor(seconds);
  const days = Math.floor(s / 86400);
  const hours = Math.floor(s / 3600) % 24;
  const minutes = Math.floor(s / 60) % 60;
  if (days > 0) return `${days}-${two(hours)}:${two(minutes)}:${two(s % 60)}`;
  if (hours > 0) return `${two(hours)}:${two(minutes)}:${two(s % 60)}`;
  return `${two(minutes)}:${two(s % 60)}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * ps' prtime: `HH:MM:SS` (local time) for a process started in the last 24 hours, else the date,
 * `Mon dd` in the -f listing (`old`) and `Mon_dd` for -o stime, so that it stays one word.
 */
export function startText(start: number, now: number, old: boolean): string {
  const t = Math.round(start);
  const d = new Date(t * 1000);
  if (now - t >= 24 * 60 * 60) return `${MONTHS[d.getMonth()]}${old ? ' ' : '_'}${two(d.getDate())}`;
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** Percent of the whole machine over the process's life, as pr_pctcpu reads on a process ps sees once. */
export function lifetimeCpuPercent(p: Proc, uptime: number, hz: number, ncpus: number): number {
  const alive = uptime - p.starttime / hz;
  if (alive <= 0) return 0;
  return Math.min(100, ((p.utime + p.stime) / hz / alive / ncpus) * 100);
}
