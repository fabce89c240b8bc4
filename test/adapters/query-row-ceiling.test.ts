/**
 * A query that returns more rows than the weekly report reads fails, naming the query, as soon as
 * the engine has read past the ceiling: the report function (512 MB) ran out of memory holding
 * 300,000 rows of one query, with no word of which (review R-REPORT H1). Both engines, and the
 * report's own engines are given the ceiling.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type Row,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDuckDbEngine } from '../../functions/adapters/duckdb-engine.ts';
import { HeldBytesCeilingError } from '../../functions/adapters/row-ceiling.ts';
import { REPORT_QUERY_ROWS } from '../../functions/core/report/report-query-engine.ts';
import { engineWith } from './support/athena-engine-fake.ts';

const athena = mockClient(AthenaClient);
beforeEach(() => athena.reset());
afterEach(() => athena.reset());
afterAll(() => athena.restore());

const row = (value: string): Row => ({ Data: [{ VarCharValue: value }] });

/** Three pages of 4 rows (the first after its header) and a fourth that must not be asked for. */
function pagedAnswer() {
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
  athena
    .on(GetQueryExecutionCommand)
    .resolves({ QueryExecution: { QueryExecutionId: 'q-1', Status: { State: 'SUCCEEDED' } } });
  const pages = [0, 1, 2, 3].map((p) => Array.from({ length: 4 }, (_, i) => row(String(p * 4 + i))));
  pages.forEach((rows, index) => {
    athena.on(GetQueryResultsCommand, { NextToken: index === 0 ? undefined : `p${index}` }).resolves({
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: [{ Name: 'n', Type: 'varchar' }] },
        Rows: index === 0 ? [row('n'), ...rows] : rows,
      },
      NextToken: `p${index + 1}`,
    });
  });
}

