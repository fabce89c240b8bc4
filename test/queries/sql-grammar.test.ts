import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadQuery, QUERIES_DIR, QUERY_NAMES } from '../../functions/queries/catalog.ts';
import { DUCKDB_PRELUDE } from '../../functions/queries/duckdb-prelude.ts';
import {
  saveTrinoVerdicts,
  trinoErrors,
  trinoFunctionNames,
  trinoParametersOutsideWhere,
} from './support/trino-verdicts.ts';

/**
 * Functions of Athena engine v3, which has Trino's (docs.aws.amazon.com/athena/latest/ug/functions-env3.html
 * points to trino.io/docs/current/functions): the aggregate, window, date and time, string, regular
 * expression, math, conditional and conversion functions a query of this catalog might call.
 * A name outside this list is either DuckDB-only or a typo; the test below fails on it.
 */
const ATHENA_V3_FUNCTIONS = new Set([
  // aggregate (trino.io/docs/current/functions/aggregate.html)
  'count',
  'count_if',
  'sum',
  'avg',
  'min',
  'max',
  'min_by',
  'max_by',
  'arbitrary',
  'any_value',
  'approx_distinct',
  'approx_percentile',
  'array_agg',
  'bool_and',
  'bool_or',
  'listagg',
  // window (…/window.html)
  'row_number',
  'rank',
  'dense_rank',
  'percent_rank',
  'ntile',
  'lag',
  'lead',
  'first_value',
  'last_value',
  // date and time (…/datetime.html)
  'date_trunc',
  'date_diff',
  'date_add',
  'hour',
  'minute',
  'second',
  'day',
  'day_of_week',
  'day_of_year',
  'week',
  'month',
  'year',
  'at_timezone',
  'with_timezone',
  'to_unixtime',
  'from_unixtime',
  'from_iso8601_timestamp',
  'from_iso8601_date',
  'to_iso8601',
  'current_timezone',
  // string (…/string.html)
  'chr',
  'concat',
  'concat_ws',
  'length',
  'lower',
  'upper',
  'lpad',
  'rpad',
  'ltrim',
  'rtrim',
  'trim',
  'replace',
  'split_part',
  'split', // -> array; DuckDB's split (string_split) keeps empty parts alike
  'translate',
  'strpos',
  'substr',
  'substring',
  'starts_with',
  'reverse',
  // regular expressions (…/regexp.html)
  'regexp_like',
  'regexp_extract',
  'regexp_extract_all',
  'regexp_replace',
  // math (…/math.html)
  'abs',
  'sin',
  'cos',
  'asin',
  'sqrt',
  'power',
  'radians',
  'ceil',
  'ceiling',
  'floor',
  'round',
  'greatest',
  'least',
  'mod',
  // array (…/array.html)
  'array_distinct', // DuckDB's is list_distinct, which drops nulls and keeps no order: filter them first, read it as a set
  'array_join',
  'array_sort',
  'slice',
  'filter', // (…/lambda.html); DuckDB's filter is list_filter, with the same `x -> …` lambda
  // JSON (…/json.html): over `raw`, for the fields the lake does not read
  'json_extract_scalar',
  // conditional (…/conditional.html)
  'coalesce',
  'nullif',
  'if',
  'try',
  // conversion (…/conversion.html)
  'try_cast',
]);

/**
 * Trino functions that exist in DuckDB under the same name but answer differently
 * (ecosystem-notes §5.3): a shared query must not call them.
 */
const DIFFERENT_ON_DUCKDB = [
  'regexp_replace', // DuckDB replaces the first match only
  'date_add', // DuckDB's date_add is another function
  'date_diff', // DuckDB counts unit boundaries crossed, Trino whole units elapsed
  'count_if', // DuckDB gives NULL (HUGEINT) over no rows, Trino 0
  'concat', // DuckDB skips NULL arguments, Trino returns NULL
  'trim', // DuckDB removes spaces only, Trino every whitespace character (tabs, line breaks)
];

/**
 * The queries docs/queries.md names as having a `?` outside a WHERE clause, which AWS documents as
 * the only place for one (the engines retry them with literals when Athena refuses). No other
 * query may join them unnoticed.
 */
const PARAMETERS_OUTSIDE_WHERE = [
  'address_activity',
  'admin_changes',
  'bulk_data_movement',
  'daily_activity',
  'data_health',
  'dataset_deletions',
  'most_active_users',
  'suspicious_logins',
  'trending_cards',
  'user_activity',
  'user_addresses',
  'user_unusual_activity',
];

// The answers of this run, kept for the next (see trino-verdicts.ts).
afterAll(saveTrinoVerdicts);

const files = readdirSync(QUERIES_DIR).filter((file) => file.endsWith('.sql'));

