import { utcInstant } from '../lake/utc-instant.ts';
import type { DataHealth, WeeklyReportModel } from './report-model.ts';

/**
 * The `schemaVersion` of the model as JSON (the archive's `<week>.json`, the command line's
 * report.json and `report --json`): 2 gives every lake time as ISO 8601 UTC with `Z`
 * (`2026-11-17T09:00:00.000Z`, lake/utc-instant.ts says why), where 1 (archives written before
 * 2026-12-06) gave the lake's `2026-11-17 09:00:00.000`, UTC without a zone. Nothing else differs:
 * a reader tells the two forms by this number, and the renderers read either
 * (`parseLakeTimestamp`). In memory the model keeps the lake's text, as the queries return it.
 */
export const REPORT_JSON_VERSION = 2;

/** The model as it is written as JSON: {@link REPORT_JSON_VERSION}. */
export type ReportModelJson = Omit<WeeklyReportModel, 'schemaVersion'> & {
  schemaVersion: typeof REPORT_JSON_VERSION;
};

const healthJson = (h: DataHealth): DataHealth => ({
  ...h,
  firstMissingHour: utcInstant(h.firstMissingHour),
  lastEventTime: utcInstant(h.lastEventTime),
  lastFetchedAt: utcInstant(h.lastFetchedAt),
  ...(h.missingRuns
    ? { missingRuns: h.missingRuns.map((run) => ({ ...run, start: utcInstant(run.start) })) }
    : {}),
});

/** The lake times of a model's lists of failures: their first and last failure. */
const failureSpan = <T extends { firstFailure: string | null; lastFailure: string | null }>(row: T): T => ({
  ...row,
  firstFailure: utcInstant(row.firstFailure),
  lastFailure: utcInstant(row.lastFailure),
});

/**
 * The model with its lake times (the fields report-model.ts gives as lake timestamps) as ISO 8601
 * UTC instants, to be written as JSON. Its own instants (`generatedAt`, a week's `startUtc`) are
 * ISO already; texts that hold a time (`evidence`, the notes) are sentences, left as they are.
 */
export function reportModelJson(model: WeeklyReportModel): ReportModelJson {
  const {
    failedLoginsWithoutUser: withoutUser,
    failedLoginAddresses: addresses,
    loginsAfterFailures: afterFailures,
    privilegedChanges: privileged,
    bulkDataMovers: movers,
  } = model;
  return {
    ...model,
    schemaVersion: REPORT_JSON_VERSION,
    topUsers: model.topUsers.map((u) => ({ ...u, lastSeen: utcInstant(u.lastSeen) })),
    suspiciousLogins: model.suspiciousLogins.map((s) => ({ ...s, eventTime: utcInstant(s.eventTime) })),
    failedLogins: model.failedLogins.map((f) => ({
      ...failureSpan(f),
      lastLockout: utcInstant(f.lastLockout),
    })),
    ...(withoutUser ? { failedLoginsWithoutUser: failureSpan(withoutUser) } : {}),
    ...(addresses ? { failedLoginAddresses: addresses.map(failureSpan) } : {}),
    ...(afterFailures
      ? {
          loginsAfterFailures: afterFailures.map((a) => ({
            ...failureSpan(a),
            eventTime: utcInstant(a.eventTime),
          })),
        }
      : {}),
    ...(privileged
      ? { privilegedChanges: privileged.map((c) => ({ ...c, eventTime: utcInstant(c.eventTime) })) }
      : {}),
    ...(movers
      ? {
          bulkDataMovers: movers.map((m) => ({
            ...m,
            firstTime: utcInstant(m.firstTime),
            lastTime: utcInstant(m.lastTime),
          })),
        }
      : {}),
    health: healthJson(model.health),
    previousHealth: healthJson(model.previousHealth),
  };
}
