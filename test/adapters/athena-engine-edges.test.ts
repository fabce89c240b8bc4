import {
  AthenaClient,
  type ColumnInfo,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type Row,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AthenaQueryError } from '../../functions/adapters/athena-engine.ts';
import { engineWith, fakeTime } from './support/athena-engine-fake.ts';

// What the main Athena test leaves to its defaults or to well-formed answers: the default polling
// and deadline, answers with parts missing, and the error a failed rerun carries.
const athena = mockClient(AthenaClient);
beforeEach(() => athena.reset());
afterAll(() => athena.restore());

const text = (...values: (string | undefined)[]): Row => ({
  Data: values.map((v) => (v === undefined ? {} : { VarCharValue: v })),
});

const failure = async (run: Promise<unknown>): Promise<AthenaQueryError> =>
  run.then(
    () => {
      throw new Error('expected the query to fail');
    },
    (error: unknown) => error as AthenaQueryError,
  );

function succeeds(execution: { Statistics?: { DataScannedInBytes: number } } = {}) {
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
  athena
    .on(GetQueryExecutionCommand)
    .resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' }, ...execution } });
}

describe('Athena engine polling and deadline defaults', () => {
  it('polls from 200 ms, doubling up to 5 s, and stops the query after 5 minutes', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'RUNNING' } } });
    athena.on(StopQueryExecutionCommand).resolves({});
    const time = fakeTime();
    const error = await failure(engineWith(time).runSql('SELECT 1', []));
    expect(error.message).toMatch(/did not finish within 300 s/);
    expect(time.sleeps.slice(0, 7)).toEqual([200, 400, 800, 1600, 3200, 5000, 5000]);
    expect(Math.max(...time.sleeps)).toBe(5000);
    expect(time.sleeps.reduce((a, b) => a + b, 0)).toBe(300_000);
  });

  it('keeps its deadline by a clock that never steps back: a wall clock set back an hour', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'RUNNING' } } });
    athena.on(StopQueryExecutionCommand).resolves({});
    const wall = Date.now.bind(Date);
    let calls = 0;
    // NTP sets the clock back an hour once the query is running: on the wall clock, the engine then
    // polled a running query for an hour more than its deadline.
    const setBack = vi.spyOn(Date, 'now').mockImplementation(() => wall() - (calls++ > 0 ? 3_600_000 : 0));
    try {
      const engine = engineWith(fakeTime(), {
        now: undefined,
        sleep: undefined,
        timeoutMs: 300,
        firstPollMs: 5,
        maxPollMs: 20,
      });
      const gaveUp = failure(engine.runSql('SELECT 1', []));
      // A stall is an hour: 30 s tells it from the 300 ms limit with room for a loaded machine.
      const stalled = new Promise<'stalled'>((resolve) => setTimeout(resolve, 30_000, 'stalled').unref());
      const first = await Promise.race([gaveUp, stalled]);
      expect(first).not.toBe('stalled');
      expect((first as AthenaQueryError).message).toMatch(
        /did not finish within 0 s|did not finish within 1 s/,
      );
    } finally {
      setBack.mockRestore();
    }
  });

  it('says the timeout in whole seconds, rounded, and an answer without a state as UNKNOWN', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: {} });
    athena.on(StopQueryExecutionCommand).resolves({});
    const error = await failure(engineWith(fakeTime(), { timeoutMs: 1_600 }).runSql('SELECT 1', []));
    expect(error).toMatchObject({ state: 'TIMEOUT', queryExecutionId: 'q-1' });
    expect(error.message).toMatch(/did not finish within 2 s \(query execution q-1, last state UNKNOWN\)/);
  });
});

describe('Athena engine errors', () => {
  it('says when Athena gives no reason for a failure', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'FAILED' } } });
    const error = await failure(engineWith().runSql('SELECT 1', []));
    expect(error.message).toMatch(/^Athena query FAILED \(query execution q-1, .*\): no reason given$/);
    expect(error.category).toBeUndefined();
  });

  it('marks a query that never started as state NONE, without an execution id', async () => {
    athena.on(StartQueryExecutionCommand).resolves({});
    const error = await failure(engineWith().runSql('SELECT 1', [], 'query x'));
    expect(error).toMatchObject({ name: 'AthenaQueryError', state: 'NONE', queryExecutionId: undefined });
  });

  it("reports a failed rerun with the rerun's execution id, state and category", async () => {
    athena
      .on(StartQueryExecutionCommand)
      .resolvesOnce({ QueryExecutionId: 'q-refused' })
      .resolves({ QueryExecutionId: 'q-rerun' });
    athena.on(GetQueryExecutionCommand, { QueryExecutionId: 'q-refused' }).resolves({
      QueryExecution: {
        Status: { State: 'FAILED', AthenaError: { ErrorCategory: 2, ErrorMessage: 'parameter not allowed' } },
      },
    });
    athena.on(GetQueryExecutionCommand, { QueryExecutionId: 'q-rerun' }).resolves({
      QueryExecution: {
        Status: { State: 'FAILED', AthenaError: { ErrorCategory: 1, ErrorMessage: 'internal error' } },
      },
    });
    const error = await failure(engineWith().runSql('SELECT ? AS zone', ['UTC']));
    expect(error).toMatchObject({ state: 'FAILED', queryExecutionId: 'q-rerun', category: 1 });
    expect(error.message).toMatch(
      /internal error; with execution parameters it had failed too: .*parameter not allowed$/,
    );
  });

  it('reports a rerun Athena would not start as FAILED, with no execution id or category', async () => {
    athena
      .on(StartQueryExecutionCommand)
      .resolvesOnce({ QueryExecutionId: 'q-refused' })
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        Status: { State: 'FAILED', AthenaError: { ErrorCategory: 2, ErrorMessage: 'parameter not allowed' } },
      },
    });
    const error = await failure(engineWith().runSql('SELECT ? AS zone', ['UTC']));
    expect(error).toMatchObject({ name: 'AthenaQueryError', state: 'FAILED' });
    expect(error.queryExecutionId).toBeUndefined();
    expect(error.category).toBeUndefined();
    expect(error.message).toMatch(
      /^Athena StartQueryExecution of query \(parameters inlined\) \(workgroup domo-activity\) failed: ThrottlingException: Rate exceeded; with execution parameters it had failed too: .*parameter not allowed$/,
    );
  });
});

