import { describe, expect, it } from 'vitest';
import { formatEta } from '../../functions/cli/progress.ts';

describe('formatEta at the unit boundaries', () => {
  it('shows a whole minute as minutes, not 60 seconds', () => {
    expect(formatEta(60_000)).toBe('1 min 00 s');
    expect(formatEta(60_000, true)).toBe('1m00s');
    expect(formatEta(59_000)).toBe('59 s');
  });

  it('shows a whole hour as hours, not 60 minutes', () => {
    expect(formatEta(3_600_000)).toBe('1 h 00 min');
    expect(formatEta(3_600_000, true)).toBe('1h00m');
    expect(formatEta(3_599_000)).toBe('59 min 59 s');
  });
});
