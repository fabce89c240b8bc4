/**
 * The least time the weekly report lets one query wait: the fixed limit each query had before the
 * limit followed the caller's time (review R-BIG M2), so no report that fitted then fails now.
 */
export const MIN_QUERY_TIME_LIMIT_MS = 120_000;

export interface QueryTimeShare {
  /** What the caller has left as the queries start (a Lambda's remaining time). */
  timeLeftMs: number;
  /** What the caller needs after them (claiming and mailing the report). */
  reserveMs: number;
  /** Queries the report runs. */
  queries: number;
  /** Queries run at once. */
  concurrency: number;
}

/**
 * How long each of a report's queries may wait: the time left for the queries shared among the
 * waves they run in (`queries` / `concurrency`, rounded up), so that waves that each use their
 * share still end within the caller's time, and never less than {@link MIN_QUERY_TIME_LIMIT_MS}.
 * A longer function timeout so gives every query longer: it is the operator's one lever, where a
 * fixed limit failed a large instance's slow history queries every week whatever the timeout.
 * Undefined without a time limit (an unbounded caller keeps its engine's own limit).
 */
export function queryTimeLimitMs(share: QueryTimeShare): number | undefined {
  if (!Number.isFinite(share.timeLeftMs)) return undefined;
  const waves = Math.ceil(Math.max(1, share.queries) / Math.max(1, share.concurrency));
  // Whole seconds: the limit is told in seconds, and a rounded-up one would be more than it is.
  const perWave = Math.floor((share.timeLeftMs - share.reserveMs) / waves / 1000) * 1000;
  return Math.max(MIN_QUERY_TIME_LIMIT_MS, perWave);
}
