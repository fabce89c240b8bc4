import { describe, expect, it } from 'vitest';
import { cronGaps, cronWeekStartMinutes, reportMailGapDays } from '../../infra/schedule-gaps.ts';

describe('cronGaps', () => {
  it.each([
    ['cron(*/5 * * * ? *)', 5, 5],
    ['cron(0,30 * * * ? *)', 30, 30],
    ['cron(0,0 * * * ? *)', 60, 60],
    // Firings at :00, :25 and :50: the step from :50 to the next hour's :00 is the closest.
    ['cron(0/25 * * * ? *)', 10, 25],
    ['cron(0 2 * * ? *)', 1440, 1440],
    // 17:00 to 09:00 the next day is the longest.
    ['cron(0 9-17 * * ? *)', 60, 960],
    // A range past the end of the hours wraps around: 22, 23, 0, 1, 2.
    ['cron(0 22-2 * * ? *)', 60, 1200],
  ])('reads the gaps of the daily pattern %s', (expression, minMinutes, maxMinutes) => {
    expect(cronGaps(expression)).toEqual({ minMinutes, maxMinutes, skippedBy: [] });
  });

  it.each([
    'cron(0 * 1-31 * ? *)',
    'cron(0 * 1-30,L * ? *)',
    'cron(0 * ? * SUN-SAT *)',
    'cron(0 * ? * 1-6,L *)',
    'cron(0 * ? * 1-7,6L *)',
    'cron(0 * * JAN-DEC ? 1970-2199)',
  ])('knows %s fires every day', (expression) => {
    expect(cronGaps(expression)).toEqual({ minMinutes: 60, maxMinutes: 60, skippedBy: [] });
  });

  it('reads the exact gaps of a day-of-week list, weekend included', () => {
    // Friday 23:00 to Monday 00:00.
    expect(cronGaps('cron(0 * ? * MON-FRI *)')).toEqual({
      minMinutes: 60,
      maxMinutes: 49 * 60,
      skippedBy: ['day-of-week "MON-FRI"'],
    });
    expect(cronGaps('cron(0 12 ? * MON,WED,FRI *)')).toEqual({
      minMinutes: 2 * 1440,
      maxMinutes: 3 * 1440,
      skippedBy: ['day-of-week "MON,WED,FRI"'],
    });
    // FRI-MON wraps around the week: Monday 23:00 to Friday 00:00.
    expect(cronGaps('cron(0 * ? * FRI-MON *)')?.maxMinutes).toBe(73 * 60);
  });

  it.each([
    ['cron(0 * 1-30 * ? *)', 1500, ['day-of-month "1-30"']],
    ['cron(0 9 L * ? *)', 2880, ['day-of-month "L"']],
    ['cron(0 9 15W * ? *)', 2880, ['day-of-month "15W"']],
    ['cron(0 * ? * 6L *)', 1500, ['day-of-week "6L"']],
    ['cron(0 18 ? * 2#1 *)', 2880, ['day-of-week "2#1"']],
    ['cron(0 * * JAN-JUN ? *)', 1500, ['month "JAN-JUN"']],
    ['cron(0 * * * ? 2026-2027)', 1500, ['year "2026-2027"']],
    ['cron(30 6 1-15/2 * ? 2199)', 2880, ['day-of-month "1-15/2"', 'year "2199"']],
  ])(
    'bounds the longest gap of %s, which skips days, from below by a day plus the overnight gap',
    (expression, maxMinutes, skippedBy) => {
      expect(cronGaps(expression)).toMatchObject({ maxMinutes, skippedBy });
    },
  );

  // A year field was read against 1970-2199, so a range from this year on skipped days, and
  // cron(0/15 * * * ? 2026-2199) was refused as firing 1455 minutes apart; the report's readings
  // took the same range as every year.
  it('reads a year field as the report does: a range covering the coming years skips no day', () => {
    expect(cronGaps('cron(0/15 * * * ? 2026-2199)', 2026)).toEqual({
      minMinutes: 15,
      maxMinutes: 15,
      skippedBy: [],
    });
    expect(cronGaps('cron(0/15 * * * ? 2030-2199)', 2030)?.skippedBy).toEqual([]);
    expect(cronGaps('cron(0/15 * * * ? 2027-2199)', 2026)?.skippedBy).toEqual(['year "2027-2199"']);
    expect(cronGaps('cron(0/15 * * * ? 2026-2030)', 2026)?.skippedBy).toEqual(['year "2026-2030"']);
  });

  it('assumes two consecutive days fire when it cannot tell, so the closest firings are not missed', () => {
    expect(cronGaps('cron(0,55 0,23 1 * ? *)')?.minMinutes).toBe(5);
  });

  it.each(['rate(5 minutes)', 'cron(0 7 ? * MON)', 'cron(0 7 * * MON *)', 'every monday'])(
    'has no gaps for %s, which is no valid cron',
    (expression) => {
      expect(cronGaps(expression)).toBeUndefined();
    },
  );
});

