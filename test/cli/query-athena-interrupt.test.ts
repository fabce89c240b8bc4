import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetTableMetadataCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';
import { fakeSignals } from '../support/fake-signals.ts';

/**
 * Ctrl-C (SIGINT) or SIGTERM during `query --athena`: the query is stopped in Athena (it would run
 * on, and bill, up to the workgroup's limits), and the command ends with the signal's status, as
 * an interrupted ingest or enrich does. The process's signals are played by the test.
 */
const athena = mockClient(AthenaClient);
beforeEach(() => athena.reset());
// The class's prototype is patched for every file that runs after this one in the worker.
afterAll(() => athena.restore());

const ON_ATHENA = ['--athena', '--workgroup', 'wg', '--database', 'db', '--region', 'eu-west-1'];

const queryOnAthena = async (signals: ReturnType<typeof fakeSignals>, argv = ['period_totals']) => {
  const { io, stdout, stderr } = captureIo();
  const status = await main(['query', ...argv, ...ON_ATHENA], { ...io, interrupts: signals.source });
  return { status, stdout: stdout(), stderr: stderr() };
};

/** Athena starts `q-1` and keeps it running; `onPoll` runs at each status poll. */
function runningQuery(onPoll: () => void) {
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
  athena.on(GetQueryExecutionCommand).callsFake(() => {
    onPoll();
    return { QueryExecution: { Status: { State: 'RUNNING' } } };
  });
}

describe('query --athena interrupted', () => {
  it('stops the running query in Athena by its id, says so, and exits 130', async () => {
    const signals = fakeSignals();
    runningQuery(() => signals.send('SIGINT'));
    athena.on(StopQueryExecutionCommand).resolves({});
    const { status, stdout, stderr } = await queryOnAthena(signals);
    expect(status, stderr).toBe(130);
    expect(athena.commandCalls(StopQueryExecutionCommand).map((c) => c.args[0].input)).toEqual([
      { QueryExecutionId: 'q-1' },
    ]);
    expect(stderr).toBe(
      'SIGINT: stopping the Athena query (Ctrl-C again quits at once)\n' +
        'interrupted (SIGINT): Athena query execution q-1 stopped\n',
    );
    expect(stdout).toBe('');
    expect(athena).not.toHaveReceivedCommand(GetQueryResultsCommand);
    expect(signals.listening()).toBe(false);
  });

  it('starts no query in Athena when the signal comes before one started, and exits 143', async () => {
    const signals = fakeSignals((send) => send('SIGTERM'));
    const { status, stderr } = await queryOnAthena(signals);
    expect(status, stderr).toBe(143);
    // Only the table's metadata (which instances the lake holds) was read: nothing that bills.
    expect(athena.calls().map((call) => call.args[0].constructor.name)).toEqual(['GetTableMetadataCommand']);
    expect(stderr).toBe(
      'SIGTERM: stopping the Athena query (SIGTERM again quits at once)\n' +
        'interrupted (SIGTERM): no Athena query was running\n',
    );
  });

  it('ends at once on Ctrl-C while the read of the deployed instances hangs, with no error line', async () => {
    const signals = fakeSignals();
    athena.on(GetTableMetadataCommand).callsFake(() => {
      signals.send('SIGINT');
      return new Promise(() => {});
    });
    const { status, stderr } = await queryOnAthena(signals);
    expect(status, stderr).toBe(130);
    expect(stderr).toBe(
      'SIGINT: stopping the Athena query (Ctrl-C again quits at once)\n' +
        'interrupted (SIGINT): no Athena query was running\n',
    );
    expect(athena).not.toHaveReceivedCommand(StartQueryExecutionCommand);
  });

  it('reports a stop that failed, with how to stop the query, and still exits by the signal', async () => {
    const signals = fakeSignals();
    runningQuery(() => signals.send('SIGINT'));
    athena
      .on(StopQueryExecutionCommand)
      .rejects(new Error('User is not authorized to perform: athena:StopQueryExecution'));
    const { status, stderr } = await queryOnAthena(signals);
    expect(status, stderr).toBe(130);
    expect(stderr).toBe(
      'SIGINT: stopping the Athena query (Ctrl-C again quits at once)\n' +
        "warning: could not stop Athena query execution q-1 (User is not authorized to perform: athena:StopQueryExecution): it may run on, and bill, up to the workgroup's limits; stop it in the Athena console or with aws athena stop-query-execution --query-execution-id q-1\n" +
        'interrupted (SIGINT): Athena query execution q-1 was not stopped (see the warning above)\n',
    );
  });

  it('ends on a single SIGTERM while a status poll hangs: stops the query, exits 143', async () => {
    const signals = fakeSignals();
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena.on(GetQueryExecutionCommand).callsFake(() => {
      setTimeout(() => signals.send('SIGTERM'), 10);
      return new Promise(() => {});
    });
    athena.on(StopQueryExecutionCommand).resolves({});
    const { status, stderr } = await queryOnAthena(signals);
    expect(status, stderr).toBe(143);
    expect(signals.quits).toEqual([]);
    // The SDK is handed the signal too, so the request itself is cancelled.
    const pollArgs: readonly unknown[] = athena.commandCalls(GetQueryExecutionCommand)[0]?.args ?? [];
    expect(pollArgs[1]).toMatchObject({
      abortSignal: { aborted: true },
    });
    expect(stderr).toBe(
      'SIGTERM: stopping the Athena query (SIGTERM again quits at once)\n' +
        'interrupted (SIGTERM): Athena query execution q-1 stopped\n',
    );
  });

  it('quits at once, saying so, on a second signal', async () => {
    const signals = fakeSignals();
    runningQuery(() => {
      signals.send('SIGINT');
      signals.send('SIGINT');
    });
    athena.on(StopQueryExecutionCommand).resolves({});
    const { status, stderr } = await queryOnAthena(signals);
    expect(signals.quits).toEqual(['SIGINT']);
    expect(stderr).toContain(
      'quitting now: an Athena query may still be running; stop it in the Athena console (Recent queries)\n',
    );
    // The stand-in does not end the process: the command goes on to its end.
    expect(status).toBe(130);
  });

  it('stops --all at the query in hand: no other query starts, none is reported failed', async () => {
    const signals = fakeSignals();
    runningQuery(() => signals.send('SIGINT'));
    athena.on(StopQueryExecutionCommand).resolves({});
    const { status, stdout, stderr } = await queryOnAthena(signals, ['--all']);
    expect(status, stderr).toBe(130);
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(1);
    expect(stdout).not.toContain('FAIL');
    expect(stderr).toMatch(/\ninterrupted \(SIGINT\): Athena query execution q-1 stopped\n$/);
  });

  it('prints the rows of a query Athena answered before the signal, and still exits by it', async () => {
    const signals = fakeSignals();
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    athena.on(GetQueryResultsCommand).resolves({
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: [{ Name: 'n', Type: 'bigint' }] },
        Rows: [{ Data: [{ VarCharValue: 'n' }] }, { Data: [{ VarCharValue: '4' }] }],
      },
    });
    const { io, stdout, stderr } = captureIo();
    // The signal comes as the rows are written: Athena has answered. (One sent while a results
    // page is in flight cancels that page, as the SDK does a real request.)
    const write = io.stdout.write.bind(io.stdout);
    io.stdout.write = ((...args: Parameters<typeof write>) => {
      signals.send('SIGINT');
      return write(...args);
    }) as typeof io.stdout.write;
    const status = await main(['query', '--sql', 'SELECT 4 AS n', '--format', 'csv', ...ON_ATHENA], {
      ...io,
      interrupts: signals.source,
    });
    expect(status, stderr()).toBe(130);
    expect(stdout()).toBe('n\r\n4\r\n');
    expect(athena).not.toHaveReceivedCommand(StopQueryExecutionCommand);
    expect(stderr()).toMatch(/\ninterrupted \(SIGINT\) once Athena had answered: the output is complete\n$/);
  });
});

