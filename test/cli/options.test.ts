import { describe, expect, it } from 'vitest';
import { parseDuration, parseInstant, parseWholeNumber } from '../../functions/cli/options.ts';
import { UsageError } from '../../functions/cli/usage-error.ts';

describe('command-line values', () => {
  it('reads UTC instants as dates or zoned ISO times, and refuses zone-less ones', () => {
    expect(parseInstant('--from', '2026-10-01')).toBe(Date.parse('2026-10-01T00:00:00Z'));
    expect(parseInstant('--from', '2026-10-01T02:00:00+02:00')).toBe(Date.parse('2026-10-01T00:00:00Z'));
    expect(() => parseInstant('--from', '2026-10-01 00:00')).toThrow(UsageError);
    expect(() => parseInstant('--to', 'tomorrow')).toThrow(/--to "tomorrow" is not a UTC time/);
  });

  it('reads durations and whole numbers', () => {
    expect(parseDuration('--max-duration', '90s')).toBe(90_000);
    expect(parseDuration('--max-duration', '10m')).toBe(600_000);
    expect(parseDuration('--max-duration', '2h')).toBe(7_200_000);
    expect(parseDuration('--max-duration', '30')).toBe(30_000);
    expect(() => parseDuration('--max-duration', 'soon')).toThrow(/duration like 90s/);
    expect(parseWholeNumber('--concurrency', undefined, 4)).toBe(4);
    expect(parseWholeNumber('--concurrency', '8', 4)).toBe(8);
    expect(() => parseWholeNumber('--concurrency', '-1', 4)).toThrow(/whole number/);
    expect(() => parseWholeNumber('--concurrency', '2.5', 4)).toThrow(/whole number/);
  });
});
