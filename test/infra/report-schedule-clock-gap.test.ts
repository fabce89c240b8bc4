import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../infra/config/config-error.ts';
import { parseActivityLakeConfig } from '../../infra/config.ts';
import { cronDayWithoutFiring, reportMailGapDays } from '../../infra/schedule-gaps.ts';
import { DEPLOYABLE_CONFIG, TEST_NOW } from './synth-helpers.ts';

/** The problems of an enabled report on `schedule` in `timeZone`, read on `now`; [] when it is accepted. */
function problemsOf(schedule: string, timeZone: string, now = TEST_NOW): string[] {
  const report = {
    enabled: true,
    sender: 'r@acme-co.com',
    recipients: ['a@acme-co.com'],
    schedule,
    timeZone,
  };
  try {
    parseActivityLakeConfig({ ...DEPLOYABLE_CONFIG, report }, now);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return [...error.problems];
  }
}

/** 1 January of `year`, UTC: a reading from the year's start. */
const jan1 = (year: number): Date => new Date(Date.UTC(year, 0, 1));

// EventBridge Scheduler does not run a firing whose local time does not exist: a cron whose times
// all fall in the hour a zone skips does not fire that day, and one week a year goes unmailed.
describe('a report schedule whose every time falls in a clock gap of report.timeZone', () => {
  it('is refused, naming a day it is lost on, why, and the fix', () => {
    expect(problemsOf('cron(30 2 ? * SUN *)', 'Europe/Berlin')).toEqual([
      'activityLake.report.schedule: fires only at times report.timeZone "Europe/Berlin" skips on some days it fires on, e.g. Sun 28 Mar 2027, when clocks go forward from 02:00 to 03:00: EventBridge Scheduler does not run a firing whose local time does not exist, so the schedule does not fire that day and the week that run reports is never mailed. Fire at a time that exists every day (outside 02:00-02:59 in Europe/Berlin; most zones skip an hour between 00:00 and 03:59, so a time from 04:00 on is safe), e.g. the default "cron(0 7 ? * MON *)", or use a zone without daylight saving time such as "UTC" (got "cron(30 2 ? * SUN *)")',
    ]);
  });

  it('finds zones whose gap is at midnight', () => {
    // Santiago springs forward on a Saturday night at 24:00, Havana on a Sunday at 00:00.
    expect(cronDayWithoutFiring('cron(15 0 ? * SUN *)', 'America/Santiago')).toMatchObject({
      month: 9,
      fromMinute: 0,
      toMinute: 60,
    });
    expect(cronDayWithoutFiring('cron(30 0 ? * SUN *)', 'America/Havana')).toMatchObject({
      month: 3,
      fromMinute: 0,
    });
    expect(problemsOf('cron(30 0 ? * SUN *)', 'America/Havana')).toEqual([
      expect.stringMatching(/e\.g\. Sun 14 Mar 2027, when clocks go forward from 00:00 to 01:00/),
    ]);
  });

  it('keeps schedules with a time outside the gap, on days without one, or in zones without DST', () => {
    expect(cronDayWithoutFiring('cron(30 2 ? * MON *)', 'Europe/Berlin')).toBeUndefined();
    expect(cronDayWithoutFiring('cron(30 2,7 ? * SUN *)', 'Europe/Berlin')).toBeUndefined();
    expect(cronDayWithoutFiring('cron(30 3 ? * SUN *)', 'Europe/Berlin')).toBeUndefined();
    expect(cronDayWithoutFiring('cron(30 2 ? * SUN *)', 'Asia/Tokyo')).toBeUndefined();
    expect(cronDayWithoutFiring('cron(30 2 ? * SUN *)', 'UTC')).toBeUndefined();
    // A day of the month that is never the last Sunday of March or October's first.
    expect(cronDayWithoutFiring('cron(30 2 1-20 * ? *)', 'Europe/Berlin')).toBeUndefined();
    expect(cronDayWithoutFiring('cron(30 2 25 * ? *)', 'Europe/Berlin')).toMatchObject({ month: 3, day: 25 });
    expect(problemsOf('cron(0 7 ? * MON *)', 'Europe/Berlin')).toEqual([]);
  });

  it('keeps a schedule that fires on another day of that week: it loses a run, not a report', () => {
    expect(cronDayWithoutFiring('cron(30 2 * * ? *)', 'Europe/Berlin')).toBeUndefined();
    expect(cronDayWithoutFiring('cron(30 2 ? * SAT,SUN *)', 'Europe/Berlin')).toBeUndefined();
    expect(cronDayWithoutFiring('cron(30 2 24-31 * ? *)', 'Europe/Berlin')).toBeUndefined();
    expect(problemsOf('cron(30 2 * * ? *)', 'America/New_York')).toEqual([]);
  });
});

