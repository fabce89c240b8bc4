import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../infra/config/config-error.ts';
import { parseActivityLakeConfig } from '../../infra/config.ts';

/** A config whose backfill starts well after every date tried here, read on `today`. */
const config = (lakeStartDate: string, today = new Date('2028-06-01T00:00:00Z')) =>
  parseActivityLakeConfig(
    { instances: [{ name: 'acme' }], alarms: { email: 'ops@acme-co.com' }, lakeStartDate },
    today,
  );

const problemOf = (lakeStartDate: string): string => {
  try {
    config(lakeStartDate);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(1);
    return problems[0] ?? '';
  }
  throw new Error(`expected lakeStartDate ${lakeStartDate} to be refused`);
};

describe('lakeStartDate', () => {
  it('refuses a day that does not exist, which Date.parse rolls over into the next month', () => {
    // The Glue projection range would have started on "2025-02-29".
    expect(problemOf('2025-02-29')).toBe(
      'activityLake.lakeStartDate: 2025-02-29 is not a date: 2025 has no February 29; use a day that exists, such as "2025-02-28" (got "2025-02-29")',
    );
    expect(problemOf('2025-11-31')).toBe(
      'activityLake.lakeStartDate: 2025-11-31 is not a date: November 2025 has 30 days; use a day that exists, such as "2025-11-30" (got "2025-11-31")',
    );
    expect(problemOf('2025-04-00')).toMatch(
      /2025-04-00 is not a date: April 2025 has 30 days; .*"2025-04-01"/,
    );
    expect(problemOf('2025-13-01')).toMatch(/2025-13-01 is not a date: there is no month 13/);
    expect(problemOf('1999-12-31')).toMatch(/1999-12-31 is outside the years 2000-2099/);
    // Year 0 is a leap year: its February 29 exists, out of the lake's years (Date reads it as 1900).
    expect(problemOf('0000-02-29')).toMatch(
      /^activityLake.lakeStartDate: 0000-02-29 is outside the years 2000-2099/,
    );
    expect(problemOf('2025-1-01')).toMatch(/must be a date "YYYY-MM-DD"/);
  });

  it('says a day outside the years is outside them, not which nearer day to use instead', () => {
    // A suggested "2100-02-28" or "999-01-01" would only be refused on the next run.
    for (const day of ['2100-02-29', '0999-13-01', '0005-04-31', '1999-02-30']) {
      expect(problemOf(day)).toBe(
        `activityLake.lakeStartDate: ${day} is outside the years 2000-2099, the only ones the lake's times are read in; use a date in them, e.g. "2025-01-01" (got "${day}")`,
      );
    }
  });

  it('accepts a leap day and the days that exist', () => {
    expect(config('2028-02-29').lakeStartDate).toBe('2028-02-29');
    expect(config('2024-02-29').lakeStartDate).toBe('2024-02-29');
    expect(config('2025-11-30').lakeStartDate).toBe('2025-11-30');
    expect(config('2025-12-31').lakeStartDate).toBe('2025-12-31');
  });
});
