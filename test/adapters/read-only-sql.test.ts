import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { AthenaClient, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DuckDbQueryEngine, openDuckDbEngine } from '../../functions/adapters/duckdb-engine.ts';
import { athenaStatementProblem, NotReadOnlySqlError } from '../../functions/adapters/read-only-sql.ts';
import { engineWith } from './support/athena-engine-fake.ts';

// `query --sql` runs anyone's SQL: a COPY ... TO wrote a file, a DROP VIEW printed Success, and on
// Athena DDL would run with the operator's rights (review R-USER 4).
const NOT_QUERIES = [
  "COPY (SELECT 42) TO '{file}'",
  'DROP VIEW activity_log',
  'CREATE TABLE t AS SELECT 1 AS a',
  "ATTACH '{file}.db'",
  'SET threads = 1',
  'SELECT 1; DROP VIEW activity_log',
  "SELECT ';' AS a; COPY (SELECT 1) TO '{file}'",
  "EXPORT DATABASE '{file}.dir'",
  "SELECT 1; EXPORT DATABASE '{file}.dir'",
];
const QUERIES = [
  'SELECT count(*) AS n FROM activity_log',
  '  -- a comment that says DROP VIEW activity_log;\n  WITH a AS (SELECT 1 AS x) SELECT x FROM a;',
  '/* COPY; */ SELECT \'DROP; COPY\' AS "a;b"',
  '(SELECT 1 AS x)',
  'VALUES (1)',
  // EXPLAIN runs nothing, EXPLAIN ANALYZE the query it explains (review R-ANALYST M2).
  'EXPLAIN SELECT count(*) AS n FROM activity_log',
  "/* why */ explain analyze WITH a AS (SELECT ';' AS x) SELECT x FROM a",
];
/** EXPLAIN ANALYZE runs what it explains: of anything but one query, refused as that would be. */
const EXPLAINS_NOT_QUERIES = [
  "EXPLAIN ANALYZE COPY (SELECT 42) TO '{file}'",
  "EXPLAIN COPY (SELECT 42) TO '{file}'",
  "EXPLAIN EXPORT DATABASE '{file}.dir'",
  'EXPLAIN ANALYZE CREATE TABLE t AS SELECT 1 AS a',
  'EXPLAIN ANALYZE SELECT 1; DROP VIEW activity_log',
  "EXPLAIN (FORMAT json) EXPORT DATABASE '{file}.dir'",
];