describe('Athena engine results', () => {
  it('asks for pages of the given size', async () => {
    succeeds();
    athena.on(GetQueryResultsCommand).resolves({ ResultSet: { Rows: [] } });
    await engineWith(fakeTime(), { pageSize: 2 }).runSql('SELECT 1', []);
    expect(athena).toHaveReceivedCommandWith(GetQueryResultsCommand, { MaxResults: 2 });
  });

  it('names an unnamed column by its position and reads an untyped one as text', async () => {
    succeeds();
    // The SDK's type says both are always there; an answer without them must still read sensibly.
    const bare = {} as ColumnInfo;
    athena.on(GetQueryResultsCommand).resolves({
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: [{ Name: 'n', Type: 'bigint' }, bare] },
        Rows: [text('n', '_col1'), text('1', '007')],
      },
    });
    const result = await engineWith().runSql('SELECT 1 AS n, 2', []);
    expect(result.rows).toEqual([{ n: 1, _col1: '007' }]);
    expect(result.columns).toEqual([
      { name: 'n', type: 'bigint' },
      { name: '_col1', type: 'varchar' },
    ]);
  });

  it('types later pages by the columns of the first, even when they come without them', async () => {
    succeeds();
    athena
      .on(GetQueryResultsCommand, { NextToken: undefined })
      .resolves({
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: [{ Name: 'n', Type: 'bigint' }] },
          Rows: [text('n'), text('1')],
        },
        NextToken: 'p2',
      })
      .on(GetQueryResultsCommand, { NextToken: 'p2' })
      .resolves({ ResultSet: { Rows: [text('2')] } });
    const result = await engineWith().runSql('SELECT n FROM t', []);
    expect(result.rows).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('leaves out the bytes scanned when Athena does not say them', async () => {
    succeeds();
    athena.on(GetQueryResultsCommand).resolves({ ResultSet: { Rows: [] } });
    const result = await engineWith().runSql('SELECT 1', []);
    expect(Object.keys(result)).not.toContain('bytesScanned');
    athena.reset();
    succeeds({ Statistics: { DataScannedInBytes: 0 } });
    athena.on(GetQueryResultsCommand).resolves({ ResultSet: { Rows: [] } });
    expect((await engineWith().runSql('SELECT 1', [])).bytesScanned).toBe(0);
  });
});

describe('Athena request failures', () => {
  const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });

  it('names Athena, the request and the query when starting it fails, keeping the cause', async () => {
    const cause = throttled();
    athena.on(StartQueryExecutionCommand).rejects(cause);
    const error = await failure(engineWith().runSql('SELECT 1', [], 'query period_totals'));
    expect(error.message).toBe(
      'Athena StartQueryExecution of query period_totals (workgroup domo-activity) failed: TooManyRequestsException: Rate exceeded',
    );
    expect(error.cause).toBe(cause);
  });

  it('names the query and its execution when a status poll fails, and stops the query', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena.on(GetQueryExecutionCommand).rejects(throttled());
    athena.on(StopQueryExecutionCommand).resolves({});
    const error = await failure(engineWith(fakeTime()).runSql('SELECT 1', [], 'query period_totals'));
    expect(error.message).toBe(
      'Athena GetQueryExecution of query period_totals (query execution q-1) failed: TooManyRequestsException: Rate exceeded',
    );
    expect(athena).toHaveReceivedCommandWith(StopQueryExecutionCommand, { QueryExecutionId: 'q-1' });
  });

  it('names the query and its execution when reading its results fails', async () => {
    succeeds();
    athena.on(GetQueryResultsCommand).rejects(throttled());
    const error = await failure(engineWith(fakeTime()).runSql('SELECT 1', [], 'query period_totals'));
    expect(error.message).toBe(
      'Athena GetQueryResults of query period_totals (query execution q-1) failed: TooManyRequestsException: Rate exceeded',
    );
  });
});
