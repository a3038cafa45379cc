/**
 * Memory sizes as zonecfg reads and prints them (docs/reference.md#25-sizes): input is a number, possibly
 * fractional, with an optional K/M/G/T (powers of 1024, any case); output is bytes_to_units.
 */

const SIZE = /^\s*(\+?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([KMGTkmgt]?)$/;
const SCALE: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** 2^64: no size reaches it (libzonecfg keeps sizes in a uint64_t, the kernel's limits are u64). */
const SIZE_LIMIT = 2 ** 64;

/**
 * Bytes for a size text, undefined when it is not one. A bare number is bytes (despite the
 * "required scale suffix" wording of the error). Fractions of a byte are dropped, as the C cast does.
 * Unlike strtold we refuse an empty text, which Solaris would quietly read as 0, and a size of
 * 2^64 bytes or more, which Solaris's cast to uint64_t would silently wrap
 * (docs/reference.md#25-sizes).
 */
export function parseSize(text: string): number | undefined {
  const m = SIZE.exec(text);
  if (!m) return undefined;
  const bytes = Math.floor(Number(m[1]) * SCALE[m[2]!.toUpperCase()]!);
  return Number.isFinite(bytes) && bytes < SIZE_LIMIT ? bytes : undefined;
}

const UNITS = ['K', 'M', 'G', 'T'];

/**
 * The scaled form of a byte count: raw below 1024, otherwise the largest unit up to T, with one
 * decimal only when not whole and under 10 units (`1.5G`, `512M`, `2G`, `954M`).
 */
export function formatSize(bytes: number): string {
  let num = Math.floor(bytes);
  if (num < 1024) return String(num);
  let unit = -1;
  let save = num;
  while (num >= 1024 && unit < UNITS.length - 1) {
    unit++;
    save = num;
    num = Math.floor((num + 512) / 1024);
  }
  const u = UNITS[unit]!;
  if (save % 1024 !== 0 && Math.floor(save / 1024) < 10) return `${oneDecimal(save / 1024)}${u}`;
  return `${num}${u}`;
}

/** printf("%.1f"): round to nearest, exact ties to even. */
function oneDecimal(x: number): string {
  const tenths = x * 10;
  let n = Math.floor(tenths);
  const frac = tenths - n;
  if (frac > 0.5 || (frac === 0.5 && n % 2 === 1)) n++;
  return `${Math.floor(n / 10)}.${n % 10}`;
}
