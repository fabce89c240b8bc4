import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../functions/core/report/render-report.ts';
import type { WeeklyReportModel } from '../../../functions/core/report/report-model.ts';
import { reportModelJson } from '../../../functions/core/report/report-model-json.ts';
import { fullHealth, sampleModel, signInAfterFailures } from './model-fixture.ts';

/**
 * The report's model as JSON (the archive, report.json, `report --json`) gives its lake times with
 * their zone, as `query`'s JSON does (review R-INVEST L2): a bare `2026-11-18 09:00:00.000` is
 * read as local time by Date, pandas or a spreadsheet.
 */

/** A lake timestamp without a zone, wherever a string holds one whole. */
const BARE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/;

/** Every string of a JSON value, with its path. */
function strings(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => strings(v, `${path}.${k}`));
  }
  return [];
}

/** {@link sampleModel} with every list and figure that holds a lake time filled. */
const everyTime = (): WeeklyReportModel =>
  sampleModel({
    failedLoginsWithoutUser: {
      names: 3,
      failedAttempts: 4,
      addresses: 2,
      firstFailure: '2026-11-19 01:00:00.000',
      lastFailure: '2026-11-19 01:05:00.000',
    },
    failedLoginAddresses: [
      {
        ipAddress: '198.51.100.9',
        users: 5,
        failedAttempts: 6,
        firstFailure: '2026-11-18 03:53:10.000',
        lastFailure: '2026-11-18 03:56:40.000',
        country: 'DE',
        asn: 16509,
        org: 'Amazon.com, Inc.',
      },
    ],
    loginsAfterFailures: [signInAfterFailures],
    loginsAfterFailuresTotal: 1,
    health: fullHealth({
      firstMissingHour: '2026-11-17 04:00:00.000',
      coveredHours: 167,
      missingHours: 1,
      gapCount: 1,
      leadingMissingHours: 0,
      innerGapCount: 1,
      innerMissingHours: 1,
      trailingMissingHours: 0,
      notClosedHours: 0,
      missingRuns: [{ start: '2026-11-17 04:00:00.000', hours: 1 }],
    }),
  });

describe('reportModelJson', () => {
  it('writes every lake time as ISO 8601 UTC with Z, and says so in its schemaVersion', () => {
    const model = everyTime();
    const json = reportModelJson(model);
    expect(json.schemaVersion).toBe(2);
    expect(strings(JSON.parse(JSON.stringify(json))).filter(([, s]) => BARE.test(s))).toEqual([]);
    // The model held them bare: the check above is not vacuous.
    expect(strings(model).filter(([, s]) => BARE.test(s)).length).toBeGreaterThanOrEqual(14);
    expect(json.suspiciousLogins[0]?.eventTime).toBe('2026-11-18T03:04:05.000Z');
    expect(json.failedLogins[0]).toMatchObject({
      firstFailure: '2026-11-18T09:00:00.000Z',
      lastFailure: '2026-11-18T09:06:00.000Z',
      lastLockout: '2026-11-18T09:06:30.000Z',
    });
    expect(json.failedLoginAddresses?.[0]?.lastFailure).toBe('2026-11-18T03:56:40.000Z');
    expect(json.failedLoginsWithoutUser?.firstFailure).toBe('2026-11-19T01:00:00.000Z');
    expect(json.loginsAfterFailures?.[0]).toMatchObject({
      eventTime: '2026-11-18T09:06:00.000Z',
      firstFailure: '2026-11-18T09:00:00.000Z',
      lastFailure: '2026-11-18T09:05:00.000Z',
    });
    expect(json.health).toMatchObject({
      firstMissingHour: '2026-11-17T04:00:00.000Z',
      lastEventTime: '2026-11-22T23:58:01.000Z',
      lastFetchedAt: '2026-11-23T00:20:00.000Z',
      missingRuns: [{ start: '2026-11-17T04:00:00.000Z', hours: 1 }],
    });
    expect(json.previousHealth.lastEventTime).toBe('2026-11-22T23:58:01.000Z');
    expect(Date.parse(json.topUsers[0]?.lastSeen ?? '')).toBe(Date.UTC(2026, 10, 20, 17));
    // The model in memory is left as it was.
    expect(model.schemaVersion).toBe(1);
    expect(model.suspiciousLogins[0]?.eventTime).toBe('2026-11-18 03:04:05.000');
  });

  it('leaves nulls, sentences and the instants that had a zone as they are', () => {
    const model = everyTime();
    model.topUsers = model.topUsers.map((u) => ({ ...u, lastSeen: null }));
    const json = reportModelJson(model);
    expect(json.topUsers.every((u) => u.lastSeen === null)).toBe(true);
    expect(json.suspiciousLogins[0]?.evidence).toBe(model.suspiciousLogins[0]?.evidence);
    expect(json.notes).toEqual(model.notes);
    expect([json.generatedAt, json.week.startUtc]).toEqual([model.generatedAt, model.week.startUtc]);
    expect(reportModelJson(sampleModel())).not.toHaveProperty('failedLoginsWithoutUser');
  });

  it('renders, read back, as the model it was written from (an archive of either form reads)', () => {
    const model = everyTime();
    const archived = JSON.parse(JSON.stringify(reportModelJson(model)));
    const readBack = { ...archived, schemaVersion: 1 } as WeeklyReportModel;
    const [written, read] = [renderReport(model), renderReport(readBack)];
    expect(read.subject).toBe(written.subject);
    expect(read.text).toBe(written.text);
    expect(read.html).toBe(written.html);
  });
});
