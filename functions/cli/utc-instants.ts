import { utcInstant as lakeUtcInstant } from '../core/lake/utc-instant.ts';
import type { QueryResult, QueryRow, QueryValue } from '../core/ports.ts';

/**
 * How `query --format json` writes a timestamp: ISO 8601 with its zone, `Z`
 * (`2026-11-30T14:03:00.000Z`), not the lake's bare UTC wall time (core/lake/utc-instant.ts says
 * why; `alerts --format json` and the report's JSON use the same). Converted by column type. The
 * lake's other instants (`ingested_at`, `fetched_at`) are written this way already, so one file
 * holds one form. The table and CSV keep the wall time, UTC: a person reads the table, and a
 * spreadsheet, which has no zone, reads that form as a date and keeps the `Z` one as text (review
 * R-REPORTID M4).
 */

/** A timestamp cell as ISO 8601 UTC; any other value (NULL, a text that is not one) as it is. */
export function utcInstant(value: QueryValue): QueryValue {
  return typeof value === 'string' ? lakeUtcInstant(value) : value;
}

/** The rows with every `timestamp` column's cells as {@link utcInstant}s: for JSON. */
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
