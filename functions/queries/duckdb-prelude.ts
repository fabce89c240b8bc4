/**
 * DuckDB macros for the Trino functions the query catalog uses that DuckDB lacks or names
 * differently (ecosystem-notes §5.3). They run on DuckDB only, before any query; Athena has the
 * real functions. Each is defined to give the same result the Trino function gives on the values
 * the catalog passes it (the known-answer tests check this).
 */
export const DUCKDB_PRELUDE: readonly string[] = [
  // Trino: a timestamp read in `zone` -> timestamp with time zone. DuckDB's timezone(zone, TIMESTAMP)
  // does exactly that.
  'CREATE MACRO with_timezone(ts, zone) AS timezone(zone, ts)',
  // Trino: the same instant seen in `zone`, whose hour()/minute()/CAST AS date are local to `zone`.
  // DuckDB's timezone(zone, TIMESTAMPTZ) gives that local wall time as a plain TIMESTAMP.
  'CREATE MACRO at_timezone(tstz, zone) AS timezone(zone, tstz)',
  'CREATE MACRO to_unixtime(ts) AS epoch(ts)',
  'CREATE MACRO from_iso8601_timestamp(text) AS CAST(text AS TIMESTAMPTZ)',
  'CREATE MACRO regexp_like(text, pattern) AS regexp_matches(text, pattern)',
  // Trino: the ISO day of the week, 1 = Monday to 7 = Sunday. Not in the catalog: for your own SQL,
  // where DuckDB's own extract(dow ...) answers 0 for Sunday (review R-ANALYST3 M3).
  'CREATE MACRO day_of_week(ts) AS isodow(ts)',
  // Trino: the elements joined by `separator`, nulls left out; null for a null array.
  'CREATE MACRO array_join(items, separator) AS array_to_string(items, separator)',
  // Trino: `length` elements from the 1-based `start`; null for a null array.
  'CREATE MACRO slice(items, start, length) AS list_slice(items, start, start + length - 1)',
  // Trino: the scalar at `path` as varchar; null for an object or an array, a missing path, and a
  // text that is not JSON. DuckDB's json_extract_string fails the whole query on one invalid text
  // (a `raw` holding a lone surrogate, "\ud83d": review R-DRIFT M3), so each is checked first.
  "CREATE MACRO json_extract_scalar(j, path) AS CASE WHEN json_valid(j) AND json_type(j, path) NOT IN ('OBJECT', 'ARRAY') THEN json_extract_string(j, path) END",
];