describe('cronWeekStartMinutes', () => {
  it.each([
    ['cron(0 7 ? * MON *)', 7 * 60],
    ['cron(0 0 ? * MON *)', 0],
    ['cron(30 0,6 ? * MON *)', 30],
    // The earliest day of the ISO week it names, Sunday last.
    ['cron(0 1 ? * TUE,SUN *)', 1440 + 60],
    ['cron(0 1 ? * SUN *)', 6 * 1440 + 60],
    ['cron(0 1 ? * L *)', 5 * 1440 + 60],
    // Forms that fire in some weeks only still fire on that weekday.
    ['cron(15 0 ? * 2#1 *)', 15],
    ['cron(15 0 ? * 3L *)', 1440 + 15],
    // A day-of-month rule falls on a Monday in some months.
    ['cron(0 2 1 * ? *)', 120],
    ['cron(0 2 L * ? *)', 120],
  ])('%s may fire %i minutes after Monday 00:00', (expression, minutes) => {
    expect(cronWeekStartMinutes(expression)).toBe(minutes);
  });

  it('has no answer for a rate or an invalid cron', () => {
    expect(cronWeekStartMinutes('rate(7 days)')).toBeUndefined();
    expect(cronWeekStartMinutes('cron(0 7 * * MON *)')).toBeUndefined();
  });
});

describe('reportMailGapDays', () => {
  it.each([
    ['cron(0 7 ? * MON *)', 7],
    ['cron(0 7 ? * SUN *)', 7],
    ['cron(30 8 ? * MON-FRI *)', 7],
    ['cron(0 7 ? * MON,THU *)', 7],
    ['cron(0 7 * * ? *)', 7],
    // Odd days of the month: the 31st and the 1st are both odd, so a week may start a day later.
    ['cron(0 7 */2 * ? *)', 8],
  ])('reads how many days apart %s mails its weekly reports: %i', (expression, days) => {
    expect(reportMailGapDays(expression)).toBe(days);
  });

  it.each([
    'cron(0 7 1 * ? *)',
    'cron(0 7 1,15 * ? *)',
    'cron(0 7 L * ? *)',
    'cron(0 7 ? 1-6 MON *)',
    'cron(0 7 ? * MON#1 *)',
    'cron(0 7 ? * 6L *)',
    'cron(0 7 ? * MON 2026-2030)',
  ])('has weeks without a report for %s', (expression) => {
    expect(reportMailGapDays(expression)).toBe(Number.POSITIVE_INFINITY);
  });

  // A year field was read as skipping weeks: the alarm was left out with a false warning.
  it('reads a year range that covers the coming years as every year', () => {
    expect(reportMailGapDays('cron(0 7 ? * MON 2026-2199)', 2026)).toBe(7);
    expect(reportMailGapDays('cron(0 7 ? * MON 2020-2199)', 2026)).toBe(7);
    expect(reportMailGapDays('cron(0 7 ? * MON 2027-2199)', 2026)).toBe(Number.POSITIVE_INFINITY);
    expect(reportMailGapDays('cron(0 7 ? * MON 2026-2099)', 2026)).toBe(7);
    expect(reportMailGapDays('cron(0 7 ? * MON 2026-2050)', 2026)).toBe(Number.POSITIVE_INFINITY);
    expect(reportMailGapDays('cron(0 7 ? * MON 1970-2199)')).toBe(7);
  });

  it('has no answer for a rate or an invalid cron', () => {
    expect(reportMailGapDays('rate(1 day)')).toBeUndefined();
    expect(reportMailGapDays('cron(0 7 ? * MON)')).toBeUndefined();
  });
});