describe('DuckDB runs one read-only query only, by its own parser', () => {
  let dir: string;
  let engine: DuckDbQueryEngine;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'read-only-sql-'));
    engine = await openDuckDbEngine({ lakeDir: join(dir, 'lake') });
  });
  afterAll(async () => {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses anything else before it runs: no file written, the views kept', async () => {
    const file = join(dir, 'out.csv');
    for (const sql of NOT_QUERIES) {
      const error = await engine
        .runReadOnlySql(sql.replaceAll('{file}', file), 'your SQL')
        .catch((e: unknown) => e);
      expect(error, sql).toBeInstanceOf(NotReadOnlySqlError);
      expect((error as Error).message, sql).toMatch(/^your SQL (is not a query|holds 2 statements)/);
    }
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}.db`)).toBe(false);
    // Binding an EXPORT creates its directory: the parser alone must refuse it (review R-CLI F2).
    expect(existsSync(`${file}.dir`)).toBe(false);
    expect((await engine.runSql('SELECT count(*) AS n FROM activity_log', [])).rows).toEqual([{ n: 0 }]);
  });

  it('refuses an EXPLAIN of anything but one query before it runs or is bound', async () => {
    const file = join(dir, 'explained.csv');
    for (const sql of EXPLAINS_NOT_QUERIES) {
      // Options are not read: what follows them is left to the parser, which refuses it alone.
      const refusal = sql.includes('(FORMAT') ? /^Parser Error/ : NotReadOnlySqlError;
      await expect(engine.runReadOnlySql(sql.replaceAll('{file}', file), 'your SQL'), sql).rejects.toThrow(
        refusal,
      );
    }
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}.dir`)).toBe(false);
    expect((await engine.runSql('SELECT count(*) AS n FROM activity_log', [])).rows).toEqual([{ n: 0 }]);
  });

  it('refuses a write hidden behind comments DuckDB reads otherwise than a regex (review R-SQLBOX H1)', async () => {
    // DuckDB nests block comments and ends `--` at a carriage return: both once let the words after
    // EXPLAIN checked differ from the statement run, an EXPLAIN ANALYZE COPY into the lake.
    const lake = join(dir, 'lake');
    const checkpoint = join(lake, 'state', 'instance=main', 'checkpoint.json');
    await mkdir(dirname(checkpoint), { recursive: true });
    await writeFile(checkpoint, '{"kept":true}\n');
    const payloads = [
      `/* /* */ EXPLAIN SELECT 1 AS "*/ EXPLAIN ANALYZE COPY (SELECT 42 AS pwned) TO '${lake}/pwn.csv' --"`,
      `-- c\rEXPLAIN ANALYZE COPY (SELECT 7) TO '${lake}/pwn2.csv' /*\nEXPLAIN SELECT 1 --*/`,
      `/* /* */ EXPLAIN SELECT 1 AS "*/ EXPLAIN ANALYZE COPY (SELECT 1 AS kept) TO '${checkpoint}' (FORMAT json) --"`,
    ];
    for (const sql of payloads) {
      const ran = await engine.runReadOnlySql(sql, 'your SQL').then(
        () => 'ran',
        (e: unknown) => e,
      );
      expect(ran, sql).toBeInstanceOf(NotReadOnlySqlError);
    }
    expect(existsSync(join(lake, 'pwn.csv'))).toBe(false);
    expect(existsSync(join(lake, 'pwn2.csv'))).toBe(false);
    expect(await readFile(checkpoint, 'utf8')).toBe('{"kept":true}\n');
  });

  it('runs an EXPLAIN after comments DuckDB nests or ends at a carriage return', async () => {
    for (const sql of [
      '/* a /* b */ c */ EXPLAIN SELECT 1',
      '-- a\rEXPLAIN ANALYZE SELECT 1',
      'EXPLAIN/**/SELECT 1',
    ]) {
      const result = await engine.runReadOnlySql(sql, 'your SQL');
      expect(
        result.columns.map((c) => c.name),
        sql,
      ).toEqual(['explain_key', 'explain_value']);
    }
  });

  it('names the kind refused with its article, and refuses comments alone', async () => {
    const refusal = (sql: string) =>
      engine.runReadOnlySql(sql, 'your SQL').then(
        () => 'ran',
        (e: unknown) => (e instanceof NotReadOnlySqlError ? e.message : `other: ${String(e)}`),
      );
    expect(await refusal("EXPORT DATABASE '/nonexistent/x'")).toMatch(
      /^your SQL is not a query \(DuckDB reads an EXPORT statement\)/,
    );
    expect(await refusal('INSTALL httpfs')).toMatch(
      /^your SQL is not a query \(DuckDB reads an INSTALL statement\)/,
    );
    expect(await refusal('-- only a comment\n')).toMatch(
      /^your SQL holds no statement, only comments or blanks: /,
    );
    expect(await refusal('/* x */ ')).toMatch(/^your SQL holds no statement/);
  });

  it('runs queries, whatever their comments and strings hold', async () => {
    for (const sql of [...QUERIES, 'FROM activity_log']) {
      await expect(engine.runReadOnlySql(sql, 'your SQL'), sql).resolves.toBeDefined();
    }
  });
});

