import { sqlOutsideQuotes } from '../adapters/read-only-sql.ts';

/** One known way SQL that runs on DuckDB answers otherwise, or not at all, on Athena. */
interface Pitfall {
  /** Where it shows in the SQL, comments and quoted text left out (sqlOutsideQuotes). */
  pattern: RegExp;
  /** The portable spelling that holds the pattern, taken out first. */
  fixed?: RegExp;
  /** What differs, and what to write instead. */
  advice: string;
}

/** A whole number written as such: not part of a name, a decimal or a longer number. */
const WHOLE = String.raw`(?<![\w.])\d+(?![\w.])`;
/** A count(...) with no parentheses inside: a bigint on both engines. */
const COUNT = String.raw`\bcount\s*\([^()]*\)`;

/**
 * The pitfalls review R-ANALYST H1 found, each checked on both engines (docs/queries.md, "Portable
 * SQL"). Few and narrow on purpose: a warning on SQL that is fine teaches to ignore warnings, so
 * each matches only the spelling that differs (`1/2` and `count(*) / 7`, not `CAST(x AS double) /
 * count(*)`), and none matches the catalog's SQL or the docs' recipes (tested).
 */
const PITFALLS: readonly Pitfall[] = [
  {
    pattern: new RegExp(String.raw`(?:${WHOLE}|${COUNT})\s*/\s*(?:${WHOLE}|count\s*\()`, 'i'),
    advice:
      'a whole number divided by a whole number (1/2, count(*)/7) divides exactly on DuckDB (1/2 is 0.5) but keeps the whole part on Athena (0): cast one side, CAST(count(*) AS double) / 7',
  },
  {
    pattern: /\bdate_diff\s*\(/i,
    advice:
      'date_diff counts the boundaries crossed on DuckDB but whole units on Athena (23:00 to 01:00 the next day: 1 day against 0): compare the timestamps themselves, or to_unixtime(b) - to_unixtime(a) in seconds',
  },
  {
    pattern: /\bregexp_replace\s*\(/i,
    advice:
      'regexp_replace replaces the first match only on DuckDB but every match on Athena: use replace() for a fixed text (every match on both), or a pattern that can match once',
  },
  {
    pattern: /\bcurrent_date\s*[-+]\s*interval\b/i,
    // Cast back to a date, or formatted as one (the alerts' saved query, for Athena only: DuckDB
    // has no date_format, and says so).
    fixed:
      /\bcast\s*\(\s*current_date\s*[-+]\s*interval\s*''\s*\w+\s+as\s+date\s*\)|\bdate_format\s*\(\s*current_date\s*[-+]\s*interval\s*''\s*\w+\s*,/gi,
    advice:
      "current_date - INTERVAL '7' DAY is a timestamp on DuckDB (as text '2026-11-29 00:00:00', which sorts after dt '2026-11-29' and drops that day) but a date on Athena: write the date (dt >= '2026-11-29'), or CAST(CAST(current_date - INTERVAL '7' DAY AS date) AS varchar)",
  },
  {
    // A column called user (qualified, quoted, or part of a longer name) is not this.
    pattern: /(?<![\w.]|\bas\s+)\buser\b(?!\s*\.)/i,
    advice:
      'user is no column of the lake: DuckDB reads it as its own current user, the same on every row; the columns are user_id and user_name',
  },
  {
    pattern: /\b(?:group|order)\s+by\s+all\b/i,
    advice:
      'GROUP BY ALL and ORDER BY ALL are DuckDB only: Athena refuses them; name the columns or their numbers (GROUP BY 1, 2)',
  },
  {
    pattern: /\bilike\b/i,
    advice: "ILIKE is DuckDB only: Athena refuses it; write lower(x) LIKE '%text%'",
  },
  {
    pattern: /^[\s(]*from\b/i,
    advice: 'a query that begins with FROM is DuckDB only: Athena refuses it; begin with SELECT ... FROM',
  },
  {
    pattern: /::/,
    advice: 'x::type is DuckDB only: Athena refuses it; write CAST(x AS type)',
  },
];

/**
 * What `sql` holds that answers otherwise on Athena than on DuckDB, or runs on one of them only:
 * one advice per pitfall found, none when it has none. It only warns: the SQL runs as written.
 */
export function portabilityWarnings(sql: string): string[] {
  const bare = sqlOutsideQuotes(sql);
  return PITFALLS.filter(({ pattern, fixed }) => pattern.test(fixed ? bare.replace(fixed, ' ') : bare)).map(
    ({ advice }) => advice,
  );
}

/** The warnings as the command's stderr lines. */
export const portabilityLines = (sql: string): string =>
  portabilityWarnings(sql)
    .map((advice) => `warning: DuckDB and Athena differ: ${advice} (docs/queries.md, Portable SQL)\n`)
    .join('');
