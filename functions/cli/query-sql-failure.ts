import { TABLE_PREFIXES } from '../core/lake/layout.ts';

/** The tables of every lake, as the help and errors name them. */
export const LAKE_TABLES = Object.keys(TABLE_PREFIXES).join(', ');

/**
 * An engine's message about SQL it refused, on the one line a failed command prints. DuckDB's
 * spreads over several: what is wrong, candidates, then the SQL with a caret under the spot, which
 * one line cannot show. Its guess at a table name offers its own system tables (`pg_enum`), so the
 * lake's tables are named instead.
 */
export function sqlFailure(message: string): string {
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('LINE ') && !line.startsWith('^'))
    .filter((line) => !/^Did you mean "(pg_|duckdb_|information_schema)/.test(line));
  const text = lines.join(' ');
  return /table/i.test(text)
    ? `${text} (the lake's tables: ${LAKE_TABLES}; on Athena also alerts once they are on)`
    : text;
}
