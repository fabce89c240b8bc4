import { sqlOutsideQuotes } from '../adapters/read-only-sql.ts';
import type { Column } from '../core/lake/column.ts';
import { TABLE_COLUMNS } from '../core/lake/tables.ts';

/** One known way SQL that runs on DuckDB answers otherwise, or not at all, on Athena. */
interface Pitfall {
  /** Where it shows in the SQL, comments and quoted text left out (sqlOutsideQuotes). */
  pattern: RegExp;
  /** The portable spelling that holds the pattern, taken out first. */
  fixed?: RegExp;
  /** The same, for a spelling told by its quoted text (a unit), taken out of the SQL as written. */
  fixedAsWritten?: RegExp;
  /** What differs, and what to write instead. */
  advice: string;
}

/** The lake's columns of one of `types`, as a regex alternation of their names. */
const columnsOf = (...types: Column['glue'][]): string =>
  [
    ...new Set(
      Object.values(TABLE_COLUMNS)
        .flat()
        .filter((column) => types.includes(column.glue))
        .map((column) => column.name),
    ),
  ].join('|');

/** A lake column of `names`, perhaps qualified, not part of a longer name nor called. */
const column = (names: string): string => String.raw`(?<![\w.])(?:[A-Za-z_]\w*\.)?(?:${names})(?![\w.(])`;

/** A whole number written as such: not part of a name, a decimal or a longer number. */
const WHOLE = String.raw`(?<![\w.])\d+(?![\w.])`;
/** A count(...) with no parentheses inside: a bigint on both engines. */
const COUNT = String.raw`\bcount\s*\([^()]*\)`;
/** One of the lake's integer columns, or its sum: a bigint on Athena, divided as such. */
const INTEGER_COLUMN = column(columnsOf('bigint', 'int'));
const INTEGER_SUM = String.raw`\bsum\s*\(\s*${INTEGER_COLUMN}\s*\)`;
/** An operand whose type is a whole number on both engines, told by its spelling alone. */
const WHOLE_TERM = `(?:${WHOLE}|${COUNT}|${INTEGER_SUM}|${INTEGER_COLUMN})`;
/**
 * Where an operand or a word can begin, asked before a look-behind over blanks: that look-behind
 * at every position read back over a whole run of blanks, so 200 KB of them took minutes (review
 * R-SQLBOX2 L2); asked at a word's first character only, each run is read back once.
 */
const WORD_START = '(?=[\\w])';
/**
 * A product of such operands, the left side of a division: not itself multiplied or divided by
 * something before it (`1.0 * count(*) / 7` divides a decimal, as `*` and `/` go left to right).
 */
const WHOLE_PRODUCT = String.raw`${WORD_START}(?<![*/%]\s*)(?:${WHOLE_TERM}\s*\*\s*)*${WHOLE_TERM}`;
/** A comparison operator. */
const COMPARED = '(?:[<>]=?|<>|!=|=)';
/** The lake's text columns (ids are text: user_id, object_id, …), and its number columns. */
const TEXT_COLUMN = column(columnsOf('string'));
const NUMBER_COLUMN = column(columnsOf('bigint', 'int'));
/** A number written as such, perhaps negative. */
const NUMBER = String.raw`-?(?<![\w.])\d+(?:\.\d+)?(?![\w.])`;
/** `(x + 6) % 7` around an extract(dow FROM x), one or two levels of parentheses inside: 0 = Monday on both. */
const MONDAY_FIRST = String.raw`\(\s*extract\s*\(\s*dow\s+from\s+(?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)\s*\+\s*6\s*\)\s*%\s*7`;
/** The lake's timestamp columns. */
const TIMESTAMP_COLUMN = column(columnsOf('timestamp'));
/** A date as date_diff may take it and both engines read alike: a DATE literal, current_date, a cast. */
const DATE_ARG = String.raw`(?:date\s*'[^']*'|current_date\b|cast\s*\((?:[^()']|'[^']*')*\bas\s+date\s*\))`;

/**
 * The pitfalls review R-ANALYST H1 found, each checked on both engines (docs/queries.md, "Portable
 * SQL"). Few and narrow on purpose: a warning on SQL that is fine teaches to ignore warnings, so
 * each matches only the spelling that differs (`1/2` and `count(*) / 7`, not `CAST(x AS double) /
 * count(*)`), and none matches the catalog's SQL or the docs' recipes (tested).
 */