describe('Athena is sent one read-only query only', () => {
  const athena = mockClient(AthenaClient);
  afterEach(() => athena.reset());
  afterAll(() => athena.restore());

  it('refuses anything else before StartQueryExecution', async () => {
    const refused = [
      ...NOT_QUERIES,
      "UNLOAD (SELECT 1) TO 's3://b/p/' WITH (format = 'CSV')",
      'INSERT INTO activity_log SELECT * FROM activity_log',
      'MSCK REPAIR TABLE activity_log',
      '-- SELECT\nDROP TABLE activity_log',
      '/* SELECT */ DROP TABLE activity_log',
      '',
      ...EXPLAINS_NOT_QUERIES,
      'EXPLAIN ANALYZE INSERT INTO activity_log SELECT * FROM activity_log',
      'EXPLAIN (TYPE IO) DROP TABLE activity_log',
      "EXPLAIN /* SELECT */ UNLOAD (SELECT 1) TO 's3://b/p/' WITH (format = 'CSV')",
    ];
    for (const sql of refused) {
      await expect(
        engineWith().runReadOnlySql(sql.replaceAll('{file}', '/tmp/x'), 'your SQL'),
        sql,
      ).rejects.toThrow(NotReadOnlySqlError);
    }
    expect(athena).not.toHaveReceivedCommand(StartQueryExecutionCommand);
  });

  it("reads comments and quotes by Trino's lexer rules (review R-SQLBOX H2)", () => {
    // Trino ends `--` at a carriage return too, does not nest block comments, and reads a
    // backquoted identifier as one token (dt-sql-parser's TrinoSqlLexer says so).
    const refused = [
      '-- x\rINSERT INTO activity_log SELECT * FROM activity_log /*\nSELECT 1 */',
      '-- x\rEXPLAIN ANALYZE INSERT INTO activity_log SELECT * FROM activity_log /*\nSELECT 1 */',
      '/* /* */ DROP TABLE activity_log /* */ SELECT 1',
      'SELECT 1 AS `--`; DROP TABLE activity_log',
    ];
    for (const sql of refused) expect(athenaStatementProblem(sql, 'q'), sql).toBeDefined();
    expect(athenaStatementProblem('-- x\rSELECT 1', 'q')).toBeUndefined();
  });

  it('lets queries through, whatever their comments and strings hold', () => {
    for (const sql of QUERIES) expect(athenaStatementProblem(sql, 'your SQL'), sql).toBeUndefined();
    expect(athenaStatementProblem("SELECT 'it''s; DROP TABLE x' AS a", 'q')).toBeUndefined();
    expect(athenaStatementProblem('SELECT 1 AS "x"";" FROM t', 'q')).toBeUndefined();
    // Trino's TABLE t is SELECT * FROM t, and DESC is DESCRIBE.
    expect(athenaStatementProblem('TABLE activity_log', 'q')).toBeUndefined();
    expect(athenaStatementProblem('desc activity_log', 'q')).toBeUndefined();
    // DuckDB reads SELECT 1;; as one statement: so does the check for Athena.
    expect(athenaStatementProblem('SELECT 1;;', 'q')).toBeUndefined();
    // Athena's EXPLAIN (TYPE IO) lists the partitions a query reads, without running it.
    expect(
      athenaStatementProblem("EXPLAIN (TYPE IO, FORMAT JSON) SELECT * FROM t WHERE dt = 'x'", 'q'),
    ).toBeUndefined();
    expect(athenaStatementProblem('EXPLAIN ANALYZE VERBOSE (SELECT 1)', 'q')).toBeUndefined();
  });

  it('refuses a table function, which may pass SQL to a federated catalog (review R-SQLBOX2 L3)', () => {
    for (const sql of [
      "SELECT * FROM TABLE(system.query(query => 'DELETE FROM t'))",
      'SELECT * FROM table (pg."system"."query"(\'DELETE FROM t\'))',
      "EXPLAIN ANALYZE SELECT * FROM activity_log, TABLE(system.query(query => 'DELETE FROM t'))",
      "WITH x AS (SELECT * FROM TABLE(mongo.system.raw_query(database => 'd', collection => 'c', filter => '{}'))) SELECT * FROM x",
    ]) {
      expect(athenaStatementProblem(sql, 'your SQL'), sql).toMatch(
        /^your SQL calls a table function \(TABLE\(\.\.\.\)\), which on Athena may pass SQL/,
      );
    }
    expect(athenaStatementProblem('SELECT \'TABLE(x)\' AS "table(" FROM t -- TABLE(', 'q')).toBeUndefined();
  });

  it('says why', () => {
    expect(athenaStatementProblem('drop table activity_log', 'your SQL')).toBe(
      'your SQL is not a query (it begins with DROP): only a single read-only query runs (SELECT, WITH, VALUES, SHOW, DESCRIBE, or EXPLAIN of a query), nothing that writes files or changes the lake',
    );
    expect(athenaStatementProblem('SELECT 1; SELECT 2', 'your SQL')).toBe(
      'your SQL holds more than one statement: only a single read-only query runs (SELECT, WITH, VALUES, SHOW, DESCRIBE, or EXPLAIN of a query), nothing that writes files or changes the lake',
    );
  });
});
