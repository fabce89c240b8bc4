import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { assertInstanceName, DAY_MS, lakeTimestamp, utcDate } from '../core/lake/layout.ts';
import { isTimeZone } from '../core/zoned-time.ts';

/**
 * The query catalog (DESIGN §3.4): one Athena engine v3 (Trino) SQL file per query in this
 * directory, each starting with a header that says what it answers:
 *
 * ```
 * -- <name>: <one line: what it answers>
 * -- <more lines of explanation>
 * -- params: instance, from_dt, to_dt, from_ts, to_ts[, extra...]
 * -- columns: col1, col2, ...
 * ```
 *
 * Every `?` placeholder in the body names the parameter it takes in a comment right after it
 * (`? /* from_ts *\/`), because a parameter may be needed more than once (literal `dt` bounds are
 * what let Athena prune partitions, so they cannot come from a CTE). {@link bindParams} turns named
 * values into the positional list both engines take.
 */

/** Where the `.sql` files are: beside this module, or `QUERIES_DIR` (a bundled Lambda copies them). */
export const QUERIES_DIR = process.env.QUERIES_DIR ?? import.meta.dirname;

export interface QueryDefinition {
  name: string;
  /** The header's first line after `<name>:`. */
  description: string;
  /** The header's other explanation lines, joined with spaces. */
  details: string;
  /** Named parameters from the `params:` line, in that order: what a caller must supply. */
  params: string[];
  /** The parameter each `?` takes, in text order (names may repeat): what the engines bind. */
  placeholders: string[];
  /** Output columns from the `columns:` line (empty when the file has none). */
  columns: string[];
  sql: string;
}

/** A query name that is not in the catalog; the message lists the valid ones. */
export class UnknownQueryError extends Error {
  constructor(
    readonly queryName: string,
    readonly known: readonly string[],
    dir: string = QUERIES_DIR,
  ) {
    super(
      known.length === 0
        ? `no query "${queryName}": the query catalog at ${dir} has no .sql files (a bundled function must ship functions/queries/*.sql beside its code, or set QUERIES_DIR)`
        : `no query "${queryName}"; the catalog has: ${known.join(', ')}`,
    );
    this.name = 'UnknownQueryError';
  }
}

const NAME_PATTERN = /^[a-z][a-z0-9_]*$/;
const PLACEHOLDER_NAME = /^\s*\/\*\s*([a-z][a-z0-9_]*)\s*\*\//;

/**
 * The `?` placeholders of SQL text, in order, each with the name in the block comment right after
 * it (undefined when it has none). Question marks inside string literals (regular expressions) and
 * comments are not placeholders, for Trino and DuckDB alike.
 */
export function placeholderNames(sql: string): (string | undefined)[] {
  const names: (string | undefined)[] = [];
  scanPlaceholders(sql, (_at, name) => names.push(name));
  return names;
}

/**
 * The SQL with every `?` placeholder replaced by its value as a quoted string literal (`'` doubled),
 * in order. For engines or consoles that cannot take a parameter where the catalog puts one; the
 * values are the same strings the engines bind, so the results are the same.
 */
export function inlineParameters(sql: string, values: readonly string[]): string {
  const cuts: { at: number; length: number }[] = [];
  scanPlaceholders(sql, (at, _name, length) => cuts.push({ at, length }));
  if (cuts.length !== values.length) {
    throw new Error(`the SQL has ${cuts.length} placeholders but ${values.length} values were given`);
  }
  let out = '';
  let from = 0;
  cuts.forEach(({ at, length }, index) => {
    out += `${sql.slice(from, at)}'${(values[index] ?? '').replaceAll("'", "''")}'`;
    from = at + length;
  });
  return out + sql.slice(from);
}

