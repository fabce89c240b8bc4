import { describe, expect, it } from 'vitest';
import { readAlertsEnv } from '../../functions/alerts/config.ts';
import { ingestEnvironment, readIngestEnv } from '../../functions/ingest/config.ts';
import { readReportEnv, reportEnvironment } from '../../functions/report/config.ts';
import { MAX_DAYS_ENV, maxDaysVariable } from '../../functions/shared/lambda-environment.ts';
import { acmeAlertsEnv } from '../alerts/support/alerts-env.ts';
import { SAMPLE_INGEST_HANDLER_CONFIG } from '../support/ingest-handler-config.ts';

// 2026-12-07: the ingest, alerts and report functions each parsed LAKE_MAX_DAYS by hand, and the
// ingest's took any digits: "0" or "99999", which synth never writes, ran as a bound (0 days: no
// re-pull accepted, and a record verify ignores). One parser now, synth's range for all three.

const problem = (value: string | undefined) => maxDaysVariable.safeParse(value).error?.issues[0]?.message;

const readers = {
  ingest: (value: string | undefined) =>
    readIngestEnv({ ...ingestEnvironment(SAMPLE_INGEST_HANDLER_CONFIG), [MAX_DAYS_ENV]: value }).maxDays ??
    undefined,
  alerts: (value: string | undefined) => readAlertsEnv({ ...acmeAlertsEnv(), [MAX_DAYS_ENV]: value }).maxDays,
  report: (value: string | undefined) =>
    readReportEnv({
      ...reportEnvironment({
        stack: 'DomoActivityLake',
        instances: ['acme'],
        bucket: 'lake-bucket',
        prefix: '',
        workGroup: 'wg',
        database: 'db',
        timeZone: 'UTC',
        sender: 'reports@example.com',
        recipients: ['a@example.com'],
        alertsEnabled: true,
      }),
      [MAX_DAYS_ENV]: value,
    }).maxDays,
};

describe('LAKE_MAX_DAYS (retention.maxDays)', () => {
  it('reads a whole number of days synth accepts, and none (kept forever) when unset or empty', () => {
    expect(maxDaysVariable.parse('1')).toBe(1);
    expect(maxDaysVariable.parse('36500')).toBe(36_500);
    expect(maxDaysVariable.parse(undefined)).toBeUndefined();
    expect(maxDaysVariable.parse('')).toBeUndefined();
  });

  it('refuses anything else, naming the variable, the value, the range and the setting', () => {
    for (const value of ['0', '36501', 'null', '400 days', '-1', '1.5'])
      expect(problem(value)).toBe(
        `LAKE_MAX_DAYS is "${value}": it must be a whole number from 1 to 36500 (retention.maxDays)`,
      );
  });

  it('is read alike by the ingest, alerts and report functions', () => {
    for (const [name, read] of Object.entries(readers)) {
      expect({ name, days: read('400') }).toEqual({ name, days: 400 });
      expect({ name, days: read(undefined) }).toEqual({ name, days: undefined });
      expect({ name, days: read('') }).toEqual({ name, days: undefined });
      for (const value of ['0', '36501', 'null'])
        expect(() => read(value), `${name} ${value}`).toThrow(
          `LAKE_MAX_DAYS is "${value}": it must be a whole number from 1 to 36500 (retention.maxDays)`,
        );
    }
  });
});
