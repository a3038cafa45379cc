import { test, expect, describe } from '@jest/globals';
import { formatSize, parseSize } from '../../src/model/size.js';

describe('parseSize', () => {
  test.each([
    ['512', 512],
    ['1K', 1024],
    ['1k', 1024],
    ['2M', 2 * 1024 ** 2],
    ['1.5G', 1.5 * 1024 ** 3],
    ['1g', 1024 ** 3],
    ['1T', 1024 ** 4],
    ['512 M', 512 * 1024 ** 2],
    ['  7', 7],
    ['5 ', 5],
    ['.5K', 512],
    ['1.0001K', 1024],
    ['0', 0],
    ['16777215T', 16777215 * 1024 ** 4],
  ])('%j is %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  test.each(['', 'K', '-1M', '1X', '1MB', '1M ', 'abc', '1.2.3', '99999999999999999999999T', '16777216T', '18446744073709551616', '1e400'])('%j is not a size', (text) => {
    expect(parseSize(text)).toBeUndefined();
  });
});

describe('formatSize', () => {
  test.each([
    [0, '0'],
    [1023, '1023'],
    [1024, '1K'],
    [1536, '1.5K'],
    [1.5 * 1024 ** 3, '1.5G'],
    [512 * 1024 ** 2, '512M'],
    [2 * 1024 ** 3, '2G'],
    [1000000000, '954M'],
    [10 * 1024 + 512, '11K'],
    [1025, '1.0K'],
    [1280, '1.2K'],
    [3 * 1024 ** 4, '3T'],
    [2048 * 1024 ** 4, '2048T'],
  ])('%d bytes print as %s', (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });

  test('a formatted whole size parses back to the same bytes', () => {
    for (const n of [1024, 50 * 1024 ** 2, 3 * 1024 ** 3]) expect(parseSize(formatSize(n))).toBe(n);
  });
});