describe('a row ceiling on what an engine reads of one query', () => {
  it('Athena: fails naming the query once a page passes it, and reads no further page', async () => {
    pagedAnswer();
    const engine = engineWith(undefined, { maxRows: 6 });
    await expect(engine.runSql('SELECT n FROM t', [], 'query failed_logins_and_lockouts')).rejects.toThrow(
      'query failed_logins_and_lockouts returned more than 6 rows, the most this run reads from one query: the query must rank and limit its rows',
    );
    expect(athena.commandCalls(GetQueryResultsCommand)).toHaveLength(2);
  });

  it('Athena: a result within it, and any result without one, is read whole', async () => {
    pagedAnswer();
    athena.on(GetQueryResultsCommand, { NextToken: 'p3' }).resolves({
      ResultSet: { ResultSetMetadata: { ColumnInfo: [{ Name: 'n', Type: 'varchar' }] }, Rows: [row('12')] },
    });
    expect((await engineWith(undefined, { maxRows: 13 }).runSql('SELECT n FROM t', [])).rows).toHaveLength(
      13,
    );
    expect((await engineWith().runSql('SELECT n FROM t', [])).rows).toHaveLength(13);
  });

  it('DuckDB: fails naming the query past it; without one, reads every row', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'row-ceiling-'));
    const capped = await openDuckDbEngine({ lakeDir: dir, maxRows: 10 });
    const open = await openDuckDbEngine({ lakeDir: dir });
    try {
      const sql = 'SELECT * FROM range(11)';
      await expect(capped.runSql(sql, [], 'query suspicious_logins')).rejects.toThrow(
        'query suspicious_logins returned more than 10 rows',
      );
      expect((await capped.runSql('SELECT * FROM range(10)', [])).rows).toHaveLength(10);
      expect((await open.runSql(sql, [])).rows).toHaveLength(11);
    } finally {
      await capped.close();
      await open.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('Athena: a ceiling in bytes stops at the first row past it, and reads no further page', async () => {
    pagedAnswer();
    // Each row holds a text of one character (0 to 9): the sixth, on the second page, passes 5.
    const engine = engineWith(undefined, { maxBytes: 5 });
    const refusal = engine.runSql('SELECT n FROM t', [], 'your SQL');
    await expect(refusal).rejects.toBeInstanceOf(HeldBytesCeilingError);
    await expect(refusal).rejects.toMatchObject({ label: 'your SQL', maxBytes: 5, rowsRead: 6 });
    expect(athena.commandCalls(GetQueryResultsCommand)).toHaveLength(2);
  });

  it('Athena: with a ceiling in bytes, pages after the first ask for the rows that fit in it', async () => {
    // 100 rows of 100 characters, served as many a page as asked. The SDK parses a page whole
    // before a row is counted: pages of 1,000 rows of an event's entry could fill the heap.
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena
      .on(GetQueryExecutionCommand)
      .resolves({ QueryExecution: { QueryExecutionId: 'q-1', Status: { State: 'SUCCEEDED' } } });
    const wide = Array.from({ length: 100 }, (_, i) => row(String(i % 10).repeat(100)));
    athena.on(GetQueryResultsCommand).callsFake((input: { NextToken?: string; MaxResults?: number }) => {
      const from = Number(input.NextToken ?? 0);
      const to = from + (input.MaxResults ?? 1000);
      return {
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: [{ Name: 'raw', Type: 'varchar' }] },
          Rows: [...(from === 0 ? [row('raw')] : []), ...wide.slice(from, to)],
        },
        ...(to < wide.length ? { NextToken: String(to) } : {}),
      };
    });
    const asked = () =>
      athena.commandCalls(GetQueryResultsCommand).map((call) => call.args[0].input.MaxResults);
    // 2,000 bytes: 1,000 after the first page of 10; then pages of an eighth (250 bytes, 2 rows)
    // while they fit, then one row, the 21st, past the ceiling.
    const refusal = engineWith(undefined, { pageSize: 10, maxBytes: 2_000 }).runSql('SELECT raw FROM t', []);
    await expect(refusal).rejects.toMatchObject({ name: 'HeldBytesCeilingError', rowsRead: 21 });
    expect(asked()).toEqual([10, 2, 2, 2, 2, 2, 1]);
    athena.resetHistory();
    // No ceiling in bytes: every page as large as asked.
    expect((await engineWith(undefined, { pageSize: 10 }).runSql('SELECT raw FROM t', [])).rows).toHaveLength(
      100,
    );
    expect(new Set(asked())).toEqual(new Set([10]));
  });

  it('DuckDB: a ceiling in bytes stops wide rows below the row ceiling; narrow ones count their least', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'row-ceiling-'));
    const capped = await openDuckDbEngine({
      lakeDir: dir,
      maxRows: 1_000,
      maxBytes: 10_000,
      leastRowBytes: 100,
    });
    try {
      // 4 rows of 3,000 characters: the fourth passes 10,000 bytes, far below 1,000 rows.
      await expect(
        capped.runSql("SELECT repeat('x', 3000) AS raw FROM range(4)", [], 'your SQL'),
      ).rejects.toMatchObject({
        name: 'HeldBytesCeilingError',
        label: 'your SQL',
        maxBytes: 10_000,
        rowsRead: 4,
      });
      expect((await capped.runSql("SELECT repeat('x', 3000) AS raw FROM range(3)", [])).rows).toHaveLength(3);
      // A text V8 holds in two bytes a character counts twice: 2 rows of 3,000 euro signs pass it.
      await expect(capped.runSql("SELECT repeat('€', 3000) AS raw FROM range(2)", [])).rejects.toBeInstanceOf(
        HeldBytesCeilingError,
      );
      // A nested value (a LIST, a STRUCT, a MAP) or a BLOB counts as the text it is given as,
      // not as one value of 8 bytes: one row of a list of 100,000 short strings passes 10,000.
      for (const wide of [
        "SELECT list_transform(range(100000), x -> 'abc') AS l",
        "SELECT {'a': repeat('x', 20000)} AS s",
        "SELECT map([repeat('k', 20000)], [1]) AS m",
        "SELECT CAST(repeat('x', 20000) AS BLOB) AS b",
      ]) {
        await expect(capped.runSql(wide, []), wide).rejects.toBeInstanceOf(HeldBytesCeilingError);
      }
      // Rows of a number: 100 bytes each at least, so the 101st passes 10,000.
      expect((await capped.runSql('SELECT * FROM range(100)', [])).rows).toHaveLength(100);
      await expect(capped.runSql('SELECT * FROM range(101)', [])).rejects.toBeInstanceOf(
        HeldBytesCeilingError,
      );
    } finally {
      await capped.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the report function and the report command read with the report ceiling', () => {
    const source = (file: string) =>
      readFileSync(new URL(`../../functions/${file}`, import.meta.url), 'utf8');
    expect(source('report/handler.ts')).toContain('maxRows: REPORT_QUERY_ROWS');
    expect(source('cli/commands/report.ts').match(/maxRows: REPORT_QUERY_ROWS/g)).toHaveLength(2);
    expect(REPORT_QUERY_ROWS).toBe(150_000);
  });
});
