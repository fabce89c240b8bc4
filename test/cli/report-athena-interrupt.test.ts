import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';
import { fakeSignals } from '../support/fake-signals.ts';

/**
 * Ctrl-C (SIGINT) or SIGTERM during `report --athena`: the report's queries are stopped in Athena
 * (each would run on, and bill, up to the workgroup's limits), no more start, and the command ends
 * with the signal's status, as `query --athena` does. The process's signals are played by the test.
 */
const athena = mockClient(AthenaClient);
let out: string;
beforeEach(async () => {
  athena.reset();
  out = await mkdtemp(join(tmpdir(), 'report-interrupt-'));
});
afterEach(() => rm(out, { recursive: true, force: true }));
// The class's prototype is patched for every file that runs after this one in the worker.
afterAll(() => athena.restore());

const ON_ATHENA = ['--athena', '--workgroup', 'wg', '--database', 'db', '--region', 'eu-west-1'];

/** Athena starts `q-1`, `q-2`, ... and keeps them running; `onStart` runs at each start. */
function runningQueries(onStart: (started: number) => void) {
  let started = 0;
  athena.on(StartQueryExecutionCommand).callsFake(() => {
    started += 1;
    onStart(started);
    return { QueryExecutionId: `q-${started}` };
  });
  athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'RUNNING' } } });
}

const reportOnAthena = async (signals: ReturnType<typeof fakeSignals>) => {
  const { io, stdout, stderr } = captureIo();
  const status = await main(['report', '--out', out, ...ON_ATHENA], { ...io, interrupts: signals.source });
  return { status, stdout: stdout(), stderr: stderr() };
};

const startedIds = () =>
  athena.commandCalls(StartQueryExecutionCommand).map((_, index) => ({ QueryExecutionId: `q-${index + 1}` }));

describe('report --athena interrupted', () => {
  it('stops every query it started in Athena, starts no more, writes no report, and exits 130', async () => {
    const signals = fakeSignals();
    runningQueries((started) => started === 2 && signals.send('SIGINT'));
    athena.on(StopQueryExecutionCommand).resolves({});
    const { status, stdout, stderr } = await reportOnAthena(signals);
    expect(status, stderr).toBe(130);
    const started = startedIds();
    // Four run at a time: the signal came before the report could start its thirteen.
    expect(started.length).toBeLessThan(13);
    const stops = athena.commandCalls(StopQueryExecutionCommand).map((c) => c.args[0].input);
    expect(stops).toHaveLength(started.length);
    expect(stops).toEqual(expect.arrayContaining(started));
    expect(athena).not.toHaveReceivedCommand(GetQueryResultsCommand);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^SIGINT: stopping the Athena queries \(Ctrl-C again quits at once\)\ninterrupted \(SIGINT\): Athena query executions q-\d+(, q-\d+)+ stopped\n$/,
    );
    expect(await readdir(out)).not.toContain('report.html');
    expect(signals.listening()).toBe(false);
  });

  it('says which queries a refused stop left running, and exits 143 on SIGTERM', async () => {
    const signals = fakeSignals();
    runningQueries((started) => started === 1 && signals.send('SIGTERM'));
    athena.on(StopQueryExecutionCommand).rejects(new Error('AccessDenied'));
    const { status, stderr } = await reportOnAthena(signals);
    expect(status, stderr).toBe(143);
    expect(stderr).toContain('warning: could not stop Athena query execution q-1 (AccessDenied)');
    expect(stderr).toMatch(
      /\ninterrupted \(SIGTERM\): Athena query executions? q-1(, q-\d+)* (was|were) not stopped \(see the warning above\)\n$/,
    );
  });

  it('still says why the report failed when the signal comes while the other queries are stopped', async () => {
    const signals = fakeSignals();
    let started = 0;
    athena.on(StartQueryExecutionCommand).callsFake(() => ({ QueryExecutionId: `q-${++started}` }));
    athena.on(GetQueryExecutionCommand).callsFake((input) =>
      input.QueryExecutionId === 'q-1'
        ? {
            QueryExecution: {
              Status: {
                State: 'FAILED',
                AthenaError: { ErrorCategory: 1, ErrorMessage: 'TABLE_NOT_FOUND: activity_log' },
              },
            },
          }
        : { QueryExecution: { Status: { State: 'RUNNING' } } },
    );
    // q-1 failed; the report stops the others, and Ctrl-C comes while it does.
    let stops = 0;
    athena.on(StopQueryExecutionCommand).callsFake(async () => {
      stops += 1;
      if (stops === 2) signals.send('SIGINT');
      await new Promise((resolve) => setTimeout(resolve, 20));
      return {};
    });
    const { status, stderr } = await reportOnAthena(signals);
    expect(status, stderr).toBe(130);
    expect(stderr).toMatch(
      /\nerror: Athena query period_totals FAILED \(query execution q-1, [^)]*\): TABLE_NOT_FOUND: activity_log\ninterrupted \(SIGINT\): Athena query executions q-2, q-3, q-4 stopped\n$/,
    );
  });

  it('adds no error line when the signal itself ended the queries', async () => {
    const signals = fakeSignals();
    runningQueries((started) => started === 1 && signals.send('SIGINT'));
    athena.on(StopQueryExecutionCommand).resolves({});
    const { stderr } = await reportOnAthena(signals);
    expect(stderr).not.toContain('error:');
  });
});
