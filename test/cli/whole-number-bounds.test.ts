import { describe, expect, it } from 'vitest';
import { parseWholeNumber } from '../../functions/cli/options.ts';

describe('whole number options take both ends of their range', () => {
  it('accepts the maximum and the minimum, and refuses one past either', () => {
    const range = { min: 1, max: 16 };
    expect(parseWholeNumber('--concurrency', '16', 4, range)).toBe(16);
    expect(parseWholeNumber('--concurrency', '1', 4, range)).toBe(1);
    expect(() => parseWholeNumber('--concurrency', '17', 4, range)).toThrow(
      '--concurrency "17" must be a whole number from 1 to 16',
    );
    expect(() => parseWholeNumber('--concurrency', '0', 4, range)).toThrow(
      '--concurrency "0" must be a whole number from 1 to 16',
    );
  });
});
