import type { QueryResult, QueryRow, QueryValue } from '../core/ports.ts';

/**
 * How `query --format json` and `csv` write a timestamp: ISO 8601 with its zone, `Z`
 * (`2026-11-30T14:03:00.000Z`), not the lake's bare UTC wall time (`2026-11-30 14:03:00.000`),
 * which JavaScript's `Date`, pandas and a spreadsheet all read as the reader's local time: an
 * hour or more off, silently, for anyone not on UTC (review R-INVEST L2). The lake's other
 * instants (`ingested_at`, `fetched_at`) are written this way already, so one file holds one form.
 * The table keeps the wall time: a person reads it, and the title says UTC.
 */

/** The engines' text of a timestamp (ports.ts, `QueryColumnType`): date, a space, the time. */
const LAKE_TIMESTAMP = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)$/;

/** A timestamp cell as ISO 8601 UTC; any other value (NULL, a text that is not one) as it is. */
export function utcInstant(value: QueryValue): QueryValue {
  if (typeof value !== 'string') return value;
  const match = LAKE_TIMESTAMP.exec(value);
  return match ? `${match[1]}T${match[2]}Z` : value;
}

/** The rows with every `timestamp` column's cells as {@link utcInstant}s: for JSON and CSV. */
export function withUtcInstants<R extends Pick<QueryResult, 'columns' | 'rows'>>(result: R): R {
  const timestamps = result.columns.filter((c) => c.type === 'timestamp').map((c) => c.name);
  if (timestamps.length === 0) return result;
  const rows = result.rows.map((row) => {
    const written: QueryRow = { ...row };
    for (const name of timestamps) if (name in row) written[name] = utcInstant(row[name] ?? null);
    return written;
  });
  return { ...result, rows };
}
