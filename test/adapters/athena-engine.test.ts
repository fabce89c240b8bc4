import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AthenaClient,
  type ColumnInfo,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type QueryExecutionState,
  type Row,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AthenaQueryError,
  athenaLiteral,
  columnType,
  normaliseTimestamp,
  toQueryValue,
} from '../../functions/adapters/athena-engine.ts';
import { openDuckDbEngine } from '../../functions/adapters/duckdb-engine.ts';
import type { QueryResult, QueryValue } from '../../functions/core/ports.ts';
import { inlineParameters } from '../../functions/core/queries/query-definition.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { bindParams, loadQuery, QUERY_NAMES } from '../../functions/queries/catalog.ts';
import { event, login, writeFixtureLake } from '../queries/support/lake-fixture.ts';
import { engineWith, fakeTime } from './support/athena-engine-fake.ts';

const athena = mockClient(AthenaClient);
beforeEach(() => athena.reset());
afterEach(() => athena.reset());
// The class's prototype is patched for every file that runs after this one in the worker.
afterAll(() => athena.restore());

const states = (...sequence: QueryExecutionState[]) => {
  let mock = athena.on(GetQueryExecutionCommand, { QueryExecutionId: 'q-1' });
  for (const state of sequence.slice(0, -1)) {
    mock = mock.resolvesOnce({ QueryExecution: { QueryExecutionId: 'q-1', Status: { State: state } } });
  }
  mock.resolves({
    QueryExecution: {
      QueryExecutionId: 'q-1',
      Status: { State: sequence[sequence.length - 1] },
      Statistics: { DataScannedInBytes: 12_345 },
    },
  });
};

const text = (...values: (string | undefined)[]): Row => ({
  Data: values.map((v) => (v === undefined ? {} : { VarCharValue: v })),
});

const COLUMNS: ColumnInfo[] = [
  { Name: 'user_id', Type: 'varchar' },
  { Name: 'events', Type: 'bigint' },
  { Name: 'share', Type: 'double' },
  { Name: 'last_seen', Type: 'timestamp' },
  { Name: 'day', Type: 'date' },
  { Name: 'flag', Type: 'boolean' },
];
const HEADER = text('user_id', 'events', 'share', 'last_seen', 'day', 'flag');

