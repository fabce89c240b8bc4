import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../functions/core/byte-size.ts';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [12, '12 B'],
    [1023, '1023 B'],
    [1024, '1.0 KB'],
    [1536, '1.5 KB'],
    // One decimal below 10 of a unit, none from 10; rounded before the decimals are chosen.
    [10_188, '9.9 KB'],
    [10_230, '10 KB'],
    [40 * 1024, '40 KB'],
    [340 * 1024, '340 KB'],
    // The unit is chosen after rounding: never `1024 KB`.
    [1024 * 1024 - 1, '1.0 MB'],
    [1024 * 1024, '1.0 MB'],
    [1.2 * 1024 * 1024, '1.2 MB'],
    [3 * 1024 ** 3, '3.0 GB'],
    [2 * 1024 ** 4, '2.0 TB'],
    // TB is the largest unit: bigger counts stay in it.
    [2048 * 1024 ** 4, '2048 TB'],
  ])('%d bytes read %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('keeps the sign of a negative count', () => {
    expect(formatBytes(-40 * 1024)).toBe('-40 KB');
  });
});
