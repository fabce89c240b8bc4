import { describe, expect, it } from 'vitest';
import {
  currentWeek,
  isoWeeksInYear,
  lastFullWeek,
  previousWeek,
  reportWeek,
} from '../../../functions/core/report/iso-week.ts';
import { wallTimeOf } from '../../../functions/core/zoned-time.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const HOUR = 3_600_000;

describe('reportWeek', () => {
  it('runs Monday 00:00 to Monday 00:00 in UTC', () => {
    const week = reportWeek('2026-W47', 'UTC');
    expect(iso(week.startMs)).toBe('2026-11-16T00:00:00.000Z');
    expect(iso(week.endMs)).toBe('2026-11-23T00:00:00.000Z');
    expect(week.days).toEqual([
      '2026-11-16',
      '2026-11-17',
      '2026-11-18',
      '2026-11-19',
      '2026-11-20',
      '2026-11-21',
      '2026-11-22',
    ]);
  });

  it('starts at local midnight in the configured zone', () => {
    const denver = reportWeek('2026-W47', 'America/Denver');
    expect(iso(denver.startMs)).toBe('2026-11-16T07:00:00.000Z');
    expect(iso(denver.endMs)).toBe('2026-11-23T07:00:00.000Z');
    const tokyo = reportWeek('2026-W47', 'Asia/Tokyo');
    expect(iso(tokyo.startMs)).toBe('2026-11-15T15:00:00.000Z');
  });

  it('has 167 or 169 hours across a DST change and still ends at local midnight', () => {
    // Europe/London: clocks go forward on Sunday 29 March 2026 and back on Sunday 25 October 2026.
    const spring = reportWeek('2026-W13', 'Europe/London');
    expect((spring.endMs - spring.startMs) / HOUR).toBe(167);
    expect(iso(spring.startMs)).toBe('2026-03-23T00:00:00.000Z');
    expect(iso(spring.endMs)).toBe('2026-03-29T23:00:00.000Z');
    const autumn = reportWeek('2026-W43', 'Europe/London');
    expect((autumn.endMs - autumn.startMs) / HOUR).toBe(169);
    expect(iso(autumn.startMs)).toBe('2026-10-18T23:00:00.000Z');
  });

  it('handles weeks that belong to the neighbouring year', () => {
    // 1 January 2027 is a Friday, so it belongs to 2026-W53; 2026 has 53 ISO weeks.
    expect(isoWeeksInYear(2026)).toBe(53);
    expect(isoWeeksInYear(2027)).toBe(52);
    const w53 = reportWeek('2026-W53', 'UTC');
    expect(w53.days[0]).toBe('2026-12-28');
    expect(w53.days[6]).toBe('2027-01-03');
    // 2025-W01 starts on Monday 30 December 2024.
    expect(reportWeek('2025-W01', 'UTC').days[0]).toBe('2024-12-30');
  });

  it('refuses labels that are not ISO weeks, saying what to write', () => {
    for (const bad of ['2026-47', 'last week', '2026-W1']) {
      expect(() => reportWeek(bad, 'UTC')).toThrow(
        /is not written as an ISO week: write YYYY-Www, e\.g\. 2026-W47/,
      );
    }
    expect(() => reportWeek('2026-W54', 'UTC')).toThrow(
      'week "2026-W54" does not exist: 2026 has ISO weeks 01 to 53',
    );
    expect(() => reportWeek('2027-W53', 'UTC')).toThrow(
      'week "2027-W53" does not exist: 2027 has ISO weeks 01 to 52',
    );
    expect(() => reportWeek('2026-W00', 'UTC')).toThrow(/does not exist/);
    // A real ISO week, outside the years a report covers: said so, not "not an ISO week".
    expect(() => reportWeek('1999-W01', 'UTC')).toThrow(
      'week "1999-W01" is out of range: the year must be from 2000 to 2099',
    );
  });
});

describe('lastFullWeek', () => {
  it('is the week before the one holding now', () => {
    // Wednesday 25 November 2026 (W48) -> W47.
    expect(lastFullWeek(Date.parse('2026-11-25T12:00:00Z'), 'UTC').isoWeek).toBe('2026-W47');
    // Monday 23 November 00:30 UTC: W47 has just ended.
    expect(lastFullWeek(Date.parse('2026-11-23T00:30:00Z'), 'UTC').isoWeek).toBe('2026-W47');
  });

  it('follows the zone: in Denver it is still Sunday of W47 when UTC is already Monday', () => {
    const now = Date.parse('2026-11-23T03:00:00Z');
    expect(lastFullWeek(now, 'UTC').isoWeek).toBe('2026-W47');
    expect(lastFullWeek(now, 'America/Denver').isoWeek).toBe('2026-W46');
  });

  it('crosses the year boundary', () => {
    expect(lastFullWeek(Date.parse('2027-01-06T09:00:00Z'), 'UTC').isoWeek).toBe('2026-W53');
    expect(lastFullWeek(Date.parse('2026-01-07T09:00:00Z'), 'UTC').isoWeek).toBe('2026-W01');
  });
});

describe('currentWeek', () => {
  it('is the week holding now, the one after the last full week, across a change of clocks', () => {
    // 2026-W44 in New York is 169 hours long (clocks go back on Sunday 1 Nov).
    for (const iso of ['2026-10-26T04:00:00Z', '2026-10-28T12:00:00Z', '2026-11-02T04:59:59Z']) {
      const week = currentWeek(Date.parse(iso), 'America/New_York');
      expect(week.isoWeek).toBe('2026-W44');
      expect(week.startMs).toBe(lastFullWeek(Date.parse(iso), 'America/New_York').endMs);
      expect(week.endMs - week.startMs).toBe(169 * HOUR);
    }
    expect(currentWeek(Date.parse('2026-11-02T05:00:00Z'), 'America/New_York').isoWeek).toBe('2026-W45');
    expect(currentWeek(Date.parse('2027-01-03T12:00:00Z'), 'UTC').isoWeek).toBe('2026-W53');
  });
});

describe('previousWeek', () => {
  it('is the seven days before, in the same zone', () => {
    const week = reportWeek('2026-W01', 'Europe/Berlin');
    const prev = previousWeek(week);
    expect(prev.isoWeek).toBe('2025-W52');
    expect(prev.endMs).toBe(week.startMs);
    expect(prev.timeZone).toBe('Europe/Berlin');
  });
});

describe('wallTimeOf', () => {
  it('is the wall clock of the zone, encoded as UTC', () => {
    const ms = Date.parse('2026-07-01T12:00:00.250Z');
    expect(iso(wallTimeOf(ms, 'America/New_York'))).toBe('2026-07-01T08:00:00.250Z');
    expect(iso(wallTimeOf(ms, 'Asia/Kolkata'))).toBe('2026-07-01T17:30:00.250Z');
    expect(wallTimeOf(ms, 'UTC')).toBe(ms);
  });
});