describe('the catalog is Athena engine v3 (Trino) SQL', () => {
  it('holds a file per catalog query', () => {
    expect(files.map((f) => f.slice(0, -4)).sort()).toEqual([...QUERY_NAMES]);
    expect(files.length).toBeGreaterThanOrEqual(9);
  });

  for (const file of files) {
    it(`${file} parses with the Trino grammar`, async () => {
      const sql = readFileSync(path.join(QUERIES_DIR, file), 'utf8');
      expect(await trinoErrors(sql)).toEqual([]);
    });
  }

  it('the grammar check bites: DuckDB-only syntax and a parameter after AT TIME ZONE are rejected', async () => {
    expect(await trinoErrors('SELECT x::integer FROM t')).not.toEqual([]);
    expect(await trinoErrors("SELECT x FROM t WHERE y = 'a")).not.toEqual([]);
    expect(await trinoErrors('SELECT ts AT TIME ZONE ? FROM t')).not.toEqual([]);
    expect(await trinoFunctionNames("SELECT regexp_matches(a, 'b'), foo(1) FROM t")).toEqual(
      new Set(['regexp_matches', 'foo']),
    );
  });

  for (const name of QUERY_NAMES) {
    it(`${name} calls only functions Athena v3 has, none that DuckDB answers differently`, async () => {
      const used = [...(await trinoFunctionNames(loadQuery(name).sql))];
      expect(used.filter((f) => !ATHENA_V3_FUNCTIONS.has(f))).toEqual([]);
      expect(used.filter((f) => DIFFERENT_ON_DUCKDB.includes(f))).toEqual([]);
    });
  }

  for (const name of QUERY_NAMES) {
    it(`${name} divides by no decimal literal (Trino reads 24.0 as a DECIMAL and rounds the quotient)`, () => {
      // Trino: decimal(p,1) / decimal(3,1) keeps one decimal place, rounded half up, so
      // floor(71 / 24.0) is 3 on Athena and 2 on DuckDB (a double). Cast to double instead.
      const sql = loadQuery(name).sql.replace(/--.*$/gm, '');
      expect(sql.match(/\/\s*\(?\s*-?\d+\.\d+/g) ?? []).toEqual([]);
      expect(sql.match(/\d+\.\d+\s*\)?\s*\//g) ?? []).toEqual([]);
    });
  }

  it('the DuckDB prelude only stands in for real Athena functions', () => {
    const macros = DUCKDB_PRELUDE.map((statement) => /^CREATE MACRO (\w+)\(/.exec(statement)?.[1]);
    expect(macros.every((m) => m !== undefined && ATHENA_V3_FUNCTIONS.has(m))).toBe(true);
    expect(macros.length).toBe(DUCKDB_PRELUDE.length);
  });

  it('the WHERE-clause check bites: a ? in a select list, a FILTER, a HAVING or an ON is outside', async () => {
    expect(
      await trinoParametersOutsideWhere('SELECT a FROM t WHERE b = ? AND c IN (SELECT d FROM u WHERE e = ?)'),
    ).toBe(0);
    expect(await trinoParametersOutsideWhere('SELECT CAST(? AS varchar) FROM t')).toBe(1);
    expect(await trinoParametersOutsideWhere('SELECT count(*) FILTER (WHERE a < ?) FROM t WHERE b = ?')).toBe(
      1,
    );
    expect(await trinoParametersOutsideWhere('SELECT a FROM t GROUP BY a HAVING count(*) >= ?')).toBe(1);
    expect(await trinoParametersOutsideWhere('SELECT a FROM t JOIN u ON u.b = ?')).toBe(1);
  });

  for (const name of QUERY_NAMES) {
    const listed = PARAMETERS_OUTSIDE_WHERE.includes(name);
    it(`${name} ${listed ? 'is listed in queries.md for its' : 'has no'} ? outside a WHERE clause (Athena's rule)`, async () => {
      expect(
        (await trinoParametersOutsideWhere(loadQuery(name).sql)) > 0,
        listed
          ? `${name} is in PARAMETERS_OUTSIDE_WHERE (this file) but has no ? outside a WHERE now: ` +
              'take it out there, in test/infra/named-queries.test.ts, ' +
              'test/infra/placeholders-outside-where.test.ts and docs/queries.md'
          : `${name} has a ? outside a WHERE clause (a select list's time_zone, say): move it into ` +
              'the WHERE, or list the query in PARAMETERS_OUTSIDE_WHERE (this file), ' +
              'test/infra/named-queries.test.ts, test/infra/placeholders-outside-where.test.ts and ' +
              "docs/queries.md's table of them",
      ).toBe(listed);
    });
  }

  for (const name of QUERY_NAMES.filter((n) => n !== 'latest_events')) {
    it(`${name} filters every table it reads on instance and on dt with parameters (partition pruning)`, () => {
      const { sql } = loadQuery(name);
      const scans = sql.match(/\b(FROM|JOIN) (activity_log|coverage|quarantine)\b/g) ?? [];
      const instanceFilters = sql.match(/\binstance = \? \/\* instance \*\//g) ?? [];
      const dtFilters = sql.match(/\bdt BETWEEN \? \/\* \w+_dt \*\/ AND \? \/\* \w+_dt \*\//g) ?? [];
      expect(scans.length).toBeGreaterThan(0);
      expect(instanceFilters).toHaveLength(scans.length);
      expect(dtFilters).toHaveLength(scans.length);
    });
  }
});