describe('AthenaQueryEngine', () => {
  it('starts the query in the workgroup and database with quoted parameters, polls with backoff, reads every page', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    states('QUEUED', 'RUNNING', 'RUNNING', 'RUNNING', 'SUCCEEDED');
    athena
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-1', NextToken: undefined })
      .resolves({
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: COLUMNS },
          Rows: [HEADER, text('1', '42', '12.5', '2026-11-20 09:15:00.123', '2026-11-20', 'true')],
        },
        NextToken: 'page-2',
      })
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-1', NextToken: 'page-2' })
      .resolves({
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: COLUMNS },
          Rows: [
            // Only the first page starts with the header: a data row equal to it must survive.
            text('user_id', '7', '-1.0E-5', '2026-11-21 00:00:00.000', '2026-11-21', 'false'),
            text('2', undefined, undefined, undefined, undefined, undefined),
          ],
        },
        NextToken: 'page-3',
      })
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-1', NextToken: 'page-3' })
      .resolves({
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: COLUMNS },
          Rows: [text('', '0', 'NaN', '2026-11-22 23:59:59', '2026-11-22', 'false')],
        },
      });

    const time = fakeTime();
    const values = standardParams({
      instance: 'acme',
      fromMs: Date.parse('2026-11-16T00:00:00Z'),
      toMs: Date.parse('2026-11-23T00:00:00Z'),
    });
    const result = await engineWith(time).run('most_active_users', values);

    expect(athena).toHaveReceivedCommandWith(StartQueryExecutionCommand, {
      QueryString: loadQuery('most_active_users').sql,
      WorkGroup: 'domo-activity',
      QueryExecutionContext: { Database: 'domo_activity_lake' },
      ExecutionParameters: [
        "'acme'",
        "'2026-11-16'",
        "'2026-11-22'",
        "'2026-11-16 00:00:00.000'",
        "'2026-11-23 00:00:00.000'",
        "'UTC'",
        "'10'",
      ],
    });
    expect(time.sleeps).toEqual([200, 400, 800, 1600]);
    expect(athena).toHaveReceivedCommandTimes(GetQueryResultsCommand, 3);
    expect(athena).toHaveReceivedCommandWith(GetQueryResultsCommand, { MaxResults: 1000 });
    expect(result.rows).toEqual([
      {
        user_id: '1',
        events: 42,
        share: 12.5,
        last_seen: '2026-11-20 09:15:00.123',
        day: '2026-11-20',
        flag: true,
      },
      {
        user_id: 'user_id',
        events: 7,
        share: -0.00001,
        last_seen: '2026-11-21 00:00:00.000',
        day: '2026-11-21',
        flag: false,
      },
      { user_id: '2', events: null, share: null, last_seen: null, day: null, flag: null },
      {
        user_id: '',
        events: 0,
        share: Number.NaN,
        last_seen: '2026-11-22 23:59:59.000',
        day: '2026-11-22',
        flag: false,
      },
    ]);
    expect(result.columns).toEqual([
      { name: 'user_id', type: 'varchar' },
      { name: 'events', type: 'bigint' },
      { name: 'share', type: 'double' },
      { name: 'last_seen', type: 'timestamp' },
      { name: 'day', type: 'date' },
      { name: 'flag', type: 'boolean' },
    ]);
    expect(result.bytesScanned).toBe(12_345);
    expect(result.elapsedMs).toBe(3000);
  });

  it('caps the poll interval', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    states('RUNNING', 'RUNNING', 'RUNNING', 'RUNNING', 'RUNNING', 'SUCCEEDED');
    athena
      .on(GetQueryResultsCommand)
      .resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: [] }, Rows: [] } });
    const time = fakeTime();
    await engineWith(time, { firstPollMs: 1000, maxPollMs: 3000 }).runSql('SELECT 1', []);
    expect(time.sleeps).toEqual([1000, 2000, 3000, 3000, 3000]);
  });

  it("surfaces a failed query with Athena's reason, and reads no results", async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        QueryExecutionId: 'q-1',
        Status: {
          State: 'FAILED',
          StateChangeReason:
            'TABLE_NOT_FOUND: line 3:8: Table awsdatacatalog.domo_activity_lake.coverage does not exist',
        },
      },
    });
    const error = await engineWith()
      .runSql('SELECT * FROM coverage', [])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AthenaQueryError);
    expect(error).toMatchObject({ state: 'FAILED', queryExecutionId: 'q-1' });
    expect((error as Error).message).toMatch(
      /^Athena query FAILED \(query execution q-1, workgroup domo-activity, database domo_activity_lake\): TABLE_NOT_FOUND: .*coverage does not exist$/,
    );
    expect(athena).not.toHaveReceivedCommand(GetQueryResultsCommand);
  });

  it('runs a query Athena refuses as a user error once more with its values written in as literals', async () => {
    athena
      .on(StartQueryExecutionCommand)
      .resolvesOnce({ QueryExecutionId: 'q-refused' })
      .resolves({ QueryExecutionId: 'q-1' });
    athena.on(GetQueryExecutionCommand, { QueryExecutionId: 'q-refused' }).resolves({
      QueryExecution: {
        Status: {
          State: 'FAILED',
          AthenaError: {
            ErrorCategory: 2,
            ErrorMessage: 'SYNTAX_ERROR: a parameter is only allowed in WHERE',
          },
        },
      },
    });
    states('SUCCEEDED');
    athena.on(GetQueryResultsCommand).resolves({
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: [{ Name: 'zone', Type: 'varchar' }] },
        Rows: [text('zone'), text("O'Higgins")],
      },
    });
    const result = await engineWith().runSql(
      "SELECT ? /* time_zone */ AS zone FROM t WHERE x = ? AND y = '?'",
      ["O'Higgins", '1'],
    );
    expect(result.rows).toEqual([{ zone: "O'Higgins" }]);
    const second = athena.commandCalls(StartQueryExecutionCommand)[1]?.args[0].input;
    expect(second?.QueryString).toBe("SELECT 'O''Higgins' AS zone FROM t WHERE x = '1' AND y = '?'");
    expect(second?.ExecutionParameters).toBeUndefined();
  });

  it('does not retry system errors, and reports both reasons when the retry fails too', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        Status: { State: 'FAILED', AthenaError: { ErrorCategory: 1, ErrorMessage: 'internal error' } },
      },
    });
    await expect(engineWith().runSql('SELECT 1 WHERE ? = 1', ['1'])).rejects.toThrow(/internal error$/);
    expect(athena).toHaveReceivedCommandTimes(StartQueryExecutionCommand, 1);

    athena.reset();
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        Status: {
          State: 'FAILED',
          AthenaError: { ErrorCategory: 2, ErrorMessage: 'COLUMN_NOT_FOUND: nope' },
        },
      },
    });
    await expect(engineWith().runSql('SELECT nope WHERE ? = 1', ['1'])).rejects.toThrow(
      /\(parameters inlined\) FAILED .*COLUMN_NOT_FOUND: nope; with execution parameters it had failed too: .*COLUMN_NOT_FOUND: nope$/,
    );
    expect(athena).toHaveReceivedCommandTimes(StartQueryExecutionCommand, 2);
  });

  it("prefers AthenaError's message and reports a cancelled query", async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        Status: {
          State: 'CANCELLED',
          StateChangeReason: 'cancelled',
          AthenaError: { ErrorMessage: 'Query exhausted the workgroup data scan limit' },
        },
      },
    });
    await expect(engineWith().runSql('SELECT 1', [])).rejects.toThrow(
      /CANCELLED .*: Query exhausted the workgroup data scan limit$/,
    );
  });

  it('gives up at the deadline, stops the query, and says how to fix it', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'RUNNING' } } });
    athena.on(StopQueryExecutionCommand).resolves({});
    const time = fakeTime();
    const error = await engineWith(time, { timeoutMs: 10_000 })
      .runSql('SELECT 1', [])
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ state: 'TIMEOUT', queryExecutionId: 'q-1', leftRunningQueryId: undefined });
    expect((error as Error).message).toMatch(
      /did not finish within 10 s .*last state RUNNING.*stopped\. Narrow the period it covers, or run it again when Athena is less busy \(no option raises this limit\)$/,
    );
    expect(athena).toHaveReceivedCommandWith(StopQueryExecutionCommand, { QueryExecutionId: 'q-1' });
    // The waits never run past the deadline.
    expect(time.sleeps.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(athena).not.toHaveReceivedCommand(GetQueryResultsCommand);
  });

  it('still reports the timeout when stopping the query fails, saying it was not stopped and why', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'QUEUED' } } });
    athena.on(StopQueryExecutionCommand).rejects(new Error('AccessDenied'));
    const error = await engineWith(fakeTime(), { timeoutMs: 1000 })
      .runSql('SELECT 1', [])
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'Athena query did not finish within 1 s (query execution q-1, last state QUEUED); it could not be stopped: AccessDenied; stop it in the Athena console. Narrow the period it covers, or run it again when Athena is less busy (no option raises this limit)',
    );
    expect(error).toMatchObject({ leftRunningQueryId: 'q-1' });
  });

  it('passes a value with quotes as one string literal: no injection', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    states('SUCCEEDED');
    athena.on(GetQueryResultsCommand).resolves({
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: [{ Name: 'n', Type: 'bigint' }] },
        Rows: [text('n'), text('0')],
      },
    });
    const hostile = "O'Brien'; DROP TABLE activity_log; --";
    const result = await engineWith().runSql('SELECT count(*) AS n FROM activity_log WHERE user_name = ?', [
      hostile,
    ]);
    expect(athena).toHaveReceivedCommandWith(StartQueryExecutionCommand, {
      ExecutionParameters: ["'O''Brien''; DROP TABLE activity_log; --'"],
    });
    expect(result.rows).toEqual([{ n: 0 }]);
  });

  it('spells a time zone Athena knows only under its old name as Athena does', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    states('SUCCEEDED');
    athena.on(GetQueryResultsCommand).resolves({ ResultSet: { Rows: [] } });
    const values = standardParams({
      instance: 'acme',
      fromMs: Date.parse('2026-11-16T00:00:00Z'),
      toMs: Date.parse('2026-11-23T00:00:00Z'),
      timeZone: 'Europe/Kyiv',
    });
    await engineWith(fakeTime()).run('daily_activity', values);
    const sent = athena.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input.ExecutionParameters;
    expect(sent).toContain("'Europe/Kiev'");
    expect(sent?.join()).not.toContain('Kyiv');
  });

  it('sends no ExecutionParameters for a query without placeholders, and the catalog when given', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    states('SUCCEEDED');
    athena.on(GetQueryResultsCommand).resolves({ ResultSet: { Rows: [] } });
    await engineWith(fakeTime(), { catalog: 'AwsDataCatalog' }).runSql('SELECT 1', []);
    const input = athena.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input;
    expect(input?.ExecutionParameters).toBeUndefined();
    expect(input?.QueryExecutionContext).toEqual({
      Database: 'domo_activity_lake',
      Catalog: 'AwsDataCatalog',
    });
  });

  it('fails clearly when Athena returns no query execution id', async () => {
    athena.on(StartQueryExecutionCommand).resolves({});
    await expect(engineWith().runSql('SELECT 1', [])).rejects.toThrow(
      /did not start query: no query execution id/,
    );
  });
});

