import { describe, expect, it } from 'vitest';
import { dayCaveats, hourWindowsOfDay } from '../../../functions/core/report/day-marks.ts';

describe('hourWindowsOfDay', () => {
  it.each([
    ['2026-11-17', 'UTC', 24],
    ['2026-03-29', 'Europe/Paris', 23],
    ['2026-10-25', 'Europe/Paris', 25],
    ['2026-11-17', 'Asia/Kolkata', 24],
    ['2026-11-17', 'Asia/Kathmandu', 24],
    // Clocks go back half an hour: 24.5 h, and the windows starting at 13:00 UTC on both ends.

    ['2026-04-05', 'Australia/Lord_Howe', 25],
  ])('counts the UTC hour windows starting on %s in %s: %i', (day, zone, hours) => {
    expect(hourWindowsOfDay(day, zone)).toBe(hours);
  });
});

describe('dayCaveats', () => {
  const model = { generatedAt: '2026-11-23T07:00:00.000Z', timeZone: 'UTC' };
  const day = { day: '2026-11-17', events: 900, activeUsers: 9, logins: 3, failedLogins: 0, lockouts: 0 };

  it('says a day with events but no covered hour is not whole, as one with some hours missing', () => {
    // All the week's manifests removed: the note said "partial: 0% of hours", the days looked whole.
    expect(dayCaveats({ ...day, coveredHours: 0 }, model)).toEqual([
      { text: '0 of 24 hours in the lake', lost: false },
    ]);
    expect(dayCaveats({ ...day, coveredHours: 14 }, model)).toEqual([
      { text: '14 of 24 hours in the lake', lost: false },
    ]);
    expect(dayCaveats({ ...day, coveredHours: 24 }, model)).toEqual([]);
    // Models archived before days counted their hours say nothing.
    expect(dayCaveats(day, model)).toEqual([]);
  });
});
