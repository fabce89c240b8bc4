import type { QueryRunOptions, SqlEngine } from '../ports.ts';
import { floorHour, HOUR_MS } from '../time-units.ts';
import { parseLakeTimestamp } from './layout.ts';

/** The hours of a span the lake covers, of those it overlaps. */
export interface Coverage {
  covered: number;
  expected: number;
  /** Bytes the engine scanned to tell, when it reports them (Athena): a report counts what it cost. */
  bytesScanned?: number;
}

/** An engine that runs SQL with `?` values: Athena's and DuckDB's. */
export type HoursHeldEngine = Pick<SqlEngine, 'runSql'>;

/**
 * The hours of a span the lake covers, read from the coverage manifests alone: data_health counts
 * them the same way but also reads every event of the span, which on Athena bills a scan of the
 * history (30 days) for a yes-or-no question. This one reads one small object per hour, so `query`
 * can ask it on every run and still say, for an empty week in a lake's first weeks, that nobody
 * was judged (review R-Q3 M1). Portable as the catalog: Athena engine v3 and DuckDB's views, and
 * its `?` stand in the WHERE clause only, where Athena documents them.
 */
export const HOURS_HELD_SQL = `SELECT count(DISTINCT window_start) AS covered_hours
FROM coverage
WHERE instance = ?
  AND dt BETWEEN ? AND ?
  AND window_start >= date_trunc('hour', CAST(? AS timestamp))
  AND window_start < CAST(? AS timestamp)`;

/** The hours of `[from_ts, to_ts)` the lake is expected to cover: those the span overlaps, as data_health. */
export const expectedHours = (fromTs: string, toTs: string): number => {
  const first = floorHour(parseLakeTimestamp(fromTs));
  const end = Math.ceil(parseLakeTimestamp(toTs) / HOUR_MS) * HOUR_MS;
  return Math.max(0, (end - first) / HOUR_MS);
};

/** The history before a query's period, `[history_from_ts, from_ts)`, as {@link hoursHeld} reads it. */
export function historySpan(named: Readonly<Record<string, string>>) {
  const { instance = '', history_from_dt = '', history_from_ts = '', from_dt = '', from_ts = '' } = named;
  return { instance, from_dt: history_from_dt, to_dt: from_dt, from_ts: history_from_ts, to_ts: from_ts };
}

/** How many hours of a span the lake covers, of those it overlaps, from the manifests alone. */
export async function hoursHeld(
  engine: HoursHeldEngine,
  span: { instance: string; from_dt: string; to_dt: string; from_ts: string; to_ts: string },
  run: QueryRunOptions,
): Promise<Coverage> {
  const { instance, from_dt, to_dt, from_ts, to_ts } = span;
  const { rows, bytesScanned } = await engine.runSql(
    HOURS_HELD_SQL,
    [instance, from_dt, to_dt, from_ts, to_ts],
    'query of the coverage of the history',
    run,
  );
  return {
    expected: expectedHours(from_ts, to_ts),
    covered: Number(rows[0]?.covered_hours ?? 0),
    ...(bytesScanned === undefined ? {} : { bytesScanned }),
  };
}

/** Whether the lake holds none of a span it should: every check that needs it judged nobody. */
export const noneHeld = (coverage: Coverage | undefined): boolean =>
  coverage !== undefined && coverage.expected > 0 && coverage.covered === 0;