describe('Athena values', () => {
  it('quotes literals by doubling quotes', () => {
    expect(athenaLiteral('plain')).toBe("'plain'");
    expect(athenaLiteral("it's")).toBe("'it''s'");
    expect(athenaLiteral("''")).toBe("''''''");
    expect(athenaLiteral('')).toBe("''");
  });

  it('maps Athena type names onto the engine-neutral ones', () => {
    expect(['tinyint', 'smallint', 'integer', 'bigint'].map(columnType)).toEqual(Array(4).fill('bigint'));
    expect(['double', 'real', 'decimal(10,2)'].map(columnType)).toEqual(Array(3).fill('double'));
    expect(['varchar', 'char(3)', 'varchar(12)'].map(columnType)).toEqual(Array(3).fill('varchar'));
    expect(['timestamp', 'timestamp(3)', 'timestamp(3) with time zone'].map(columnType)).toEqual(
      Array(3).fill('timestamp'),
    );
    expect(columnType('date')).toBe('date');
    expect(columnType('array(varchar)')).toBe('array');
  });

  it('normalises timestamps to UTC with three fraction digits, whatever zone Athena prints', () => {
    expect(normaliseTimestamp('2026-11-20 09:15:00')).toBe('2026-11-20 09:15:00.000');
    expect(normaliseTimestamp('2026-11-20 09:15:00.1')).toBe('2026-11-20 09:15:00.100');
    expect(normaliseTimestamp('2026-11-20 09:15:00.123456789')).toBe('2026-11-20 09:15:00.123');
    expect(normaliseTimestamp('2026-11-20 09:15:00.000 UTC')).toBe('2026-11-20 09:15:00.000');
    expect(normaliseTimestamp('2026-11-20 10:15:00.000 +01:00')).toBe('2026-11-20 09:15:00.000');
    expect(normaliseTimestamp('2026-11-20 02:15:00.000 America/Denver')).toBe('2026-11-20 09:15:00.000');
    // Summer time in Denver is UTC-6, and the day before the clocks change still is.
    expect(normaliseTimestamp('2026-10-31 03:15:00.000 America/Denver')).toBe('2026-10-31 09:15:00.000');
    expect(() => normaliseTimestamp('yesterday')).toThrow(/expected YYYY-MM-DD HH:MM:SS/);
  });

  it('types cells from the column type; a missing cell is NULL', () => {
    expect(toQueryValue('12', 'integer')).toBe(12);
    expect(toQueryValue('1.0E10', 'double')).toBe(1e10);
    expect(toQueryValue('2.50', 'decimal(4,2)')).toBe(2.5);
    expect(toQueryValue('false', 'boolean')).toBe(false);
    expect(toQueryValue('x', 'varchar')).toBe('x');
    expect(toQueryValue(undefined, 'varchar')).toBeNull();
  });
});