/** Calls `found` for each `?` outside string literals and comments, with its name comment, if any. */
function scanPlaceholders(
  sql: string,
  found: (at: number, name: string | undefined, length: number) => void,
): void {
  let i = 0;
  while (i < sql.length) {
    const char = sql[i];
    if (char === "'") {
      // A quote inside a literal is written twice, so scanning to the next quote and resuming
      // there handles '' as two adjacent literals: the same characters are skipped.
      const end = sql.indexOf("'", i + 1);
      i = end === -1 ? sql.length : end + 1;
    } else if (sql.startsWith('--', i)) {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else if (char === '?') {
      const match = PLACEHOLDER_NAME.exec(sql.slice(i + 1));
      const length = 1 + (match?.[0].length ?? 0);
      found(i, match?.[1], length);
      i += length;
    } else {
      i += 1;
    }
  }
}

const list = (text: string): string[] =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/** Parses one catalog file. Throws, naming the file and the fix, when its header or placeholders are wrong. */
export function parseQuery(name: string, text: string): QueryDefinition {
  const sql = text.replace(/\r\n/g, '\n').trim();
  const lines = sql.split('\n');
  const firstCode = lines.findIndex((line) => !line.startsWith('--'));
  const header = lines
    .slice(0, firstCode === -1 ? lines.length : firstCode)
    .map((line) => line.slice(2).trim());
  const where = `query ${name}.sql`;

  let description = '';
  const details: string[] = [];
  let params: string[] | undefined;
  let columns: string[] = [];
  header.forEach((line, index) => {
    const field = /^(params|columns):(.*)$/.exec(line);
    if (field?.[1] === 'params') params = list(field[2] ?? '');
    else if (field?.[1] === 'columns') columns = list(field[2] ?? '');
    else if (index === 0)
      description = line.startsWith(`${name}:`) ? line.slice(name.length + 1).trim() : line;
    else if (line !== '') details.push(line);
  });

  const named = placeholderNames(lines.slice(firstCode === -1 ? lines.length : firstCode).join('\n'));

  if (params === undefined) {
    throw new Error(
      `${where} has no "-- params:" header line: list its parameters, e.g. "-- params: instance, from_dt"`,
    );
  }
  const declared = new Set(params);
  const placeholders = named.map((placeholder, index) => {
    if (placeholder === undefined) {
      throw new Error(
        `${where}: placeholder ${index + 1} has no name; write it as ? /* name */ with a name from "params:"`,
      );
    }
    if (!declared.has(placeholder)) {
      throw new Error(
        `${where}: placeholder ? /* ${placeholder} */ is not listed in "params: ${params?.join(', ')}"`,
      );
    }
    return placeholder;
  });
  for (const param of params) {
    if (!NAME_PATTERN.test(param)) throw new Error(`${where}: parameter name "${param}" is not snake_case`);
  }
  return { name, description, details: details.join(' '), params, placeholders, columns, sql };
}

/** The names of the `.sql` files in `dir` (the catalog's own by default), in name order. */
export function queryNames(dir: string = QUERIES_DIR): string[] {
  try {
    return readdirSync(dir)
      .filter((file) => file.endsWith('.sql'))
      .map((file) => file.slice(0, -'.sql'.length))
      .sort();
  } catch {
    return [];
  }
}

/** Every query of the catalog, by name, in name order. */
export const QUERY_NAMES: readonly string[] = Object.freeze(queryNames(QUERIES_DIR));

const cache = new Map<string, QueryDefinition>();

/** Reads and parses one query (cached). Throws {@link UnknownQueryError} for a name not in the catalog. */
export function loadQuery(name: string, dir: string = QUERIES_DIR): QueryDefinition {
  const key = `${dir}\0${name}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const names = dir === QUERIES_DIR ? QUERY_NAMES : queryNames(dir);
  if (!names.includes(name)) throw new UnknownQueryError(name, names, dir);
  const query = parseQuery(name, readFileSync(path.join(dir, `${name}.sql`), 'utf8'));
  cache.set(key, query);
  return query;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,3})?$/;
const WHOLE = /^\d{1,9}$/;

/** Checks a value by the naming convention of the catalog's parameters; returns a fix-it message or undefined. */
export function checkParamValue(param: string, value: string): string | undefined {
  if (param === 'instance') {
    try {
      assertInstanceName(value);
    } catch (error) {
      return (error as Error).message;
    }
  } else if (param.endsWith('_dt')) {
    if (!DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
      return `${param} "${value}" must be a date YYYY-MM-DD`;
    }
  } else if (param.endsWith('_ts')) {
    if (!TIMESTAMP.test(value) || Number.isNaN(Date.parse(`${value.replace(' ', 'T')}Z`))) {
      return `${param} "${value}" must be a UTC timestamp YYYY-MM-DD HH:MM:SS.mmm`;
    }
  } else if (param === 'time_zone') {
    if (!isTimeZone(value))
      return `time_zone "${value}" is not an IANA time zone (e.g. UTC, Europe/Paris, America/Denver)`;
  } else if (param === 'limit' || param === 'min_history_logins') {
    if (!WHOLE.test(value)) return `${param} "${value}" must be a whole number`;
  }
  return undefined;
}

/**
 * The positional parameter list of a query, from named values: one entry per `?`, in text order.
 * Throws naming the first missing parameter, or a value that does not fit its parameter.
 */
export function bindParams(name: string, values: Readonly<Record<string, string>>, dir?: string): string[] {
  const query = loadQuery(name, dir);
  for (const param of query.params) {
    const value = values[param];
    if (value === undefined) {
      throw new Error(`query ${name} needs parameter "${param}" (it takes: ${query.params.join(', ')})`);
    }
    const problem = checkParamValue(param, value);
    if (problem) throw new Error(`query ${name}: ${problem}`);
  }
  return query.placeholders.map((param) => values[param] as string);
}

/** Defaults of the parameters that are not part of the period. */
export const QUERY_DEFAULTS = {
  limit: 10,
  timeZone: 'UTC',
  minHistoryLogins: 10,
  historyDays: 30,
} as const;

export interface PeriodParams {
  instance: string;
  /** UTC date of the period's first instant. */
  from_dt: string;
  /** UTC date of the period's last instant (inclusive). */
  to_dt: string;
  /** Period start, `YYYY-MM-DD HH:MM:SS.mmm` UTC, inclusive. */
  from_ts: string;
  /** Period end, same format, exclusive. */
  to_ts: string;
}

/** The parameters every query takes, for the period `[fromMs, toMs)`. */
export function periodParams(instance: string, fromMs: number, toMs: number): PeriodParams {
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || toMs <= fromMs) {
    throw new RangeError(`a query period needs from < to (got ${fromMs} and ${toMs})`);
  }
  return {
    instance: assertInstanceName(instance),
    from_dt: utcDate(fromMs),
    to_dt: utcDate(toMs - 1),
    from_ts: lakeTimestamp(fromMs),
    to_ts: lakeTimestamp(toMs),
  };
}

/** trending_cards' previous period: `[fromMs - (toMs - fromMs), fromMs)`. */
export function previousPeriodParams(
  fromMs: number,
  toMs: number,
): { prev_from_dt: string; prev_from_ts: string } {
  const prevFromMs = fromMs - (toMs - fromMs);
  return { prev_from_dt: utcDate(prevFromMs), prev_from_ts: lakeTimestamp(prevFromMs) };
}

/** suspicious_logins' history window: the `days` days before `fromMs`. */
export function historyParams(
  fromMs: number,
  days: number = QUERY_DEFAULTS.historyDays,
): { history_from_dt: string; history_from_ts: string } {
  const historyFromMs = fromMs - days * DAY_MS;
  return { history_from_dt: utcDate(historyFromMs), history_from_ts: lakeTimestamp(historyFromMs) };
}

export interface QueryPeriod {
  instance: string;
  fromMs: number;
  toMs: number;
  /** IANA zone for time_zone (default UTC). */
  timeZone?: string;
  /** Rows of the ranked queries (default 10). */
  limit?: number;
  /** suspicious_logins: history sign-ins a user needs for the unusual-hour test (default 10). */
  minHistoryLogins?: number;
  /** suspicious_logins: days of history before the period (default 30). */
  historyDays?: number;
}

/**
 * Every parameter any query of the catalog takes, for one period, with the defaults filled in:
 * pass the result (or a copy with overrides) to {@link bindParams}.
 */
export function standardParams(period: QueryPeriod): Record<string, string> {
  const { fromMs, toMs } = period;
  return {
    ...periodParams(period.instance, fromMs, toMs),
    ...previousPeriodParams(fromMs, toMs),
    ...historyParams(fromMs, period.historyDays ?? QUERY_DEFAULTS.historyDays),
    time_zone: period.timeZone ?? QUERY_DEFAULTS.timeZone,
    limit: String(period.limit ?? QUERY_DEFAULTS.limit),
    min_history_logins: String(period.minHistoryLogins ?? QUERY_DEFAULTS.minHistoryLogins),
  };
}

/**
 * The column types both engines report in `QueryResult.columns`, whatever their native names:
 * every integer type is `bigint` (a JS number), every floating or decimal type `double` (a JS
 * number), `timestamp` values are UTC `YYYY-MM-DD HH:MM:SS.mmm` strings, `date` values
 * `YYYY-MM-DD` strings. Anything else is reported with the engine's own lower-case type name.
 */
export type QueryColumnType = 'varchar' | 'bigint' | 'double' | 'boolean' | 'timestamp' | 'date';
