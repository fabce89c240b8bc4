import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { AthenaStop } from '../../functions/adapters/athena-engine.ts';
import { engineWith, fakeTime } from './support/athena-engine-fake.ts';

/** The engine given an abort signal (Ctrl-C in `query --athena`, the report's deadline). */
const athena = mockClient(AthenaClient);
beforeEach(() => athena.reset());
// The class's prototype is patched for every file that runs after this one in the worker.
afterAll(() => athena.restore());

/** An engine whose stops are kept in `stops`. */
function recordingEngine() {
  const stops: AthenaStop[] = [];
  return { stops, engine: engineWith(fakeTime(), { onStop: (stop) => stops.push(stop) }) };
}

describe('Athena engine aborted', () => {
  it('stops the query it started, by its id, and rejects with the reason', async () => {
    const controller = new AbortController();
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-7' });
    athena.on(GetQueryExecutionCommand).callsFake(() => {
      controller.abort('SIGINT');
      return { QueryExecution: { Status: { State: 'RUNNING' } } };
    });
    athena.on(StopQueryExecutionCommand).resolves({});
    const { engine, stops } = recordingEngine();
    await expect(engine.runSql('SELECT 1', [], 'query', { signal: controller.signal })).rejects.toBe(
      'SIGINT',
    );
    expect(athena.commandCalls(StopQueryExecutionCommand).map((c) => c.args[0].input)).toEqual([
      { QueryExecutionId: 'q-7' },
    ]);
    expect(stops).toEqual([{ queryExecutionId: 'q-7' }]);
    expect(athena).not.toHaveReceivedCommand(GetQueryResultsCommand);
  });

  it('sends nothing when aborted before the query started', async () => {
    const { engine, stops } = recordingEngine();
    await expect(
      engine.runSql('SELECT 1', [], 'query', { signal: AbortSignal.abort('SIGTERM') }),
    ).rejects.toBe('SIGTERM');
    expect(athena.calls()).toHaveLength(0);
    expect(stops).toEqual([]);
  });

  it('sends no stop when the start it was aborted during gave no query', async () => {
    const controller = new AbortController();
    athena.on(StartQueryExecutionCommand).callsFake(() => {
      controller.abort('SIGINT');
      throw new Error('TooManyRequestsException');
    });
    const { engine, stops } = recordingEngine();
    await expect(engine.runSql('SELECT 1', [], 'query', { signal: controller.signal })).rejects.toThrow(
      /StartQueryExecution/,
    );
    expect(athena).not.toHaveReceivedCommand(StopQueryExecutionCommand);
    expect(stops).toEqual([]);
  });

  it('stops a query aborted while Athena started it at once, before polling it', async () => {
    const controller = new AbortController();
    athena.on(StartQueryExecutionCommand).callsFake(() => {
      controller.abort('SIGINT');
      return { QueryExecutionId: 'q-8' };
    });
    // Done by the time it would be polled: its results must not be read for nobody.
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    athena.on(StopQueryExecutionCommand).resolves({});
    const { engine } = recordingEngine();
    await expect(engine.runSql('SELECT 1', [], 'query', { signal: controller.signal })).rejects.toBe(
      'SIGINT',
    );
    expect(athena).toHaveReceivedCommandWith(StopQueryExecutionCommand, { QueryExecutionId: 'q-8' });
    expect(athena).not.toHaveReceivedCommand(GetQueryExecutionCommand);
    expect(athena).not.toHaveReceivedCommand(GetQueryResultsCommand);
  });

  it('reports a failing stop to onStop and still rejects with the interruption', async () => {
    const controller = new AbortController();
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-9' });
    athena.on(GetQueryExecutionCommand).callsFake(() => {
      controller.abort('SIGINT');
      return { QueryExecution: { Status: { State: 'QUEUED' } } };
    });
    const refused = new Error('not authorized to perform: athena:StopQueryExecution');
    athena.on(StopQueryExecutionCommand).rejects(refused);
    const { engine, stops } = recordingEngine();
    await expect(engine.runSql('SELECT 1', [], 'query', { signal: controller.signal })).rejects.toBe(
      'SIGINT',
    );
    expect(stops).toEqual([{ queryExecutionId: 'q-9', error: refused }]);
  });

  it('gives up on a stop that never answers, as a failed stop, so the interrupted run still ends', async () => {
    const controller = new AbortController();
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-5' });
    athena.on(GetQueryExecutionCommand).callsFake(() => {
      controller.abort('SIGTERM');
      return { QueryExecution: { Status: { State: 'RUNNING' } } };
    });
    // A stalled connection: the stop is never answered (the stub ignores the SDK's abort signal).
    athena.on(StopQueryExecutionCommand).callsFake(() => new Promise(() => {}));
    const stops: AthenaStop[] = [];
    const engine = engineWith(fakeTime(), { stopTimeoutMs: 20, onStop: (stop) => stops.push(stop) });
    await expect(engine.runSql('SELECT 1', [], 'query', { signal: controller.signal })).rejects.toBe(
      'SIGTERM',
    );
    expect(stops).toMatchObject([
      { queryExecutionId: 'q-5', error: { message: 'Athena did not answer the stop within 0.02 s' } },
    ]);
    // The SDK is handed the limit too, so it cancels the request itself.
    const sent: readonly unknown[] = athena.commandCalls(StopQueryExecutionCommand)[0]?.args ?? [];
    const options = sent[1] as { abortSignal?: AbortSignal } | undefined;
    expect(options?.abortSignal?.aborted).toBe(true);
  });

  it('reports a failing stop at the deadline too, and throws the timeout', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'RUNNING' } } });
    athena.on(StopQueryExecutionCommand).rejects(new Error('AccessDenied'));
    const stops: AthenaStop[] = [];
    const engine = engineWith(fakeTime(), { timeoutMs: 1000, onStop: (stop) => stops.push(stop) });
    await expect(engine.runSql('SELECT 1', [])).rejects.toThrow(/did not finish within 1 s/);
    expect(stops).toMatchObject([{ queryExecutionId: 'q-1', error: { message: 'AccessDenied' } }]);
  });

  it('asks for no further result page once aborted: the query is done, nothing to stop', async () => {
    const controller = new AbortController();
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    athena
      .on(GetQueryResultsCommand)
      .callsFakeOnce(() => {
        controller.abort('SIGINT');
        return {
          ResultSet: {
            ResultSetMetadata: { ColumnInfo: [{ Name: 'n', Type: 'bigint' }] },
            Rows: [{ Data: [{ VarCharValue: 'n' }] }, { Data: [{ VarCharValue: '1' }] }],
          },
          NextToken: 'page-2',
        };
      })
      .resolves({ ResultSet: { Rows: [{ Data: [{ VarCharValue: '2' }] }] } });
    const { engine, stops } = recordingEngine();
    await expect(engine.runSql('SELECT 1', [], 'query', { signal: controller.signal })).rejects.toBe(
      'SIGINT',
    );
    expect(athena.commandCalls(GetQueryResultsCommand)).toHaveLength(1);
    expect(athena).not.toHaveReceivedCommand(StopQueryExecutionCommand);
    expect(stops).toEqual([]);
  });

  it('ends a results page that never answers at the abort: one Ctrl-C or SIGTERM ends the run', async () => {
    const controller = new AbortController();
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-9' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    // A stalled connection: the page is never answered (the stub ignores the SDK's abort signal).
    athena.on(GetQueryResultsCommand).callsFake(() => {
      setTimeout(() => controller.abort('SIGTERM'), 0);
      return new Promise(() => {});
    });
    const { engine, stops } = recordingEngine();
    await expect(engine.runSql('SELECT 1', [], 'query', { signal: controller.signal })).rejects.toBe(
      'SIGTERM',
    );
    // The SDK is handed the signal too, so it cancels the request itself; the query is done.
    const sent: readonly unknown[] = athena.commandCalls(GetQueryResultsCommand)[0]?.args ?? [];
    const options = sent[1] as { abortSignal?: AbortSignal } | undefined;
    expect(options?.abortSignal).toBe(controller.signal);
    expect(athena).not.toHaveReceivedCommand(StopQueryExecutionCommand);
    expect(stops).toEqual([]);
  });

  it('stops a query aborted during the pause between polls instead of polling it once more', async () => {
    const controller = new AbortController();
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-2' });
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce({ QueryExecution: { Status: { State: 'RUNNING' } } })
      .resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    athena.on(GetQueryResultsCommand).resolves({ ResultSet: { Rows: [] } });
    athena.on(StopQueryExecutionCommand).resolves({});
    const time = fakeTime();
    const engine = engineWith({
      ...time,
      sleep: async (ms) => {
        controller.abort('SIGINT');
        await time.sleep(ms);
      },
    });
    await expect(engine.runSql('SELECT 1', [], 'query', { signal: controller.signal })).rejects.toBe(
      'SIGINT',
    );
    expect(athena.commandCalls(GetQueryExecutionCommand)).toHaveLength(1);
    expect(athena).toHaveReceivedCommandWith(StopQueryExecutionCommand, { QueryExecutionId: 'q-2' });
    expect(athena).not.toHaveReceivedCommand(GetQueryResultsCommand);
  });

  it('tells onRunning from the start until the final state, not while the results are read', async () => {
    const told: string[] = [];
    athena.on(StartQueryExecutionCommand).callsFake(() => {
      told.push('start');
      return { QueryExecutionId: 'q-3' };
    });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    athena.on(GetQueryResultsCommand).callsFake(() => {
      told.push('results');
      return { ResultSet: { ResultSetMetadata: { ColumnInfo: [] }, Rows: [] } };
    });
    const engine = engineWith(fakeTime(), { onRunning: (running) => told.push(String(running)) });
    await engine.runSql('SELECT 1', []);
    expect(told).toEqual(['true', 'start', 'false', 'results']);
  });

  it('tells onRunning the query ended when it failed, or never started', async () => {
    const told: boolean[] = [];
    const engine = engineWith(fakeTime(), { onRunning: (running) => told.push(running) });
    athena.on(StartQueryExecutionCommand).rejects(new Error('TooManyRequestsException'));
    await expect(engine.runSql('SELECT 1', [])).rejects.toThrow(/StartQueryExecution/);
    athena.reset();
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-4' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'FAILED' } } });
    await expect(engine.runSql('SELECT 1', [])).rejects.toThrow(/FAILED/);
    expect(told).toEqual([true, false, true, false]);
  });
});