/** How Athena prints a value of a normalised type in GetQueryResults (Java's double format included). */
function athenaText(value: QueryValue, type: string): string | undefined {
  if (value === null) return undefined;
  if (type === 'double' && Number.isInteger(value)) return `${value}.0`;
  return String(value);
}

const ATHENA_TYPE: Record<string, string> = {
  bigint: 'bigint',
  double: 'double',
  varchar: 'varchar',
  timestamp: 'timestamp(3)',
  date: 'date',
  boolean: 'boolean',
};

/** Mocks Athena answering with `result`'s rows, two per page, as Athena encodes them. */
function mockAthenaAnswer(result: QueryResult) {
  const info: ColumnInfo[] = result.columns.map((c) => ({
    Name: c.name,
    Type: ATHENA_TYPE[c.type] ?? c.type,
  }));
  const rows = result.rows.map((row) =>
    text(...result.columns.map((c) => athenaText(row[c.name] ?? null, c.type))),
  );
  const pages = [[text(...result.columns.map((c) => c.name)), ...rows.slice(0, 2)]];
  for (let i = 2; i < rows.length; i += 2) pages.push(rows.slice(i, i + 2));
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
  states('SUCCEEDED');
  pages.forEach((page, index) => {
    athena.on(GetQueryResultsCommand, { NextToken: index === 0 ? undefined : `p${index}` }).resolves({
      ResultSet: { ResultSetMetadata: { ColumnInfo: info }, Rows: page },
      ...(index + 1 < pages.length ? { NextToken: `p${index + 1}` } : {}),
    });
  });
}

