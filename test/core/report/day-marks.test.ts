import { describe, expect, it } from 'vitest';
import { hourWindowsOfDay } from '../../../functions/core/report/day-marks.ts';

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
