import {
  AthenaClient,
  type AthenaError,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { AthenaQueryError } from '../../functions/adapters/athena-engine.ts';
import { causeChain } from '../../functions/core/cause-chain.ts';
import { errorMessage } from '../../functions/core/error-message.ts';
import { engineWith, fakeTime } from './support/athena-engine-fake.ts';

// A query with execution parameters that Athena fails as a user error is run once more with the
// values written in, for Athena's refusal of a `?` outside WHERE. Data errors are user errors too:
// re-running one scanned (and billed) the data twice, and when the report's deadline aborted the
// re-run, the bad object Athena had named was lost behind "raise the timeout".
const athena = mockClient(AthenaClient);
beforeEach(() => athena.reset());
afterAll(() => athena.restore());

const BAD_DATA =
  'HIVE_BAD_DATA: Error parsing field value for field 3 in s3://lake/activity_log/instance=acme/dt=2026-10-06/2026-10-06T10.ndjson.gz';

/**
 * A re-run (q-2) that keeps running, and an engine whose caller runs out of time at the first
 * pause after `when` holds: the report's deadline, as an abort with its reason.
 */
function reRunOutOfTime(when: () => boolean) {
  athena.on(GetQueryExecutionCommand, { QueryExecutionId: 'q-2' }).resolves({
    QueryExecution: { QueryExecutionId: 'q-2', Status: { State: 'RUNNING' } },
  });
  athena.on(StopQueryExecutionCommand).resolves({});
  const time = fakeTime();
  const controller = new AbortController();
  const outOfTime = new Error('its queries were given up with only 30 s left');
  const engine = engineWith({
    ...time,
    sleep: async (ms: number) => {
      await time.sleep(ms);
      if (when()) controller.abort(outOfTime);
    },
  });
  return { engine, controller, outOfTime };
}

/** The first attempt (q-1) fails as `error` having scanned `scanned` bytes; a re-run (q-2) succeeds. */
function firstFails(error: AthenaError, scanned?: number) {
  let started = 0;
  athena.on(StartQueryExecutionCommand).callsFake(() => ({ QueryExecutionId: `q-${++started}` }));
  athena.on(GetQueryExecutionCommand, { QueryExecutionId: 'q-1' }).resolves({
    QueryExecution: {
      QueryExecutionId: 'q-1',
      StatementType: 'DML',
      Status: { State: 'FAILED', AthenaError: { ErrorCategory: 2, ...error } },
      ...(scanned === undefined ? {} : { Statistics: { DataScannedInBytes: scanned } }),
    },
  });
  athena.on(GetQueryExecutionCommand, { QueryExecutionId: 'q-2' }).resolves({
    QueryExecution: { QueryExecutionId: 'q-2', StatementType: 'DML', Status: { State: 'SUCCEEDED' } },
  });
  athena.on(GetQueryResultsCommand).resolves({
    ResultSet: { ResultSetMetadata: { ColumnInfo: [{ Name: 'n', Type: 'bigint' }] }, Rows: [] },
  });
}

const run = () => engineWith().runSql('SELECT count(*) AS n FROM activity_log WHERE instance = ?', ['acme']);

describe('the re-run with values inlined', () => {
  it.each([
    ['a data error (HIVE_BAD_DATA)', { ErrorType: 1001, ErrorMessage: BAD_DATA }, 0],
    ['another data error type', { ErrorType: 1007, ErrorMessage: 'INVALID_CAST_ARGUMENT: x' }, undefined],
    ['an S3 permission error', { ErrorType: 1501, ErrorMessage: 'PERMISSION_ERROR: Access Denied' }, 0],
    ['Athena throttling', { ErrorType: 1404, ErrorMessage: 'Too many queries' }, 0],
    [
      'a user error of a query that had read data',
      { ErrorType: 1006, ErrorMessage: 'INVALID_FUNCTION_ARGUMENT' },
      5e9,
    ],
  ])('is not tried after %s: the first failure is the error', async (_what, error, scanned) => {
    firstFails(error, scanned);
    const thrown = await run().catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(AthenaQueryError);
    expect(thrown).toMatchObject({ queryExecutionId: 'q-1', errorType: error.ErrorType });
    expect(errorMessage(thrown)).toContain(error.ErrorMessage);
    expect(athena).toHaveReceivedCommandTimes(StartQueryExecutionCommand, 1);
  });

  it('is tried after a user error at analysis (no data read, no data error type)', async () => {
    firstFails({ ErrorType: 1006, ErrorMessage: 'SYNTAX_ERROR: a parameter is only allowed in WHERE' }, 0);
    await expect(run()).resolves.toMatchObject({ rows: [] });
    expect(athena).toHaveReceivedCommandTimes(StartQueryExecutionCommand, 2);
    expect(athena.commandCalls(StartQueryExecutionCommand)[1]?.args[0].input.QueryString).toBe(
      "SELECT count(*) AS n FROM activity_log WHERE instance = 'acme'",
    );
  });

  it('that fails too keeps the first failure as its cause and in its message', async () => {
    firstFails({ ErrorType: 1006, ErrorMessage: 'SYNTAX_ERROR: parameter not allowed' }, 0);
    athena.on(GetQueryExecutionCommand, { QueryExecutionId: 'q-2' }).resolves({
      QueryExecution: {
        QueryExecutionId: 'q-2',
        Status: {
          State: 'FAILED',
          AthenaError: { ErrorCategory: 2, ErrorType: 1001, ErrorMessage: BAD_DATA },
        },
      },
    });
    const thrown = await run().catch((e: unknown) => e);
    expect(thrown).toMatchObject({ queryExecutionId: 'q-2', errorType: 1001 });
    expect(errorMessage(thrown)).toMatch(
      /HIVE_BAD_DATA: .*\.ndjson\.gz; with execution parameters it had failed too: .*q-1.*SYNTAX_ERROR: parameter not allowed$/,
    );
    const [, cause] = [...causeChain(thrown)];
    expect(cause).toBeInstanceOf(AthenaQueryError);
    expect(cause).toMatchObject({ queryExecutionId: 'q-1', errorType: 1006 });
  });

  it("a data error under the report's deadline is reported as itself, not as the deadline", async () => {
    // The reviewer's case: before, the data error was re-run, the deadline aborted the re-run, and
    // the report said to raise its timeout.
    firstFails({ ErrorType: 1001, ErrorMessage: BAD_DATA }, 3e9);
    const { engine, controller } = reRunOutOfTime(
      () => athena.commandCalls(StartQueryExecutionCommand).length === 2,
    );
    const thrown = await engine
      .runSql('SELECT count(*) FROM activity_log WHERE instance = ?', ['acme'], 'query period_totals', {
        signal: controller.signal,
      })
      .catch((e: unknown) => e);
    expect(errorMessage(thrown)).toContain(BAD_DATA);
    expect(athena).toHaveReceivedCommandTimes(StartQueryExecutionCommand, 1);
  });

  it("aborted, still rejects with the abort's reason (the caller's deadline or interrupt)", async () => {
    firstFails({ ErrorType: 1006, ErrorMessage: 'SYNTAX_ERROR: parameter not allowed' }, 0);
    const { engine, controller, outOfTime } = reRunOutOfTime(() => true);
    await expect(
      engine.runSql('SELECT ? AS zone FROM t WHERE x = ?', ['UTC', '1'], 'query q', {
        signal: controller.signal,
      }),
    ).rejects.toBe(outOfTime);
    expect(athena).toHaveReceivedCommandWith(StopQueryExecutionCommand, { QueryExecutionId: 'q-2' });
  });
});