describe('both engines return the same rows for the same answer', () => {
  it('DuckDB rows, encoded the way Athena sends them, come back identical through the Athena engine', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'athena-vs-duckdb-'));
    try {
      await writeFixtureLake(dir, {
        events: [
          event('2026-09-30 10:00:00.000', { object_id: '7', object_name: 'Churn' }),
          event('2026-10-05 10:00:00.000', { object_id: '7', object_name: 'Churn' }),
          event('2026-10-05 11:00:00.000', { object_id: '7', object_name: 'Churn' }),
          event('2026-10-05 11:30:00.000', { object_id: '7', object_name: 'Churn' }),
          event('2026-10-06 12:00:00.000', { object_id: '8', object_name: 'Revenue, "net"' }),
          event('2026-10-02 12:00:00.000', { object_id: '9', object_name: 'Margin' }),
          event('2026-10-02 13:00:00.000', { object_id: '9', object_name: 'Margin' }),
          event('2026-10-07 12:00:00.000', { object_id: '9', object_name: 'Margin' }),
          login('2026-10-06 08:00:00.250', 'login_failed', { user_id: '2', user_name: 'Bo' }),
          login('2026-10-06 08:01:00.000', 'lockout', { user_id: '2', user_name: 'Bo' }),
          login('2026-10-07 08:00:00.000', 'login_failed', { ip_address: null }),
        ],
      });
      const duck = await openDuckDbEngine({ lakeDir: dir });
      const values = standardParams({
        instance: 'default',
        fromMs: Date.parse('2026-10-05T00:00:00Z'),
        toMs: Date.parse('2026-10-12T00:00:00Z'),
        timeZone: 'America/Denver',
      });
      // user_activity is of one user: Bo, who has events in the week; address_activity of one address.
      values.user_id = '2';
      values.address = '1.2.3.4';
      try {
        for (const name of [
          'trending_cards',
          'failed_logins_and_lockouts',
          'daily_activity',
          'data_health',
        ]) {
          const local = await duck.run(name, values);
          expect(local.rows.length).toBeGreaterThan(0);
          athena.reset();
          mockAthenaAnswer(local);
          const remote = await engineWith().run(name, values);
          expect(remote.rows).toEqual(local.rows);
          expect(remote.columns).toEqual(local.columns);
        }
        // The literal-inlined fallback asks every query the same question.
        for (const name of QUERY_NAMES) {
          const bound = await duck.run(name, values);
          const inlined = await duck.runSql(
            inlineParameters(loadQuery(name).sql, bindParams(name, values)),
            [],
          );
          expect(inlined.rows, name).toEqual(bound.rows);
        }
      } finally {
        await duck.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
