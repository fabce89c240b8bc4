import { describe, expect, it } from 'vitest';
import { parseHourRange } from '../../functions/cli/options.ts';

describe('--from/--to refusals', () => {
  it('refuses a --to that is not on a whole hour, even when --from is', () => {
    expect(() => parseHourRange('2026-10-01T00:00:00Z', '2026-10-01T05:30:00Z')).toThrow(
      /^--from and --to must fall on whole UTC hours/,
    );
  });

  it('refuses an empty range (--to equal to --from)', () => {
    expect(() => parseHourRange('2026-10-01T05:00:00Z', '2026-10-01T05:00:00Z')).toThrow(
      '--to must be after --from',
    );
  });
});
