import { describe, expect, it } from 'vitest';
import { reasonKind } from '../../../functions/core/lake/quarantine-reason-kind.ts';

describe('quarantine reasons grouped by their wording', () => {
  it('replaces times, quoted values and long numbers, and keeps a range readable', () => {
    expect(
      reasonKind(
        'time 2026-11-20 15:00:00.000 UTC is outside the requested range 2026-11-20 10:00:00.000..2026-11-20 11:00:00.000 UTC; if many entries say this, check the time zone setting',
      ),
    ).toBe(
      'time <time> UTC is outside the requested range <time>..<time> UTC; if many entries say this, check the time zone setting',
    );
    expect(reasonKind('field "userId" is "123" at 1764590400000')).toBe('field "…" is "…" at N');
  });
});
