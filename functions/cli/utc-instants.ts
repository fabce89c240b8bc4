import { utcInstant as lakeUtcInstant } from '../core/lake/utc-instant.ts';
import type { QueryResult, QueryRow, QueryValue } from '../core/ports.ts';

/**
 * How `query --format json` writes a timestamp: ISO 8601 with its zone, `Z`
 * (`2026-11-30T14:03:00.000Z`), not the lake's bare UTC wall time (core/lake/utc-instant.ts says
 * why; `alerts --format json` and the report's JSON use the same). Converted by column type, and
 * for `--sql` only when the SQL cannot have made a local clock of one ({@link sqlTimestamps}). The
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

/**
 * What makes a timestamp's text its local clock (review F-QUERYCLI 1): `at_timezone` gives the
 * local wall time as a plain TIMESTAMP on DuckDB (its stand-in: DuckDB's TIMESTAMPTZ carries no
 * zone, so a TIMESTAMPTZ result would lose the zone its hour() and date are taken in), and a
 * timestamp with time zone on Athena, which a cast to `timestamp` turns into the same local wall
 * time. Either way nothing in the column's type tells it from UTC, so only the SQL can.
 */
const CONVERSION = /\bat_timezone\s*\(|\bat\s+time\s+zone\b|\btimezone\s*\(/gi;
/** Taking a local time's parts, which both engines compute alike on the local clock. */
const PART_OF =
  /\b(?:hour|minute|second|day|day_of_month|day_of_week|dow|day_of_year|doy|week|month|quarter|year|format_datetime|date_format)\s*\(\s*$/i;
/** `CAST(` just before, and `AS varchar` or `AS date` just after: the local clock as text or a date. */
const CAST_OPEN = /\bcast\s*\(\s*$/i;
const CAST_TO_TEXT = /^\s*as\s+(?:varchar|char|date)\b/i;
/**
 * What can take a SELECT's value elsewhere, where it may be made a timestamp again: a WITH, a
 * subquery, a set operation (a date beside a timestamp is cast to one), a VALUES or PIVOT.
 */
const NOT_ONE_SELECT = /\b(?:with|union|intersect|except|values|pivot|unpivot)\b/i;
/** Before a column of the SELECT list: the SELECT (DISTINCT or ALL) or the comma after another. */
const COLUMN_START = /(?:^|,)\s*(?:(?:distinct|all)\s+)?$/i;
/** After a column: its alias, if any, then the comma before the next or the FROM. */
const COLUMN_END = /^\s*(?:(?:as\s+)?(\w+)\s*)?(?:,|$)/i;

/** How far before a conversion the call or cast that takes it is looked for, in characters. */
const LOOK_BEHIND = 200;

/** A comment, a string literal or a quoted name, each to its end (or the SQL's), read in one pass. */
const QUOTED = /--[^\r\n]*|\/\*[\s\S]*?(?:\*\/|$)|'(?:[^']|'')*'?|"(?:[^"]|"")*"?|`[^`]*`?/g;

/**
 * `sql` with comments and string literals left out, as sqlOutsideQuotes leaves them, but quoted
 * names kept as bare words: DuckDB calls `"at_timezone"(…)` as it calls `at_timezone(…)`, which
 * leaving every quoted text out hid (review F-SECOND3 4a).
 */
function sqlNamesBare(sql: string): string {
  return sql.replace(QUOTED, (quoted) => {
    if (quoted.startsWith('--') || quoted.startsWith('/*')) return ' ';
    if (quoted.startsWith("'")) return "''";
    return ` ${quoted.slice(1).replace(/["`]$/, '').replace(/\W/g, '_')} `;
  });
}

/**
 * Where each `(` of `sql` closes (just after its `)`; the end of `sql` if never), by index: found
 * in one pass, so nested conversions are not each read to their end.
 */
function callEnds(sql: string): Map<number, number> {
  const ends = new Map<number, number>();
  const open: number[] = [];
  for (let i = 0; i < sql.length; i += 1) {
    if (sql[i] === '(') open.push(i);
    else if (sql[i] === ')' && open.length > 0) ends.set(open.pop() as number, i + 1);
  }
  for (const at of open) ends.set(at, sql.length);
  return ends;
}

/** How many parentheses are open at `index` of `sql`. */
function depthAt(sql: string, index: number): number {
  let depth = 0;
  for (let i = 0; i < index; i += 1) {
    if (sql[i] === '(') depth += 1;
    else if (sql[i] === ')') depth = Math.max(0, depth - 1);
  }
  return depth;
}

/** Where a call or cast of `sql` stands: from its name to just after its `)`. */
interface Span {
  start: number;
  end: number;
}

/**
 * The call or cast that takes the conversion at `match` apart or to text or a date where it
 * stands (hour(…), CAST(… AS varchar)); undefined when there is none.
 */
function consumer(bare: string, ends: ReadonlyMap<number, number>, match: RegExpExecArray): Span | undefined {
  if (!match[0].endsWith('(')) return undefined;
  // The words just before, not all the SQL before: each conversion is then checked in steps of
  // its own, whatever the SQL's length (a run of blanks longer than that is told as not taken apart).
  const from = Math.max(0, match.index - LOOK_BEHIND);
  const before = bare.slice(from, match.index);
  const call = PART_OF.exec(before) ?? CAST_OPEN.exec(before);
  if (call === null) return undefined;
  const start = from + call.index;
  const end = ends.get(start + call[0].lastIndexOf('(')) ?? bare.length;
  const isCast = /^cast/i.test(call[0]);
  if (isCast && !CAST_TO_TEXT.test(bare.slice(ends.get(match.index + match[0].length - 1) ?? bare.length))) {
    return undefined;
  }
  return { start, end };
}

/** The SELECT list of `bare` when it is a query of one SELECT and one FROM, both at its top. */
function selectList(bare: string): Span | undefined {
  const selects = [...bare.matchAll(/\bselect\b/gi)];
  const froms = [...bare.matchAll(/\bfrom\b/gi)];
  const [select] = selects;
  const [from] = froms;
  if (select === undefined || from === undefined || selects.length > 1 || froms.length > 1) return undefined;
  if (NOT_ONE_SELECT.test(bare) || from.index < select.index) return undefined;
  if (depthAt(bare, select.index) > 0 || depthAt(bare, from.index) > 0) return undefined;
  return { start: select.index + select[0].length, end: from.index };
}

/**
 * Whether `taken` is a whole column of the one SELECT list, `list`, and its alias (if any) is
 * named nowhere else: its text, date or number is then what the query returns, not something
 * made a timestamp again (CAST(CAST(… AS varchar) AS timestamp), make_timestamp(year(…), …), an
 * alias cast in a later column: review F-SECOND3 4b, 4c).
 */
function wholeColumn(bare: string, list: Span, taken: Span): boolean {
  if (taken.start < list.start || taken.end > list.end || depthAt(bare, taken.start) > 0) return false;
  if (!COLUMN_START.test(bare.slice(list.start, taken.start))) return false;
  const after = COLUMN_END.exec(bare.slice(taken.end, list.end));
  if (after === null) return false;
  const alias = after[1];
  return alias === undefined || [...bare.matchAll(new RegExp(`\\b${alias}\\b`, 'gi'))].length === 1;
}

/**
 * The first zone conversion in `sql` (comments and string literals left out, quoted names read as
 * names) whose result may come out as a timestamp column: `at_timezone`, `AT TIME ZONE` or
 * `timezone()`, unless it is cast to text or a date or taken apart (hour(), minute(), …) as a
 * whole column of a query of one SELECT, its alias used nowhere else; undefined when there is
 * none. Its spelling, for the warning. Any other use may be made a timestamp again, so it errs on
 * the safe side.
 */
export function localClockConversion(sql: string): string | undefined {
  const bare = sqlNamesBare(sql);
  const ends = callEnds(bare);
  const list = selectList(bare);
  for (const match of bare.matchAll(CONVERSION)) {
    const taken = consumer(bare, ends, match);
    if (taken === undefined || list === undefined || !wholeColumn(bare, list, taken)) {
      return match[0].replace(/\s*\($/, '').replace(/\s+/g, ' ');
    }
  }
  return undefined;
}

/**
 * What `--format json` writes for the rows of `sql`: timestamps with `Z` ({@link withUtcInstants}),
 * unless the SQL may return a local clock as a timestamp, when the timestamps stay as the table
 * shows them, with a warning naming them: a `Z` on a local clock is a wrong instant, and which
 * column is which cannot be told. The warning is for every format: the engines differ there too.
 */
export function sqlTimestamps<R extends Pick<QueryResult, 'columns' | 'rows'>>(
  sql: string,
  result: R,
): { json: R; warning?: string } {
  const timestamps = result.columns.filter((c) => c.type === 'timestamp').map((c) => c.name);
  const conversion = timestamps.length === 0 ? undefined : localClockConversion(sql);
  if (conversion === undefined) return { json: withUtcInstants(result) };
  const shown = conversion === 'timezone' ? 'timezone()' : conversion;
  return {
    json: result,
    warning: `${shown} may put a local clock in a timestamp column (${timestamps.join(', ')}): DuckDB shows the local time, Athena the instant in UTC, neither with a zone, so --format json writes these without Z; cast a local time to varchar, CAST(at_timezone(...) AS varchar), or take its parts, hour(...) or CAST(... AS date), each a column of its own in a query of one SELECT`,
  };
}