// The mail-gap reading took its years from this one, the clock-gap reading from 2026: in 2027 a
// year range from 2027 was every year to the first, and left a year out for the second, which then
// fell back to a reading that misses a day-of-month lost to a clock gap. One start year now.
describe('the year a report schedule is read from', () => {
  it.each([2026, 2027, 2031])('is the same for the mail-gap and the clock-gap readings: %i', (year) => {
    // A range from that year on counts as every year to both.
    expect(reportMailGapDays(`cron(0 7 ? * MON ${year}-2199)`, year)).toBe(7);
    expect(cronDayWithoutFiring(`cron(30 2 25 * ? ${year}-2199)`, 'Europe/Berlin', jan1(year))).toMatchObject(
      {
        month: 3,
        day: 25,
        isoWeekday: 6,
      },
    );
  });

  it('is the year of the config check\'s "now", which also dates the example', () => {
    const in2027 = new Date('2027-06-01T12:00:00Z');
    // 25 March 2029 is the last Sunday of March: its one firing that week is skipped in Berlin.
    expect(problemsOf('cron(30 2 25 * ? 2027-2199)', 'Europe/Berlin', in2027)).toEqual([
      expect.stringMatching(/e\.g\. Sun 25 Mar 2029, when clocks go forward from 02:00 to 03:00/),
    ]);
    // Read on 1 June, the first gap to come is the next year's.
    expect(problemsOf('cron(30 2 ? * SUN *)', 'Europe/Berlin', in2027)).toEqual([
      expect.stringMatching(/e\.g\. Sun 26 Mar 2028, when clocks go forward/),
    ]);
  });
});

// A year field that skips years made the clock-gap reading give up on the days it names: a range
// ending in 2053 read from 2027 stopped seeing the 25th lost on 25 March 2029, and a range starting
// in 2030 was refused for a Sunday of 2026, on which it never fires.
describe('a report schedule with a year field', () => {
  it('is judged on the days it fires in the years it names', () => {
    expect(cronDayWithoutFiring('cron(30 2 25 * ? 2026-2053)', 'Europe/Berlin', jan1(2027))).toMatchObject({
      year: 2029,
      month: 3,
      day: 25,
    });
    expect(cronDayWithoutFiring('cron(30 2 ? * SUN 2030-2199)', 'Europe/Berlin', jan1(2026))).toMatchObject({
      year: 2030,
      month: 3,
      day: 31,
    });
    expect(problemsOf('cron(30 2 ? * SUN 2030-2199)', 'Europe/Berlin')).toEqual([
      expect.stringMatching(/e\.g\. Sun 31 Mar 2030, when clocks go forward from 02:00 to 03:00/),
    ]);
  });

  it('keeps one that no longer fires, or never on a gap day, in the years it names', () => {
    expect(cronDayWithoutFiring('cron(30 2 ? * SUN 2026)', 'Europe/Berlin', jan1(2027))).toBeUndefined();
    // 25 March is no Sunday in 2026, 2027 or 2028.
    expect(cronDayWithoutFiring('cron(30 2 25 * ? 2026-2028)', 'Europe/Berlin', jan1(2026))).toBeUndefined();
  });
});

// The clock-gap reading started on 1 January of the config's year: read in December, a range ending
// that year was refused for a March Sunday already past, on which it had fired (or not) long ago.
describe("the day a report schedule's clock gaps are looked for from", () => {
  const december = new Date('2026-12-02T12:00:00Z');

  it('is the config\'s "now": a gap day already past loses nothing', () => {
    expect(cronDayWithoutFiring('cron(30 2 ? * SUN 2026-2026)', 'Europe/Berlin', december)).toBeUndefined();
    expect(problemsOf('cron(30 2 ? * SUN 2026-2026)', 'Europe/Berlin', december)).toEqual([]);
    expect(cronDayWithoutFiring('cron(30 2 ? * SUN 2026-2026)', 'Europe/Berlin', jan1(2026))).toMatchObject({
      year: 2026,
      month: 3,
      day: 29,
    });
  });

  it('still finds the gaps to come, the first one after that day', () => {
    expect(cronDayWithoutFiring('cron(30 2 ? * SUN *)', 'Europe/Berlin', december)).toMatchObject({
      year: 2027,
      month: 3,
      day: 28,
    });
    expect(problemsOf('cron(30 2 ? * SUN *)', 'Europe/Berlin', december)).toEqual([
      expect.stringMatching(/e\.g\. Sun 28 Mar 2027, when clocks go forward/),
    ]);
  });
});
