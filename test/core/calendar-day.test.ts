import { describe, expect, it } from 'vitest';
import { calendarDayProblem } from '../../functions/core/calendar-day.ts';

describe('calendarDayProblem', () => {
  it('takes the days that exist, leap days of leap years included, in any year', () => {
    for (const day of ['2024-02-29', '2000-02-29', '0000-02-29', '1969-12-02', '2025-12-31', '2099-04-30']) {
      expect(calendarDayProblem(day), day).toBeUndefined();
    }
  });

  it('says which part of a day that does not exist is wrong', () => {
    expect(calendarDayProblem('2025-02-29')).toEqual({
      problem: 'day',
      year: 2025,
      month: 2,
      day: 29,
      days: 28,
    });
    expect(calendarDayProblem('1900-02-29')).toMatchObject({ problem: 'day', days: 28 });
    expect(calendarDayProblem('2025-04-31')).toMatchObject({ problem: 'day', days: 30 });
    expect(calendarDayProblem('2025-04-00')).toMatchObject({ problem: 'day', day: 0 });
    expect(calendarDayProblem('2025-13-01')).toEqual({ problem: 'month', year: 2025, month: 13 });
    expect(calendarDayProblem('2025-00-10')).toEqual({ problem: 'month', year: 2025, month: 0 });
    for (const text of ['2025-1-01', ' 2025-01-01', '2025-01-01T00:00:00Z', '20250101', '']) {
      expect(calendarDayProblem(text), text).toEqual({ problem: 'format' });
    }
  });
});