describe('query --athena interrupted once Athena has answered', () => {
  /** Athena has finished `q-1`; its results come in five pages, `onPage` runs at each. */
  function answeredInPages(onPage: (page: number) => void) {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    let page = 0;
    athena.on(GetQueryResultsCommand).callsFake(() => {
      page += 1;
      onPage(page);
      const rows = [{ Data: [{ VarCharValue: String(page) }] }];
      return {
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: [{ Name: 'n', Type: 'bigint' }] },
          Rows: page === 1 ? [{ Data: [{ VarCharValue: 'n' }] }, ...rows] : rows,
        },
        ...(page < 5 ? { NextToken: `t${page}` } : {}),
      };
    });
  }

  it('reads no further page, prints nothing, stops nothing, and exits by the signal', async () => {
    const signals = fakeSignals();
    answeredInPages((page) => page === 1 && signals.send('SIGINT'));
    const { status, stdout, stderr } = await queryOnAthena(signals, ['--sql', 'SELECT n', '--format', 'csv']);
    expect(status, stderr).toBe(130);
    expect(athena.commandCalls(GetQueryResultsCommand)).toHaveLength(1);
    expect(athena).not.toHaveReceivedCommand(StopQueryExecutionCommand);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'SIGINT: stopping the Athena query (Ctrl-C again quits at once)\n' +
        'interrupted (SIGINT): no Athena query was running\n',
    );
  });

  it('does not say a query may still be running when a second signal quits', async () => {
    const signals = fakeSignals();
    answeredInPages((page) => {
      if (page !== 1) return;
      signals.send('SIGINT');
      signals.send('SIGINT');
    });
    const { stderr } = await queryOnAthena(signals, ['--sql', 'SELECT n', '--format', 'csv']);
    expect(signals.quits).toEqual(['SIGINT']);
    expect(stderr).toContain('quitting now: no Athena query is running\n');
    expect(stderr).not.toContain('may still be running');
  });
});
