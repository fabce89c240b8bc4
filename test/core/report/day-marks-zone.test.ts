import { describe, expect, it } from 'vitest';
import { dayCaveats, dayNotInLake } from '../../../functions/core/report/day-marks.ts';
import type { DayActivity } from '../../../functions/core/report/report-model.ts';

const day = (date: string, coveredHours: number): DayActivity => ({
  day: date,
  events: coveredHours * 10,
  activeUsers: 0,
  logins: 0,
  failedLogins: 0,
  lockouts: 0,
  coveredHours,
});

describe('the day a preview is made on, in its zone', () => {
  // 03:00 UTC on the 25th is 20:00 on the 24th in Denver: the 24th is under way there.
  const preview = { generatedAt: '2026-11-25T03:00:00.000Z', timeZone: 'America/Denver' };

  it('marks the local day, not the UTC one, as in progress', () => {
    expect(dayNotInLake(day('2026-11-24', 0), preview)).toBe('in progress, not ingested yet');
    expect(dayNotInLake(day('2026-11-25', 0), preview)).toBe('not yet');
    expect(dayNotInLake(day('2026-11-23', 0), preview)).toBe('not ingested');
  });

  it('says the local day is in progress rather than short of hours', () => {
    expect(dayCaveats(day('2026-11-24', 20), preview)).toEqual([{ text: 'day in progress', lost: false }]);
  });
});