const PITFALLS: readonly Pitfall[] = [
  {
    pattern: new RegExp(String.raw`${WHOLE_PRODUCT}\s*/\s*${WHOLE_TERM}`, 'i'),
    advice:
      'a whole number divided by a whole number (1/2, count(*)/7) divides exactly on DuckDB (1/2 is 0.5) but keeps the whole part on Athena (0): cast one side, CAST(count(*) AS double) / 7',
  },
  {
    pattern: /\bdate_diff\s*\(/i,
    // In days between two dates, both count the same.
    fixedAsWritten: new RegExp(
      String.raw`\bdate_diff\s*\(\s*'day'\s*,\s*${DATE_ARG}\s*,\s*${DATE_ARG}\s*\)`,
      'gi',
    ),
    advice:
      'date_diff counts the boundaries crossed on DuckDB but whole units on Athena (23:00 to 01:00 the next day: 1 day against 0): compare the timestamps themselves, or to_unixtime(b) - to_unixtime(a) in seconds',
  },
  {
    pattern: /\bdatediff\s*\(/i,
    advice:
      "datediff is DuckDB's name only: Athena knows date_diff, which counts whole units where DuckDB counts the boundaries crossed; compare the timestamps themselves, or to_unixtime(b) - to_unixtime(a) in seconds",
  },
  {
    pattern: new RegExp(
      String.raw`${TIMESTAMP_COLUMN}\s*(?:${COMPARED}\s*|(?:not\s+)?between\s+)''|''\s*${COMPARED}\s*${TIMESTAMP_COLUMN}`,
      'i',
    ),
    advice:
      "a timestamp compared with a text (event_time >= '2026-11-27 00:00:00'): DuckDB reads the text as UTC and drops an offset in it, Athena refuses to compare a timestamp with a varchar: write TIMESTAMP '2026-11-27 00:00:00'",
  },
  {
    pattern: new RegExp(
      String.raw`${TEXT_COLUMN}\s*${COMPARED}\s*${NUMBER}|${NUMBER}\s*${COMPARED}\s*${TEXT_COLUMN}|${TEXT_COLUMN}\s+(?:not\s+)?in\s*\(\s*${NUMBER}|${NUMBER_COLUMN}\s*${COMPARED}\s*''|''\s*${COMPARED}\s*${NUMBER_COLUMN}|${NUMBER_COLUMN}\s+(?:not\s+)?in\s*\(\s*''`,
      'i',
    ),
    advice:
      "a text column compared with a number (user_id = 1084327979) or a number column with a text (ip_asn = '16509'): DuckDB converts and answers, Athena refuses (varchar = integer): quote the ids (user_id = '1084327979'), not the numbers (ip_asn = 16509)",
  },
  {
    pattern: /\bextract\s*\(\s*(?:dow|dayofweek|isodow)\b|\b(?:dayofweek|isodow)\s*\(/i,
    fixed: new RegExp(MONDAY_FIRST, 'gi'),
    advice:
      'extract(dow ...) is 0 for Sunday on DuckDB but 7 on Athena (ISO: 1 = Monday), and dayofweek() and isodow are DuckDB only: write day_of_week(x), 1 = Monday to 7 = Sunday on both, or (extract(dow FROM x) + 6) % 7, 0 = Monday on both',
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
    pattern: /(?=user\b)(?<![\w.]|\bas\s+)\buser\b(?!\s*\.)/i,
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
  return PITFALLS.filter(({ pattern, fixed, fixedAsWritten }) => {
    const outside = fixedAsWritten ? sqlOutsideQuotes(sql.replace(fixedAsWritten, ' ')) : bare;
    return pattern.test(fixed ? outside.replace(fixed, ' ') : outside);
  }).map(({ advice }) => advice);
}

/** The warnings as the command's stderr lines. */
export const portabilityLines = (sql: string): string =>
  portabilityWarnings(sql)
    .map((advice) => `warning: DuckDB and Athena differ: ${advice} (docs/queries.md, Portable SQL)\n`)
    .join('');
